import { isAbsolute, resolve } from 'node:path';
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js';
import { CliError } from '../cli-error.js';
/**
 * Opens the configured database (applying pending migrations), runs `body`, and closes it in
 * `finally` — every database command does this.
 */
export async function withDatabase(context, body) {
    const handle = await openDatabase(databaseOptionsFromConfig(context.config));
    try {
        return await body(handle);
    }
    finally {
        await handle.close();
    }
}
/** A path relative to the command's working directory. */
export function resolvePath(context, path) {
    return isAbsolute(path) ? path : resolve(context.cwd, path);
}
/** Parses a positive integer option, or throws CLI_BAD_OPTION. */
export function parsePositiveInt(name, value, min = 0) {
    if (value === undefined)
        return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min)
        throw new CliError('CLI_BAD_OPTION', `Expected --${name} to be an integer from ${min} and up, got "${value}"`);
    return Number(value);
}
/** Parses an item id argument. */
export function parseId(value) {
    if (value === undefined || !/^\d+$/.test(value))
        throw new CliError('CLI_USAGE', `Expected a rework item id (a number), got "${value ?? ''}"`);
    return Number(value);
}
/** Validates a YYYY-MM-DD option. */
export function parseDateOption(name, value) {
    if (value === undefined)
        return undefined;
    const date = new Date(`${value}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) ||
        Number.isNaN(date.getTime()) ||
        date.toISOString().slice(0, 10) !== value)
        throw new CliError('CLI_BAD_OPTION', `Expected --${name} as YYYY-MM-DD, got "${value}"`);
    return value;
}
/** Writes a simple aligned text table. */
export function formatTable(headers, rows) {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells) => cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}
//# sourceMappingURL=rework-cli-support.js.map