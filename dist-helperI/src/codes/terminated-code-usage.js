import { addDays } from '../../parsers/dates.js';
/** How far back `codes changes` looks for stored claim lines that use a terminated code. */
export const USAGE_LOOKBACK_DAYS = 90;
/**
 * Finds every tracked authorization (table `prior_auth`) for a terminated code that is still open on
 * the day the code ended, and every claim line stored by a scrub (`scrubbed_claim_line`) in the
 * `USAGE_LOOKBACK_DAYS` days up to `asOf` that bills a terminated code. Member ids are not read.
 */
export async function findTerminatedCodeUsage(db, terminated, options) {
    const since = addDays(options.asOf, -USAGE_LOOKBACK_DAYS);
    const byCode = new Map(terminated.map((change) => [change.code, change]));
    if (byCode.size === 0)
        return { since, authorizations: [], claimLines: [] };
    const codes = [...byCode.keys()];
    const auths = await db
        .selectFrom('prior_auth')
        .select(['auth_number', 'payer_id', 'hcpcs', 'start_date', 'end_date'])
        .where('hcpcs', 'in', codes)
        .orderBy('hcpcs')
        .orderBy('auth_number')
        .execute();
    const authorizations = [];
    for (const auth of auths) {
        const change = auth.hcpcs === null ? undefined : byCode.get(auth.hcpcs);
        if (change === undefined || auth.hcpcs === null)
            continue;
        // An authorization that ended before the code did needs no update.
        if (auth.end_date !== null && auth.end_date < change.effectiveDate)
            continue;
        authorizations.push({
            authNumber: auth.auth_number,
            payerId: auth.payer_id,
            hcpcs: auth.hcpcs,
            startDate: auth.start_date ?? undefined,
            endDate: auth.end_date ?? undefined,
            codeEndsOn: change.effectiveDate,
            successor: change.successor?.code,
            unitFactor: change.successor?.unitFactor,
        });
    }
    const lines = await db
        .selectFrom('scrubbed_claim_line')
        .select(['claim_id', 'line_number', 'kind', 'hcpcs', 'units', 'dos', 'scrubbed_at'])
        .where('hcpcs', 'in', codes)
        .where('scrubbed_at', '>=', new Date(`${since}T00:00:00Z`))
        .where('scrubbed_at', '<', new Date(`${addDays(options.asOf, 1)}T00:00:00Z`))
        .orderBy('dos')
        .orderBy('claim_id')
        .orderBy('line_number')
        .execute();
    const claimLines = [];
    for (const line of lines) {
        const change = byCode.get(line.hcpcs);
        if (change === undefined)
            continue;
        claimLines.push({
            claimId: line.claim_id,
            line: line.line_number,
            kind: line.kind,
            hcpcs: line.hcpcs,
            units: line.units,
            serviceDate: line.dos,
            storedAt: new Date(line.scrubbed_at).toISOString(),
            invalidOnServiceDate: line.dos >= change.effectiveDate,
            successor: change.successor?.code,
            unitFactor: change.successor?.unitFactor,
        });
    }
    return { since, authorizations, claimLines };
}
//# sourceMappingURL=terminated-code-usage.js.map