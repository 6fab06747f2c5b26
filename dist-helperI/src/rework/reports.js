import { formatCents } from '../../parsers/money.js';
/** Dimensions a report groups by. */
export const REPORT_DIMENSIONS = ['carc', 'payer', 'queue', 'drug', 'month'];
/** Statuses whose amount is still at risk: nobody has given up on it and it is not paid yet. */
const AT_RISK = new Set(['open', 'assigned', 'corrected', 'appealed']);
/** A drug HCPCS (J, Q and C codes carry drugs and biologicals; DOMAIN.md §3). */
const DRUG_CODE = /^[JQC]\d{4}$/;
function inRange(date, range) {
    if (date === null)
        return range.from === undefined && range.to === undefined;
    if (range.from !== undefined && date < range.from)
        return false;
    if (range.to !== undefined && date > range.to)
        return false;
    return true;
}
async function loadItems(db, range) {
    const rows = await db
        .selectFrom('rework_item')
        .select([
        'claim_id',
        'payer_id',
        'queue',
        'carcs',
        'procedure_code',
        'remit_date',
        'amount',
        'recovered_amount',
        'status',
    ])
        .execute();
    return rows
        .filter((r) => inRange(r.remit_date, range))
        .map((r) => ({
        claimKey: `${r.payer_id ?? ''}\u0000${r.claim_id}`,
        payerId: r.payer_id ?? '(unknown)',
        queue: r.queue,
        carc: r.carcs[0] ?? '(none)',
        drug: r.procedure_code !== null && DRUG_CODE.test(r.procedure_code) ? r.procedure_code : null,
        month: (r.remit_date ?? '').slice(0, 7) || '(undated)',
        amount: Number(r.amount),
        recovered: Number(r.recovered_amount),
        status: r.status,
    }));
}
/** Adjudicated claims: distinct CLP01 + payer with a remit that is not a reversal. */
async function loadAdjudicated(db, range) {
    const rows = await db
        .selectFrom('remit_claim')
        .select(['claim_id', 'payer_id', 'remit_date'])
        .where('is_reversal', '=', false)
        .execute();
    const seen = new Map();
    for (const r of rows) {
        if (!inRange(r.remit_date, range))
            continue;
        const claimKey = `${r.payer_id ?? ''}\u0000${r.claim_id}`;
        if (!seen.has(claimKey))
            seen.set(claimKey, {
                claimKey,
                payerId: r.payer_id ?? '(unknown)',
                month: (r.remit_date ?? '').slice(0, 7) || '(undated)',
            });
    }
    return [...seen.values()];
}
function totalsOf(items, adjudicated) {
    const denied = items.reduce((s, i) => s + i.amount, 0);
    const recovered = items.reduce((s, i) => s + i.recovered, 0);
    const open = items.filter((i) => AT_RISK.has(i.status)).reduce((s, i) => s + i.amount - i.recovered, 0);
    const deniedClaims = new Set(items.map((i) => i.claimKey)).size;
    return {
        items: items.length,
        deniedAmountCents: denied,
        recoveredAmountCents: recovered,
        openAmountCents: open,
        deniedAmount: formatCents(denied),
        recoveredAmount: formatCents(recovered),
        openAmount: formatCents(open),
        deniedClaims,
        adjudicatedClaims: adjudicated,
        denialRate: adjudicated === 0 ? 0 : Math.round((deniedClaims / adjudicated) * 10_000) / 10_000,
    };
}
function keyOf(item, by) {
    switch (by) {
        case 'carc':
            return item.carc;
        case 'payer':
            return item.payerId;
        case 'queue':
            return item.queue;
        case 'drug':
            return item.drug;
        case 'month':
            return item.month;
    }
}
/**
 * Denied amount, recovered amount, open amount at risk and the denial rate (denied claims /
 * adjudicated claims), for denials whose remit date falls in the range, optionally grouped. By
 * payer and month the rate uses that payer's or month's adjudicated claims; by carc, queue and
 * drug it uses all of them. An item counts under its primary CARC (the classifier's first).
 */
export async function recoveredReport(db, range = {}, by) {
    const items = await loadItems(db, range);
    const claims = await loadAdjudicated(db, range);
    const groups = [];
    if (by !== undefined) {
        const byKey = new Map();
        for (const item of items) {
            const key = keyOf(item, by);
            if (key === null)
                continue;
            byKey.set(key, [...(byKey.get(key) ?? []), item]);
        }
        for (const [key, list] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
            const adjudicated = by === 'payer'
                ? claims.filter((c) => c.payerId === key).length
                : by === 'month'
                    ? claims.filter((c) => c.month === key).length
                    : claims.length;
            groups.push({ key, ...totalsOf(list, adjudicated) });
        }
    }
    return {
        from: range.from ?? null,
        to: range.to ?? null,
        by: by ?? null,
        totals: totalsOf(items, claims.length),
        groups,
    };
}
/**
 * Finds systematic denial causes: for each CARC, payer, drug or month, how many claims were
 * denied out of those that could be. A J-code denied on every claim billed with it is flagged.
 */
export async function denialsReport(db, by, range = {}) {
    const rows = await db
        .selectFrom('rework_item')
        .select([
        'claim_id',
        'payer_id',
        'queue',
        'carcs',
        'procedure_code',
        'remit_date',
        'amount',
        'recovered_amount',
        'status',
    ])
        .execute();
    const items = rows.filter((r) => inRange(r.remit_date, range));
    const claims = await loadAdjudicated(db, range);
    // Claims billed with each drug code, from the remitted lines.
    const drugClaims = new Map();
    if (by === 'drug') {
        const lines = await db
            .selectFrom('remit_line as rl')
            .innerJoin('remit_claim as rc', 'rc.id', 'rl.remit_claim_id')
            .select(['rl.procedure_code', 'rc.claim_id', 'rc.payer_id', 'rc.remit_date'])
            .where('rc.is_reversal', '=', false)
            .execute();
        for (const line of lines) {
            if (!DRUG_CODE.test(line.procedure_code) || !inRange(line.remit_date, range))
                continue;
            const set = drugClaims.get(line.procedure_code) ?? new Set();
            set.add(`${line.payer_id ?? ''}\u0000${line.claim_id}`);
            drugClaims.set(line.procedure_code, set);
        }
    }
    const groups = new Map();
    for (const item of items) {
        const payerId = item.payer_id ?? '(unknown)';
        const drug = item.procedure_code !== null && DRUG_CODE.test(item.procedure_code) ? item.procedure_code : null;
        const key = by === 'carc'
            ? (item.carcs[0] ?? '(none)')
            : by === 'payer'
                ? payerId
                : by === 'queue'
                    ? item.queue
                    : by === 'month'
                        ? (item.remit_date ?? '').slice(0, 7) || '(undated)'
                        : drug;
        if (key === null)
            continue;
        groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const patterns = [];
    for (const [key, list] of groups) {
        const denied = new Set(list.map((i) => `${i.payer_id ?? ''}\u0000${i.claim_id}`));
        const claimsWithKey = by === 'drug'
            ? (drugClaims.get(key)?.size ?? denied.size)
            : by === 'payer'
                ? claims.filter((c) => c.payerId === key).length
                : by === 'month'
                    ? claims.filter((c) => c.month === key).length
                    : claims.length;
        const amount = list.reduce((s, i) => s + Number(i.amount), 0);
        const share = claimsWithKey === 0 ? 0 : Math.round((denied.size / claimsWithKey) * 10_000) / 10_000;
        patterns.push({
            key,
            items: list.length,
            deniedClaims: denied.size,
            claimsWithKey,
            share,
            deniedAmount: formatCents(amount),
            deniedAmountCents: amount,
            systematic: denied.size >= 2 && denied.size === claimsWithKey,
            queues: [...new Set(list.map((i) => i.queue))].sort(),
            carcs: [...new Set(list.flatMap((i) => i.carcs))].sort(),
        });
    }
    return patterns.sort((a, b) => Number(b.systematic) - Number(a.systematic) ||
        b.share - a.share ||
        b.deniedAmountCents - a.deniedAmountCents ||
        a.key.localeCompare(b.key));
}
//# sourceMappingURL=reports.js.map