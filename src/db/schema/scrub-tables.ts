/** Tables of prior authorizations, infusion schedules and scrub results (migration 0003). */
// biome-ignore lint/complexity/noBannedTypes: filled in by the scrub work
export type ScrubTables = {}
