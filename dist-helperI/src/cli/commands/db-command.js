import { parseArgs } from 'node:util';
import { databaseOptionsFromConfig, migrateToLatest, openDatabase } from '../../db/create-database.js';
import { CliError } from '../cli-error.js';
import { EXIT_OK } from '../command.js';
const USAGE = `Usage: onco-edi db migrate

Applies pending database migrations (PostgreSQL when DATABASE_URL is set, else the embedded PGlite
database in $ONCO_EDI_HOME/pgdata). Every other command also applies them on start.`;
/** `onco-edi db migrate`. */
export const dbCommand = {
    name: 'db',
    summary: 'apply database migrations',
    usage: USAGE,
    async run(args, context) {
        const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
        if (positionals[0] !== 'migrate' || positionals.length > 1)
            throw new CliError('CLI_USAGE', `Expected "db migrate", got "db ${positionals.join(' ')}"`);
        const handle = await openDatabase({ ...databaseOptionsFromConfig(context.config), migrate: false });
        try {
            const applied = await migrateToLatest(handle.db);
            context.stdout.write(applied.length === 0
                ? 'database is up to date\n'
                : `applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
        }
        finally {
            await handle.close();
        }
        return EXIT_OK;
    },
};
//# sourceMappingURL=db-command.js.map