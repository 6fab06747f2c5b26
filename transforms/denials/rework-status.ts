/**
 * Statuses of a rework item. `recovered` (paid in full) and `partially_recovered` (paid in part) are
 * set by ingest when a later 835 pays.
 */
export const REWORK_STATUSES = [
  'open',
  'assigned',
  'corrected',
  'appealed',
  'written_off',
  'patient_billed',
  'partially_recovered',
  'recovered',
] as const
export type ReworkStatus = (typeof REWORK_STATUSES)[number]

/**
 * What can happen to an item: a biller's step (`assign`, the four resolutions, `reopen`) or a
 * payment (`recover`, by a later 835's ingest: to `recovered` when it pays the item in full,
 * to `partially_recovered` when it pays part of it).
 */
export const STATUS_CHANGES = [
  'assign',
  'correct',
  'appeal',
  'write_off',
  'bill_patient',
  'recover',
  'reopen',
] as const
export type StatusChange = (typeof STATUS_CHANGES)[number]

/**
 * The one transition table: from a status, the changes allowed and the status each leads to.
 *
 * - Work happens on `open` and `assigned` items: (re)assign, or resolve (corrected claim sent,
 *   appeal filed, written off, billed to the patient).
 * - A resolved item waits for the payer: a later payment recovers it, or it is written off or
 *   billed to the patient. Going back to work (say, the appeal of a written-off item) needs an
 *   explicit, audited `reopen` to `open` first; no resolution leads straight to another step.
 * - Money that arrives after a write-off or a patient bill is still recovered.
 * - A partly recovered item may be paid more, written off or billed to the patient for the rest,
 *   or reopened.
 * - `recovered` is final: its amount and date come from the paying remit.
 */
const TRANSITIONS: Readonly<Record<ReworkStatus, Readonly<Partial<Record<StatusChange, ReworkStatus>>>>> = {
  open: {
    assign: 'assigned',
    correct: 'corrected',
    appeal: 'appealed',
    write_off: 'written_off',
    bill_patient: 'patient_billed',
    recover: 'recovered',
  },
  assigned: {
    assign: 'assigned',
    correct: 'corrected',
    appeal: 'appealed',
    write_off: 'written_off',
    bill_patient: 'patient_billed',
    recover: 'recovered',
  },
  corrected: {
    write_off: 'written_off',
    bill_patient: 'patient_billed',
    recover: 'recovered',
    reopen: 'open',
  },
  appealed: {
    write_off: 'written_off',
    bill_patient: 'patient_billed',
    recover: 'recovered',
    reopen: 'open',
  },
  written_off: { recover: 'recovered', reopen: 'open' },
  patient_billed: { recover: 'recovered', reopen: 'open' },
  partially_recovered: {
    write_off: 'written_off',
    bill_patient: 'patient_billed',
    recover: 'recovered',
    reopen: 'open',
  },
  recovered: {},
}

/** The outcome of {@link nextStatus}. */
export type TransitionResult =
  | { ok: true; from: ReworkStatus; to: ReworkStatus }
  | { ok: false; from: string; change: StatusChange; allowed: StatusChange[]; reason: string }

/** True for one of {@link REWORK_STATUSES}. */
export function isReworkStatus(value: string): value is ReworkStatus {
  return (REWORK_STATUSES as readonly string[]).includes(value)
}

/** The changes allowed from a status (none from an unknown one), in {@link STATUS_CHANGES} order. */
export function allowedChanges(from: string): StatusChange[] {
  if (!isReworkStatus(from)) return []
  const row = TRANSITIONS[from]
  return STATUS_CHANGES.filter((change) => row[change] !== undefined)
}

/** The statuses from which `change` is allowed, e.g. every status a later payment can recover. */
export function statusesAllowing(change: StatusChange): ReworkStatus[] {
  return REWORK_STATUSES.filter((status) => TRANSITIONS[status][change] !== undefined)
}

/**
 * The status an item moves to when `change` happens to it in status `from`, or why it cannot.
 *
 * @example
 * ```ts
 * nextStatus('open', 'assign')        // { ok: true, from: 'open', to: 'assigned' }
 * nextStatus('written_off', 'appeal') // { ok: false, allowed: ['recover', 'reopen'], reason: 'a written_off item cannot be appealed; allowed: recover, reopen' , … }
 * ```
 */
export function nextStatus(from: string, change: StatusChange): TransitionResult {
  const to = isReworkStatus(from) ? TRANSITIONS[from][change] : undefined
  if (isReworkStatus(from) && to !== undefined) return { ok: true, from, to }
  const allowed = allowedChanges(from)
  const reason = isReworkStatus(from)
    ? `${/^[aeiou]/.test(from) ? 'an' : 'a'} ${from} item cannot be ${PAST[change]}; allowed: ${allowed.length === 0 ? 'nothing (final)' : allowed.join(', ')}`
    : `"${from}" is not a rework item status (expected one of ${REWORK_STATUSES.join(', ')})`
  return { ok: false, from, change, allowed, reason }
}

const PAST: Record<StatusChange, string> = {
  assign: 'assigned',
  correct: 'corrected',
  appeal: 'appealed',
  write_off: 'written off',
  bill_patient: 'billed to the patient',
  recover: 'recovered',
  reopen: 'reopened',
}
