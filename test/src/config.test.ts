import { describe, expect, it } from 'vitest'
import { CliError } from '../../src/cli/cli-error.js'
import { LOG_LEVELS, loadConfig } from '../../src/config.js'

function failure(run: () => unknown): CliError {
  try {
    run()
  } catch (error) {
    if (error instanceof CliError) return error
    throw error
  }
  throw new Error('expected a CliError')
}

describe('loadConfig', () => {
  it('refuses a LOG_LEVEL that is not a pino level, naming the allowed ones', () => {
    const error = failure(() => loadConfig({ LOG_LEVEL: 'bogus' }))
    expect(error.code).toBe('CLI_BAD_CONFIG')
    expect(error.message).toBe(
      'Expected LOG_LEVEL to be one of fatal, error, warn, info, debug, trace, silent, got "bogus"',
    )
    for (const level of LOG_LEVELS) expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level)
    expect(loadConfig({}).logLevel).toBe('warn')
  })

  it('takes the actor from ONCO_EDI_USER, then USER, then the OS account; blank stays blank', () => {
    const os = () => 'osname'
    expect(loadConfig({ ONCO_EDI_USER: ' maria ', USER: 'root' }, os).user).toBe('maria')
    expect(loadConfig({ USER: 'root' }, os).user).toBe('root')
    expect(loadConfig({}, os).user).toBe('osname')
    expect(loadConfig({}, () => '').user).toBeUndefined()
    // Refused by the commands that record an actor (CLI_USAGE), not silently replaced.
    expect(loadConfig({ ONCO_EDI_USER: '  ', USER: 'root' }, os).user).toBe('')
  })

  it('reads ONCO_EDI_WAIT as whole seconds up to a day', () => {
    expect(loadConfig({}).lockWaitSeconds).toBe(0)
    expect(loadConfig({ ONCO_EDI_WAIT: '30' }).lockWaitSeconds).toBe(30)
    for (const bad of ['-1', '1.5', 'forever', '86401'])
      expect(failure(() => loadConfig({ ONCO_EDI_WAIT: bad })).code).toBe('CLI_BAD_CONFIG')
  })

  it('reads ONCO_EDI_DUPLICATE_ISA13_DAYS as whole days from 1; unset or blank is no window', () => {
    expect(loadConfig({}).duplicateIsa13Days).toBeUndefined()
    expect(loadConfig({ ONCO_EDI_DUPLICATE_ISA13_DAYS: ' ' }).duplicateIsa13Days).toBeUndefined()
    expect(loadConfig({ ONCO_EDI_DUPLICATE_ISA13_DAYS: '365' }).duplicateIsa13Days).toBe(365)
    for (const bad of ['0', '-1', '1.5', 'forever', '36501'])
      expect(failure(() => loadConfig({ ONCO_EDI_DUPLICATE_ISA13_DAYS: bad })).code).toBe('CLI_BAD_CONFIG')
  })
})
