import { PassThrough } from 'node:stream'
import type { CommandContext } from '../../src/cli/command.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/logger.js'
import { repoRoot } from './x12-files.js'

/** A CommandContext writing into memory, for CLI tests. */
export function memoryContext(cwd: string = repoRoot): {
  context: CommandContext
  stdout: () => string
  stderr: () => string
} {
  const out = new PassThrough()
  const err = new PassThrough()
  const outChunks: Buffer[] = []
  const errChunks: Buffer[] = []
  out.on('data', (c: Buffer) => outChunks.push(c))
  err.on('data', (c: Buffer) => errChunks.push(c))
  return {
    context: {
      stdout: out,
      stderr: err,
      config: loadConfig({ ONCO_EDI_HOME: '/tmp/onco-edi-test-home' }),
      cwd,
      logger: silentLogger(),
    },
    stdout: () => Buffer.concat(outChunks).toString('utf8'),
    stderr: () => Buffer.concat(errChunks).toString('utf8'),
  }
}
