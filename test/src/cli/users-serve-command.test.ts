import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { serve } from '../../../src/cli/commands/serve-command.js'
import type { Config } from '../../../src/config.js'
import { silentLogger } from '../../../src/logger.js'
import { engines } from '../../support/databases.js'
import { WebClient } from '../../support/web-server.js'
import { Capture, cli, cliDatabase } from './cli-support.js'

for (const engine of engines) {
  describe(`users and serve commands [${engine.name}]`, () => {
    let config: Config
    let cleanup = async (): Promise<void> => {}
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    let password = ''
    it('users add prints a generated password as the last line; list shows the user, never the hash', async () => {
      const added = await cli(config, ['users', 'add', 'ann', '--role', 'biller'])
      expect(added.stderr).toBe('')
      expect(added.code).toBe(0)
      password = added.stdout.trimEnd().split('\n').at(-1) ?? ''
      expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/)
      const list = await cli(config, ['users', 'list', '--json'])
      const users = JSON.parse(list.stdout) as { username: string; role: string; disabled: boolean }[]
      expect(users).toEqual([expect.objectContaining({ username: 'ann', role: 'biller', disabled: false })])
      expect(list.stdout).not.toContain('argon2')
      expect((await cli(config, ['users', 'add', 'ann', '--role', 'coder'])).stderr).toMatch(/^DB_CONFLICT: /)
      expect((await cli(config, ['users', 'add', 'bob', '--role', 'boss'])).code).toBe(2)
      expect((await cli(config, ['users', 'add', 'bad name', '--role', 'coder'])).code).toBe(2)
    })

    it('serve prints "listening on", answers /healthz, signs the user in; passwd and disable end sessions', async () => {
      const stdout = new Capture()
      const context: CommandContext = {
        stdout,
        stderr: new Capture(),
        config,
        cwd: process.cwd(),
        logger: silentLogger(),
      }
      const stop = new AbortController()
      const running = serve(['--port', '0', '--host', '127.0.0.1'], context, stop.signal)
      let base = ''
      for (let i = 0; i < 600 && base === ''; i++) {
        base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout.text)?.[1] ?? ''
        if (base === '') await sleep(50)
      }
      expect(stdout.text).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/)
      try {
        expect((await fetch(`${base}/healthz`)).status).toBe(200)
        const client = new WebClient(base)
        expect(await client.login('ann', password)).toBe(303)
        expect((await client.get('/api/session')).status).toBe(200)
        // On PGlite the server holds the home (another process gets DB_LOCKED, test/src/cli/
        // home-lock-process.test.ts); on PostgreSQL the CLI changes users while it runs.
        if (engine.url !== undefined) {
          const passwd = await cli(config, ['users', 'passwd', 'ann'])
          expect(passwd.code).toBe(0)
          expect((await client.get('/api/session')).status).toBe(401)
          const fresh = passwd.stdout.trimEnd().split('\n').at(-1) ?? ''
          expect(await new WebClient(base).login('ann', password)).toBe(401)
          const again = new WebClient(base)
          expect(await again.login('ann', fresh)).toBe(303)
          expect((await cli(config, ['users', 'disable', 'ann'])).code).toBe(0)
          expect((await again.get('/api/session')).status).toBe(401)
          expect(await new WebClient(base).login('ann', fresh)).toBe(401)
        }
      } finally {
        stop.abort()
        expect(await running).toBe(0)
      }
    })

    it('passwd and disable (after the server stopped) are audited with the actor', async () => {
      if (engine.url === undefined) {
        const passwd = await cli(config, ['users', 'passwd', 'ann'])
        expect(passwd.stdout.trimEnd().split('\n').at(-1)).toMatch(/^[A-Za-z0-9_-]{20}$/)
        expect((await cli(config, ['users', 'disable', 'ann'])).code).toBe(0)
      }
      const list = await cli(config, ['users', 'list'])
      expect(list.stdout).toMatch(/ann\s+biller\s+disabled/)
      expect((await cli(config, ['users', 'disable', 'nobody'])).stderr).toMatch(/^DB_NOT_FOUND: /)
    })
  })
}
