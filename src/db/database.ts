import type { AcknowledgmentTables } from './schema/acknowledgment-tables.js'
import type { BatchTables } from './schema/batch-tables.js'
import type { CodeTables } from './schema/code-tables.js'
import type { ControlNumberTables } from './schema/control-number-tables.js'
import type { CoreTables } from './schema/core-tables.js'
import type { IngestTables } from './schema/ingest-tables.js'
import type { ScrubTables } from './schema/scrub-tables.js'
import type { WebTables } from './schema/web-tables.js'

/** Every table of onco-edi. One schema for PGlite and PostgreSQL. */
export interface Database
  extends CoreTables,
    CodeTables,
    ScrubTables,
    ControlNumberTables,
    IngestTables,
    WebTables,
    AcknowledgmentTables,
    BatchTables {}
