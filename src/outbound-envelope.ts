/**
 * The ids written on the interchanges onco-edi sends (scrub output, corrected claims and, later,
 * acknowledgments): ISA06/ISA08 and GS02/GS03, from the environment (README "Configuration").
 */
export interface OutboundEnvelopeConfig {
  /** `ONCO_EDI_ISA06`: interchange sender id. */
  isa06?: string | undefined
  /** `ONCO_EDI_ISA08`: interchange receiver id. */
  isa08?: string | undefined
  /** `ONCO_EDI_GS02`: application sender's code. */
  gs02?: string | undefined
  /** `ONCO_EDI_GS03`: application receiver's code. */
  gs03?: string | undefined
}

/** The four ids of one outbound interchange, resolved. */
export interface OutboundIds {
  /** ISA06 */
  senderId: string
  /** ISA08 */
  receiverId: string
  /** GS02 */
  applicationSenderCode: string
  /** GS03 */
  applicationReceiverCode: string
}

const VARIABLES = {
  isa06: 'ONCO_EDI_ISA06',
  isa08: 'ONCO_EDI_ISA08',
  gs02: 'ONCO_EDI_GS02',
  gs03: 'ONCO_EDI_GS03',
} as const

/** Reads the `ONCO_EDI_ISA06`, `_ISA08`, `_GS02`, `_GS03` variables; blank means unset. */
export function outboundEnvelopeFromEnv(env: NodeJS.ProcessEnv): OutboundEnvelopeConfig {
  const read = (name: string): string | undefined => env[name]?.trim() || undefined
  return {
    isa06: read(VARIABLES.isa06),
    isa08: read(VARIABLES.isa08),
    gs02: read(VARIABLES.gs02),
    gs03: read(VARIABLES.gs03),
  }
}

/**
 * What is wrong with the configured ids, one message per variable (empty when all are usable):
 * each is 1 to 15 characters (ISA06/ISA08 AN 15/15 padded; GS02/GS03 AN 2/15) of letters,
 * digits, space and `-._/`, so that no delimiter can appear in it.
 */
export function outboundEnvelopeProblems(config: OutboundEnvelopeConfig | undefined): string[] {
  const problems: string[] = []
  for (const key of ['isa06', 'isa08', 'gs02', 'gs03'] as const) {
    const value = config?.[key]
    if (value === undefined) continue
    const min = key.startsWith('gs') ? 2 : 1
    if (value.length < min || value.length > 15 || !/^[A-Za-z0-9 ._/-]+$/.test(value))
      problems.push(
        `Expected ${VARIABLES[key]} to be ${min} to 15 letters, digits, spaces or "-._/", got "${value.replace(/[^\x20-\x7e]/g, '?')}"`,
      )
  }
  return problems
}

/**
 * The ids of an outbound interchange: the configured ones, else those of the input interchange
 * (`input`, e.g. the claim's own ISA06/ISA08), else `ONCOEDI` / `RECEIVER`. GS02/GS03 default to
 * the ISA06/ISA08 in effect.
 */
export function resolveOutboundIds(
  config: OutboundEnvelopeConfig | undefined,
  input: { senderId: string; receiverId: string } | undefined,
): OutboundIds {
  const senderId = config?.isa06 ?? (input?.senderId || 'ONCOEDI')
  const receiverId = config?.isa08 ?? (input?.receiverId || 'RECEIVER')
  return {
    senderId,
    receiverId,
    applicationSenderCode: config?.gs02 ?? senderId,
    applicationReceiverCode: config?.gs03 ?? receiverId,
  }
}
