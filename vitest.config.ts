import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core machine.
    // Two there took 15 PGlite-heavy files from 52 s to 36 s (2026-12-04, quiet machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Builds the migrated PGlite template every PGlite test database starts from.
    globalSetup: ['test/support/global-setup.ts'],
  },
})
