import type { LineView } from '../claim-view.js'
import { claimView } from '../claim-view.js'
import { finding, procedurePosition, unitsPosition } from '../finding-helpers.js'
import type { InfusionInterval } from '../infusion-time.js'
import { parseClockTime, parseInfusionTimes, units96415 } from '../infusion-time.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * Chemotherapy sequencing (NCCI Policy Manual ch. XI; CPT Assistant):
 * - 96415 is extra TIME on one infusion: each hour past the first, counted only past 30 minutes
 *   (AAPC 142269). With infusion times (line NTE, or the schedule input) the billed 96415 units
 *   must equal the sum over the day's infusions.
 * - 96417 is each additional SEQUENTIAL infusion of a different chemo drug; drugs given
 *   concurrently have no 96417 (CPT Assistant Nov 2005; AAPC Oncology Alert 170567).
 * - 96368 (concurrent infusion) is reported at most once per DOS (NCCI ch. XI).
 * - Without times: a chemo drug with no chemo administration code on its DOS, or more chemo drugs
 *   than 1 + the 96417/96411 units, are warnings (one bag with several drugs is one
 *   administration: CPT Assistant Nov 2006).
 */
export const adminSequenceRule: ScrubRule = {
  id: 'admin-sequence',
  description: 'infusion sequencing: 96415 time units, 96417 only sequential, 96368 once per DOS',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    const view = claimView(claim, context)
    for (const [dos, lines] of view.byDos) {
      // 96368 at most once per date of service.
      let concurrent = 0
      for (const line of lines) {
        if (line.code !== '96368') continue
        concurrent += line.line.units
        if (concurrent > 1)
          findings.push(
            finding(
              this,
              claim,
              line.line,
              `96368 (concurrent infusion) is reported ${concurrent} times on ${dos}; it is allowed once per DOS`,
              unitsPosition(claim, line.line),
              {
                suggestion: 'bill 96368 × 1 for the date',
              },
            ),
          )
      }

      const chemo = lines.filter((line) => line.isDrug && context.reference.isChemoDrug(line.code))
      if (chemo.length === 0) continue
      const timed: { line: LineView; interval: InfusionInterval }[] = []
      for (const line of chemo) {
        const interval = intervalOf(line, claim.subscriber.memberId, dos, context)
        if (interval !== undefined) timed.push({ line, interval })
      }
      const units96415Billed = sumUnits(lines, '96415')
      const units96417Billed = sumUnits(lines, '96417')
      const chemoAdmin = lines.filter((line) => line.admin?.family === 'chemo')

      // Times may sit on the administration lines instead (96413/96409/96417 NTE).
      if (timed.length === 0) {
        const adminTimes: InfusionInterval[] = []
        let allTimed = true
        for (const line of chemoAdmin) {
          if (line.code === '96415') continue
          const interval = parseInfusionTimes(line.line.notes)
          if (interval === undefined) allTimed = false
          else adminTimes.push(interval)
        }
        if (allTimed && adminTimes.length > 0) {
          let expected = 0
          for (const interval of adminTimes) expected += units96415(interval.end - interval.start)
          if (expected !== units96415Billed) {
            const at = lines.find((line) => line.code === '96415') ?? chemoAdmin[0]
            if (at !== undefined)
              findings.push(
                finding(
                  this,
                  claim,
                  at.line,
                  `96415 is billed × ${units96415Billed} on ${dos} but the infusion times give ${expected} (an hour counts past 30 minutes)`,
                  at.code === '96415' ? unitsPosition(claim, at.line) : procedurePosition(claim, at.line),
                  { suggestion: expected === 0 ? 'remove 96415' : `bill 96415 × ${expected}` },
                ),
              )
          }
          continue
        }
      }

      if (timed.length > 0) {
        // Identical intervals are one bag: one infusion (CPT Assistant Nov 2006).
        const infusions = uniqueIntervals(timed.map((t) => t.interval))
        let overlapping = false
        for (let i = 0; i < infusions.length; i++)
          for (let j = i + 1; j < infusions.length; j++) {
            const a = infusions[i]
            const b = infusions[j]
            if (a !== undefined && b !== undefined && a.start < b.end && b.start < a.end) overlapping = true
          }
        const line96417 = lines.find((line) => line.code === '96417')
        if (overlapping && line96417 !== undefined)
          findings.push(
            finding(
              this,
              claim,
              line96417.line,
              `96417 is billed on ${dos} but the chemo drugs were given concurrently (overlapping times)`,
              procedurePosition(claim, line96417.line),
              {
                suggestion:
                  'concurrent chemo drugs have no CPT code (96549, CPT Assistant Nov 2005); a separate IV site is a second 96413 with XS',
              },
            ),
          )
        if (timed.length === chemo.length) {
          let expected = 0
          // 96415 counts past the first hour of each infusion (push < 16 min carries none).
          for (const interval of infusions) expected += units96415(interval.end - interval.start)
          if (expected !== units96415Billed) {
            const at = lines.find((line) => line.code === '96415') ?? chemoAdmin[0] ?? timed[0]?.line
            if (at !== undefined)
              findings.push(
                finding(
                  this,
                  claim,
                  at.line,
                  `96415 is billed × ${units96415Billed} on ${dos} but the infusion times give ${expected} (an hour counts past 30 minutes)`,
                  at.code === '96415' ? unitsPosition(claim, at.line) : procedurePosition(claim, at.line),
                  { suggestion: expected === 0 ? 'remove 96415' : `bill 96415 × ${expected}` },
                ),
              )
          }
        }
        continue
      }

      // No times: structural checks only, as warnings.
      const first = chemo[0]
      if (first === undefined) continue
      if (chemoAdmin.length === 0) {
        findings.push(
          finding(
            this,
            claim,
            first.line,
            `chemo drug ${first.code} on ${dos} has no chemotherapy administration code (96401–96549)`,
            procedurePosition(claim, first.line),
            {
              severity: 'warning',
              suggestion:
                claim.kind === '837P' && view.lines.some((l) => l.admin !== undefined)
                  ? 'chemotherapy takes 96413/96409 as its initial code, not a therapeutic or hydration code'
                  : 'bill the chemotherapy administration (96413/96409 …) that gave the drug',
            },
          ),
        )
        continue
      }
      const distinct = new Set(chemo.map((line) => line.code)).size
      const initials = chemoAdmin
        .filter((line) => line.admin?.role === 'initial')
        .reduce((n, l) => n + l.line.units, 0)
      const administrations = Math.max(1, initials) + units96417Billed + sumUnits(lines, '96411')
      if (distinct > administrations)
        findings.push(
          finding(
            this,
            claim,
            first.line,
            `${distinct} different chemo drugs on ${dos} but ${administrations} chemo administration(s) (initial + 96417/96411 units)`,
            procedurePosition(claim, first.line),
            {
              severity: 'warning',
              suggestion:
                'if the drugs were given sequentially, bill 96417 × 1 per additional drug; drugs mixed in one bag are one administration',
            },
          ),
        )
    }
    return findings
  },
}

function sumUnits(lines: readonly LineView[], code: string): number {
  let total = 0
  for (const line of lines) if (line.code === code) total += line.line.units
  return total
}

function uniqueIntervals(intervals: InfusionInterval[]): InfusionInterval[] {
  const unique: InfusionInterval[] = []
  for (const interval of intervals)
    if (!unique.some((u) => u.start === interval.start && u.end === interval.end)) unique.push(interval)
  return unique
}

function intervalOf(
  line: LineView,
  memberId: string,
  dos: string,
  context: Parameters<ScrubRule['check']>[1],
): InfusionInterval | undefined {
  const fromNotes = parseInfusionTimes(line.line.notes)
  if (fromNotes !== undefined) return fromNotes
  for (const entry of context.schedule(memberId, dos)) {
    if (entry.hcpcs !== line.code) continue
    const start = parseClockTime(entry.startTime)
    const end = parseClockTime(entry.endTime)
    if (start !== undefined && end !== undefined) return { start, end: end < start ? end + 1440 : end }
  }
  return undefined
}
