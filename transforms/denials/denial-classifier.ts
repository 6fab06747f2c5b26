import type { IsoDate } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'
import {
  type CarcRule,
  type CarcTable,
  type CarcTableGroup,
  normalizeCarc,
  resolveCarcRule,
} from './carc-table.js'
import type {
  AdjustmentInput,
  DenialClassification,
  DenialFlag,
  ReworkAction,
  ReworkQueue,
} from './denial-types.js'

/**
 * Which queue wins when one claim's routed CARCs point to different queues. Fixed precedence,
 * not the largest amount, because the upstream fix comes first and the order must not depend on
 * how a payer happened to split the dollars across CAS triplets:
 * - authorization: without a valid authorization nothing else pays, and a retro-auth window is short;
 * - coding: a corrected claim re-adjudicates every line, so it can clear the other reasons;
 * - bundling: a modifier/sequence fix is also a corrected claim, narrower than recoding;
 * - medical_necessity and coverage: appeals with records, worked once the claim itself is right;
 * - other: verification work (duplicates, COB, eligibility), and unknown codes.
 * Inside the primary queue the routed adjustment with the largest amount names the action; ties go
 * to the first one in remit order.
 */
export const QUEUE_PRECEDENCE: readonly ReworkQueue[] = [
  'authorization',
  'coding',
  'bundling',
  'medical_necessity',
  'coverage',
  'other',
]

/** CLP02 status of a reversal of a previous payment (005010X221A1 CLP02 code 22). */
export const CLP02_REVERSAL = '22'

/** What {@link classifyDenial} reads: one claim's or one line's adjustments and remarks. */
export interface DenialInput {
  /** CAS triplets (claim-level or line-level), in remit order. */
  adjustments: AdjustmentInput[]
  /** RARCs (LQ*HE on the line, MOA/MIA at claim level). */
  rarcs: string[]
  /** CLP02; `22` (reversal) never classifies. */
  claimStatus?: string
  /** The remit date (BPR16, else DTM*405): decides whether a CARC was deactivated when sent. */
  remitDate: IsoDate
}

/** Who carries the adjustment, by CAS group (005010X221A1 CAS01: CO contractual obligation, PR patient responsibility, OA/PI other). */
export type Liability = 'provider' | 'patient' | 'other'

interface Routed {
  group: string
  carc: string
  amount: Cents
  queue: ReworkQueue
  action: ReworkAction
  rule: CarcRule | undefined
  index: number
}

const UNKNOWN_GUIDANCE =
  'unknown adjustment reason code: look it up in the current X12 CARC list and update carc-rules'

/**
 * The carc-rules column a CAS group reads. CR (corrections and reversals) was retired in 5010 but
 * old remits carry it: read it like OA and flag it. Any other unknown group is also read like OA,
 * flagged `unknown_group`, never dropped.
 */
function tableGroupOf(group: string): { column: CarcTableGroup; flag: DenialFlag | undefined } {
  switch (group) {
    case 'CO':
    case 'PR':
    case 'OA':
    case 'PI':
      return { column: group, flag: undefined }
    case 'CR':
      return { column: 'OA', flag: 'retired_group_cr' }
    default:
      return { column: 'OA', flag: 'unknown_group' }
  }
}

/** Liability of a CAS group: CO is the provider's (the patient may not be billed), PR the patient's. */
export function liabilityOfGroup(group: string): Liability {
  const g = group.trim().toUpperCase()
  return g === 'CO' ? 'provider' : g === 'PR' ? 'patient' : 'other'
}

/** True when the CARC was deactivated on the remit date: on or after its X12 stop date. */
export function isDeactivatedOn(rule: CarcRule, remitDate: IsoDate): boolean {
  return rule.stopDate !== undefined && remitDate >= rule.stopDate
}

/**
 * Classifies one claim's or one line's adjustments into a rework queue, or returns `undefined`
 * when nothing needs work: no adjustment routes to a queue (PR-1/2/3, CO-45, CO-253, OA-23 are
 * `none` in the table), only zero or negative amounts remain, or the CLP is a reversal (CLP02=22,
 * netted by the ingest, never an item by itself — 005010X221A1 CLP02 = 22).
 *
 * Matching is on group + CARC (+ RARC) codes only, never on description text: the X12 CARC list
 * rewords descriptions between releases.
 * - Unknown CARCs route to `other` with `unknown_carc`; deactivated ones (15, 62…) route as their
 *   row says and are flagged `deactivated_carc` when the remit date is on or after the stop date.
 * - `carcs` lists every routed `GROUP-CARC` once, the primary one first, the rest in remit order.
 * - `amount` is the sum of the routed adjustments (cents), the denied amount at risk.
 *
 * @example
 * ```ts
 * classifyDenial({ adjustments: [{ group: 'CO', carc: '4', amount: 12000 }], rarcs: [], remitDate: '2026-04-10' }, table)
 * // { queue: 'coding', action: 'corrected_claim', carcs: ['CO-4'], amount: 12000, flags: [], … }
 * ```
 */
export function classifyDenial(input: DenialInput, table: CarcTable): DenialClassification | undefined {
  if (input.claimStatus?.trim() === CLP02_REVERSAL) return undefined
  const flags = new Set<DenialFlag>()
  const routed: Routed[] = []
  input.adjustments.forEach((adjustment, index) => {
    const group = adjustment.group.trim().toUpperCase()
    const carc = normalizeCarc(adjustment.carc)
    // Zero and negative amounts deny nothing (a negative one gives money back); they never open work.
    if (!(adjustment.amount > 0)) return
    const { column, flag: groupFlag } = tableGroupOf(group)
    const rule = resolveCarcRule(table, carc, input.rarcs)
    if (rule === undefined) {
      if (groupFlag !== undefined) flags.add(groupFlag)
      flags.add('unknown_carc')
      routed.push({ group, carc, amount: adjustment.amount, queue: 'other', action: 'verify', rule, index })
      return
    }
    const queue = rule.queues[column]
    if (queue === 'none') return
    if (groupFlag !== undefined) flags.add(groupFlag)
    if (isDeactivatedOn(rule, input.remitDate)) flags.add('deactivated_carc')
    routed.push({ group, carc, amount: adjustment.amount, queue, action: rule.action, rule, index })
  })
  if (routed.length === 0) return undefined

  const primary = pickPrimary(routed)
  const carcs: string[] = []
  const addCarc = (r: Routed): void => {
    const label = `${r.group}-${r.carc}`
    if (!carcs.includes(label)) carcs.push(label)
  }
  addCarc(primary)
  for (const r of routed) addCarc(r)

  const amount = routed.reduce((sum, r) => sum + r.amount, 0)
  const rarcs = [...new Set(input.rarcs.map((r) => r.trim().toUpperCase()).filter((r) => r !== ''))]
  return {
    queue: primary.queue,
    action: primary.action,
    carcs,
    rarcs,
    amount,
    flags: [...flags],
    guidance: guidanceOf(primary),
    liability: liabilityOfGroup(primary.group),
  }
}

function pickPrimary(routed: readonly Routed[]): Routed {
  let best: Routed | undefined
  for (const r of routed) {
    if (best === undefined) {
      best = r
      continue
    }
    const rank = QUEUE_PRECEDENCE.indexOf(r.queue)
    const bestRank = QUEUE_PRECEDENCE.indexOf(best.queue)
    if (rank < bestRank || (rank === bestRank && r.amount > best.amount)) best = r
  }
  if (best === undefined) throw new Error('pickPrimary needs at least one routed adjustment')
  return best
}

function guidanceOf(primary: Routed): string {
  const rule = primary.rule
  if (rule === undefined) return UNKNOWN_GUIDANCE
  const text = primary.group === 'PR' && rule.guidancePr !== undefined ? rule.guidancePr : rule.guidance
  return `${primary.group}-${primary.carc} ${rule.summary}: ${text}`
}
