import { parseArgs } from 'node:util'
import { isRole, ROLES } from '../../web/roles.js'
import { CliError } from '../cli-error.js'
import { actorOf, formatTable, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_OK } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage:
  onco-edi users add NAME --role ${ROLES.join('|')} [--user USER]
  onco-edi users passwd NAME [--user USER]
  onco-edi users list [--json]
  onco-edi users disable NAME [--user USER]

The web application's users (onco-edi serve). add and passwd print a generated password as the
last line of stdout (shown once; only its argon2id hash is stored). passwd and disable end the
user's sessions. Roles: biller (work items), coder (as biller, plus scrub findings and code
tables), finance (reports; items read-only), admin (users, payer profiles, code tables).
Names: a letter or digit, then letters, digits, ".", "_", "@", "-" (at most 64).
Every change is audited with --user (default $ONCO_EDI_USER, else $USER).`

/** `onco-edi users add|passwd|list|disable`. */
export const usersCommand: Command = {
  name: 'users',
  summary: 'manage the web users (add with a generated password, passwd, list, disable)',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    const [sub, name, extra] = positionals
    if (extra !== undefined) throw new CliError('CLI_USAGE', `Unexpected argument "${escapeControl(extra)}"`)
    const repo = await import('../../web/user-repository.js')
    if (sub === 'list') {
      if (name !== undefined) throw new CliError('CLI_USAGE', `Unexpected argument "${escapeControl(name)}"`)
      const users = await withDatabase(context, (handle) => repo.listUsers(handle.db))
      context.stdout.write(
        values.json
          ? `${JSON.stringify(users, null, 2)}\n`
          : formatTable(
              ['name', 'role', 'status', 'created', 'password changed'],
              users.map((u) => [
                u.username,
                u.role,
                u.disabled ? 'disabled' : 'enabled',
                u.createdAt.slice(0, 10),
                u.passwordChangedAt.slice(0, 10),
              ]),
            ),
      )
      return EXIT_OK
    }
    if (sub !== 'add' && sub !== 'passwd' && sub !== 'disable')
      throw new CliError(
        'CLI_USAGE',
        `Expected users add|passwd|list|disable, got "${escapeControl(sub ?? '')}"`,
      )
    if (name === undefined || !repo.USERNAME_PATTERN.test(name))
      throw new CliError(
        'CLI_USAGE',
        `Expected a user name (a letter or digit, then letters, digits, ".", "_", "@", "-"; at most 64), got "${escapeControl(name ?? '')}"`,
      )
    const actor = actorOf(values.user, context)
    if (sub === 'add') {
      const role = values.role
      if (role === undefined || !isRole(role))
        throw new CliError(
          'CLI_BAD_OPTION',
          `Expected --role to be one of ${ROLES.join(', ')}, got "${escapeControl(role ?? '')}"`,
        )
      const { user, password } = await withDatabase(context, (handle) =>
        repo.addUser(handle.db, name, role, actor),
      )
      context.stdout.write(`added ${user.username} (${user.role}); password:\n${password}\n`)
      return EXIT_OK
    }
    if (sub === 'passwd') {
      const password = await withDatabase(context, (handle) => repo.resetPassword(handle.db, name, actor))
      context.stdout.write(`new password of ${name} (their sessions are ended):\n${password}\n`)
      return EXIT_OK
    }
    await withDatabase(context, (handle) => repo.disableUser(handle.db, name, actor))
    context.stdout.write(`disabled ${name} (their sessions are ended)\n`)
    return EXIT_OK
  },
}
