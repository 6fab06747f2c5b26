import { parseArgs } from 'node:util'
import { CliError } from '../cli-error.js'
import { parseIntegerOption, withDatabase } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_OK } from '../command.js'

const USAGE = `Usage: onco-edi serve [--port 8080] [--host 127.0.0.1] [--idle-minutes 30] [--trust-proxy]

Serves the web application (worklist, items, corrected claims; JSON API under /api/, OpenAPI at
/api/openapi.json) on the same database as the other commands: PostgreSQL with DATABASE_URL, else
the embedded database in $ONCO_EDI_HOME, which the server holds (its lock) until it stops.
Prints "listening on http://HOST:PORT" when ready; GET /healthz answers 200. Stops on SIGINT or
SIGTERM, closing the database.

--port N          TCP port (default 8080; 0 picks a free one)
--host ADDR       address to listen on (default 127.0.0.1, this machine only)
--idle-minutes N  a session ends after N minutes without a request (default 30)
--trust-proxy     behind a TLS-terminating proxy: trust X-Forwarded-Proto/-For (the session
                  cookie is then Secure)

Users sign in with accounts made by "onco-edi users add NAME --role ROLE".`

/** Runs the server until `stop` aborts; resolves after the server and database are closed. */
export async function serve(args: string[], context: CommandContext, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'idle-minutes': { type: 'string' },
      'trust-proxy': { type: 'boolean', default: false },
    },
  })
  if (positionals.length > 0) throw new CliError('CLI_USAGE', `Unexpected argument "${positionals[0]}"`)
  const port = parseIntegerOption('port', values.port, { min: 0, max: 65_535 }) ?? 8080
  const idleMinutes =
    parseIntegerOption('idle-minutes', values['idle-minutes'], { min: 1, max: 7 * 24 * 60 }) ?? 30
  const host = values.host?.trim() || '127.0.0.1'
  const { createWebServer } = await import('../../web/create-server.js')
  return withDatabase(context, async (handle) => {
    const app = await createWebServer({
      db: handle.db,
      engine: handle.engine,
      queue: handle,
      logger: context.logger,
      idleMinutes,
      trustProxy: values['trust-proxy'],
      outbound: context.config.outbound,
    })
    try {
      try {
        await app.listen({ port, host })
      } catch (cause) {
        const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'error'
        throw new CliError('CLI_BAD_OPTION', `Cannot listen on ${host}:${port} (${code})`, { cause })
      }
      const address = app.server.address()
      const actual = typeof address === 'object' && address !== null ? address.port : port
      const shownHost = host.includes(':') ? `[${host}]` : host
      context.stdout.write(`listening on http://${shownHost}:${actual}\n`)
      if (!stop.aborted)
        await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }))
    } finally {
      await app.close()
    }
    return EXIT_OK
  })
}

/** `onco-edi serve`: the web application. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the web application (worklist, items, corrected claims) and its JSON API',
  usage: USAGE,
  async run(args, context) {
    const controller = new AbortController()
    // The first signal closes the server and then the database, and only then is the embedded
    // database's home lock released (not at the signal, as for the other commands); a second
    // signal exits at once (the lock is released at exit).
    const { deferSignalsToCaller } = await import('../../db/home-lock.js')
    const undefer = deferSignalsToCaller()
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!controller.signal.aborted) controller.abort()
      else process.exit(signal === 'SIGINT' ? 130 : 143)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      return await serve(args, context, controller.signal)
    } finally {
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
      undefer()
    }
  },
}
