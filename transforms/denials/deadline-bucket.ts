import { daysBetween, type IsoDate } from '../../parsers/dates.js'

/**
 * Buckets of the open amount at risk by days left to the rework deadline (timely filing,
 * corrected claim or appeal limit: 42 CFR 424.44 and 42 CFR 405.942 for Medicare, the payer
 * contract otherwise). The boundaries follow the usual aging columns of a receivables report:
 * overdue, the next two weeks, the rest of the month, the quarter, later.
 */
export const DEADLINE_BUCKETS = ['overdue', '0-14', '15-30', '31-90', '>90', '(no deadline)'] as const
export type DeadlineBucket = (typeof DEADLINE_BUCKETS)[number]

/** Human labels of the buckets (en dash ranges). */
export const DEADLINE_BUCKET_LABELS: Readonly<Record<DeadlineBucket, string>> = {
  overdue: 'overdue',
  '0-14': '0–14 days',
  '15-30': '15–30 days',
  '31-90': '31–90 days',
  '>90': '> 90 days',
  '(no deadline)': 'no deadline',
}

/**
 * The bucket of a deadline seen from `asOf`: `overdue` when it has passed (0 days left is the
 * last day, still `0-14`), `(no deadline)` when no rule set one.
 */
export function deadlineBucket(deadline: IsoDate | null | undefined, asOf: IsoDate): DeadlineBucket {
  if (deadline === null || deadline === undefined || deadline === '') return '(no deadline)'
  const left = daysBetween(asOf, deadline)
  if (left < 0) return 'overdue'
  if (left <= 14) return '0-14'
  if (left <= 30) return '15-30'
  if (left <= 90) return '31-90'
  return '>90'
}
