/** An infusion's clock interval in minutes from midnight; `end` may pass 1440 (past midnight). */
export interface InfusionInterval {
  start: number
  end: number
}

/**
 * Units of 96415 for one continuous infusion of `minutes` (> 60): each hour past the first, the
 * last one counted only when more than 30 minutes spill past the hour boundary (AAPC 142269; UWHC
 * IV infusion manual). 90 → 0, 91 → 1, 150 → 1, 151 → 2, 155 → 2.
 */
export function units96415(minutes: number): number {
  if (minutes <= 60) return 0
  const extra = minutes - 60
  return Math.floor(extra / 60) + (extra % 60 > 30 ? 1 : 0)
}

const TIME_PATTERN = /(?:START\s*)?(\d{1,2}):?(\d{2})\s*(?:-|–|TO\b|STOP\b)\s*(?:STOP\s*)?(\d{1,2}):?(\d{2})/i

/**
 * Reads infusion start/stop times from NTE text: `START 1410 STOP 1645`, `14:10-16:45`,
 * `1410 TO 1645`. `undefined` when no time pair is present or a time is not a clock time.
 */
export function parseInfusionTimes(texts: readonly string[]): InfusionInterval | undefined {
  for (const text of texts) {
    const match = TIME_PATTERN.exec(text)
    if (match === null) continue
    const start = clock(match[1], match[2])
    const end = clock(match[3], match[4])
    if (start === undefined || end === undefined) continue
    return { start, end: end < start ? end + 1440 : end }
  }
  return undefined
}

/** Parses `HHMM` or `HH:MM` (schedule CSV) into minutes from midnight. */
export function parseClockTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const match = /^(\d{1,2}):?(\d{2})$/.exec(text.trim())
  return match === null ? undefined : clock(match[1], match[2])
}

function clock(hours: string | undefined, minutes: string | undefined): number | undefined {
  const h = Number(hours)
  const m = Number(minutes)
  if (!Number.isInteger(h) || !Number.isInteger(m) || h > 23 || m > 59) return undefined
  return h * 60 + m
}
