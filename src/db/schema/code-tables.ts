/** Tables of code sets, authorizations and scrubbing (migration 0002). */
// biome-ignore lint/complexity/noBannedTypes: filled in by the scrub work
export type CodeTables = {}
