import { ensurePgliteTemplate } from './pglite-template.js'

/**
 * vitest globalSetup: builds the migrated PGlite template (test/support/pglite-template.ts) once,
 * before the test files start, so that the workers do not all build it at the same time.
 */
export default async function setup(): Promise<void> {
  await ensurePgliteTemplate()
}
