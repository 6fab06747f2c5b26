/** Tables of ingest, matching, rework and audit (migration 0001). */
// biome-ignore lint/complexity/noBannedTypes: filled in by the ingest/rework work
export type CoreTables = {}
