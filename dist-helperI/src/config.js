import { homedir } from 'node:os';
import { join } from 'node:path';
export function loadConfig(env = process.env) {
    const databaseUrl = env.DATABASE_URL?.trim();
    return {
        databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
        home: env.ONCO_EDI_HOME?.trim() || join(homedir(), '.onco-edi'),
        user: env.ONCO_EDI_USER?.trim() || env.USER?.trim() || 'unknown',
        logLevel: env.LOG_LEVEL?.trim() || 'warn',
    };
}
//# sourceMappingURL=config.js.map