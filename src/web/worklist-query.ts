import { REWORK_QUEUES } from '../../transforms/denials/denial-types.js'
import type { ListFilter, WorklistCursor } from '../rework/rework-repository.js'
import { parseWorklistCursor, REWORK_STATUSES } from '../rework/rework-repository.js'

/** The worklist's query string, as the page and GET /api/worklist take it. */
export interface WorklistQuery {
  queue?: string | undefined
  status?: string | undefined
  payer?: string | undefined
  assignee?: string | undefined
  carc?: string | undefined
  dueWithin?: string | number | undefined
  limit?: string | number | undefined
  after?: string | undefined
}

/** JSON schema of {@link WorklistQuery} (fastify validates it; empty fields mean "any"). */
export const WORKLIST_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    queue: { type: 'string', enum: ['', ...REWORK_QUEUES] },
    status: { type: 'string', enum: ['', ...REWORK_STATUSES] },
    payer: { type: 'string', maxLength: 80 },
    assignee: { type: 'string', maxLength: 80 },
    carc: { type: 'string', pattern: '^(([A-Za-z]{2}-)?[A-Za-z0-9]{1,4})?$' },
    dueWithin: {
      anyOf: [
        { type: 'string', maxLength: 0 },
        { type: 'integer', minimum: 0, maximum: 36500 },
      ],
    },
    limit: {
      anyOf: [
        { type: 'string', maxLength: 0 },
        { type: 'integer', minimum: 1, maximum: 500 },
      ],
    },
    after: { type: 'string', maxLength: 60 },
  },
} as const

/** Default page size of the worklist. */
export const WORKLIST_PAGE = 50

/** The repository filter of a query; `undefined` cursor text that is not a cursor → error message. */
export function worklistFilter(query: WorklistQuery): { filter: ListFilter } | { error: string } {
  const text = (value: string | number | undefined): string | undefined => {
    const trimmed = value === undefined ? '' : String(value).trim()
    return trimmed === '' ? undefined : trimmed
  }
  let after: WorklistCursor | undefined
  const afterText = text(query.after)
  if (afterText !== undefined) {
    after = parseWorklistCursor(afterText)
    if (after === undefined)
      return { error: 'after is not a cursor returned as next (DEADLINE|AMOUNT_CENTS|ID)' }
  }
  const dueWithin = text(query.dueWithin)
  const limit = text(query.limit)
  return {
    filter: {
      queue: text(query.queue),
      status: text(query.status),
      payerId: text(query.payer),
      assignee: text(query.assignee),
      carc: text(query.carc),
      dueWithin: dueWithin === undefined ? undefined : Number(dueWithin),
      limit: limit === undefined ? WORKLIST_PAGE : Number(limit),
      after,
    },
  }
}
