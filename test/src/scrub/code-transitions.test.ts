import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadCodeTableRecordsFromFiles } from '../../../src/codes/code-table-repository.js'
import { projectRoot } from '../../../src/project-root.js'
import { loadScrubReference } from '../../../src/scrub/load-scrub-reference.js'
import { applyFixes } from '../../../transforms/scrub/apply-fixes.js'
import { createCodeTableSet } from '../../../transforms/scrub/code-table-set.js'
import { jcodeValidOnDosRule } from '../../../transforms/scrub/rules/jcode-valid-on-dos-rule.js'
import type { ScrubContext } from '../../../transforms/scrub/scrub-context.js'
import { createScrubContext } from '../../../transforms/scrub/scrub-context.js'
import { buildClaim837 } from '../../support/claim837-builder.js'

// The same transitions as the rule's unit test, but on the bundled CMS subset (fixtures/codes)
// as the importers read it: dates, XREF1/successors and billing units all come from CMS files.
let context: ScrubContext
beforeAll(async () => {
  const records = await loadCodeTableRecordsFromFiles(join(projectRoot(), 'fixtures', 'codes'))
  context = createScrubContext({
    codes: createCodeTableSet(records),
    reference: loadScrubReference(),
    asOf: '2026-02-10',
  })
})

describe('J-code transitions on the bundled CMS tables', () => {
  const cases: [string, number, string, string, number][] = [
    ['J9265', 6, '2015-03-02', 'J9267', 180],
    ['J9310', 7, '2019-02-01', 'J9312', 70],
    ['J9199', 5, '2020-07-15', 'J9198', 10],
    ['C9027', 200, '2016-02-01', 'J9271', 200],
    ['C9174', 300, '2025-10-15', 'J9011', 300],
    ['Q5139', 60, '2025-04-10', 'Q5152', 300],
  ]
  for (const [from, units, dos, to, toUnits] of cases)
    it(`${from} × ${units} on ${dos} → ${to} × ${toUnits}`, () => {
      const claim = buildClaim837({ kind: '837I', dos, lines: [{ code: from, units }] })
      const findings = jcodeValidOnDosRule.check(claim, context)
      expect(findings).toHaveLength(1)
      expect(findings[0]?.suggestion).toContain(`use ${to}: units ${units} → ${toUnits}`)
      const { claim: fixed, fixes } = applyFixes(claim, findings)
      expect(fixes).toHaveLength(1)
      expect(fixed.lines[0]).toMatchObject({ procedureCode: to, units: toUnits })
      expect(jcodeValidOnDosRule.check(fixed, context)).toEqual([])
    })
})
