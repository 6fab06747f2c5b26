/** In-memory ledger: the database rows of earlier runs plus the claims accepted in this run. */
export class MemoryScrubLedger {
    /** member → code → lines: nested maps, so that a lookup builds no key string. */
    #byMember = new Map();
    #byClaim = new Map();
    /** Records a claim's lines, replacing what the ledger held for that claim id (idempotent). */
    replaceClaim(claimId, lines) {
        this.removeClaim(claimId);
        this.#byClaim.set(claimId, lines);
        for (const line of lines) {
            let byCode = this.#byMember.get(line.memberId);
            if (byCode === undefined) {
                byCode = new Map();
                this.#byMember.set(line.memberId, byCode);
            }
            const list = byCode.get(line.hcpcs);
            if (list === undefined)
                byCode.set(line.hcpcs, [line]);
            else
                list.push(line);
        }
    }
    /** Forgets a claim (it was rejected on a re-scrub). */
    removeClaim(claimId) {
        const old = this.#byClaim.get(claimId);
        if (old === undefined)
            return;
        this.#byClaim.delete(claimId);
        for (const line of old) {
            const byCode = this.#byMember.get(line.memberId);
            const list = byCode?.get(line.hcpcs);
            if (byCode === undefined || list === undefined)
                continue;
            const kept = list.filter((l) => l.claimId !== claimId);
            if (kept.length > 0)
                byCode.set(line.hcpcs, kept);
            else {
                byCode.delete(line.hcpcs);
                if (byCode.size === 0)
                    this.#byMember.delete(line.memberId);
            }
        }
    }
    /** Adds rows loaded from the database. */
    load(lines) {
        const grouped = new Map();
        for (const line of lines) {
            const list = grouped.get(line.claimId);
            if (list === undefined)
                grouped.set(line.claimId, [line]);
            else
                list.push(line);
        }
        for (const [claimId, claimLines] of grouped)
            this.replaceClaim(claimId, claimLines);
    }
    usage(payerId, memberId, hcpcs, from, to, excludeClaimId) {
        const usage = { units: 0, dates: new Set() };
        for (const line of this.#byMember.get(memberId)?.get(hcpcs) ?? NO_LINES) {
            if (line.claimId === excludeClaimId || line.payerId !== payerId)
                continue;
            if (from !== undefined && line.dos < from)
                continue;
            if (to !== undefined && line.dos > to)
                continue;
            usage.units += line.units;
            usage.dates.add(line.dos);
        }
        return usage;
    }
    sameService(memberId, dos, hcpcs, excludeClaimId) {
        const lines = this.#byMember.get(memberId)?.get(hcpcs);
        if (lines === undefined)
            return NO_LINES;
        let found;
        for (const line of lines) {
            if (line.dos !== dos || line.claimId === excludeClaimId)
                continue;
            if (found === undefined)
                found = [line];
            else
                found.push(line);
        }
        return found ?? NO_LINES;
    }
}
/** Builds a context, indexing authorizations by payer + member and the schedule by member + date. */
export function createScrubContext(options) {
    // Nested maps: lookups run for every claim and allocate no key strings.
    const auths = new Map();
    for (const auth of options.authorizations ?? [])
        pushNested(auths, auth.payerId, auth.memberId, auth);
    const schedule = new Map();
    for (const entry of options.schedule ?? [])
        pushNested(schedule, entry.memberId, entry.date, entry);
    return {
        codes: options.codes,
        reference: options.reference,
        authorizations: (payerId, memberId) => auths.get(payerId)?.get(memberId) ?? NONE,
        schedule: (memberId, date) => schedule.get(memberId)?.get(date) ?? NO_SCHEDULE,
        ledger: options.ledger ?? new MemoryScrubLedger(),
        asOf: options.asOf ?? new Date().toISOString().slice(0, 10),
    };
}
function pushNested(index, outer, inner, value) {
    let byInner = index.get(outer);
    if (byInner === undefined) {
        byInner = new Map();
        index.set(outer, byInner);
    }
    const list = byInner.get(inner);
    if (list === undefined)
        byInner.set(inner, [value]);
    else
        list.push(value);
}
const NONE = [];
const NO_LINES = [];
const NO_SCHEDULE = [];
/** The ledger lines of a claim: one per service line with a code and a date. */
export function ledgerLinesOf(claim, asOf) {
    const lines = [];
    for (const line of claim.lines) {
        if (line.procedureCode === undefined)
            continue;
        lines.push({
            claimId: claim.claimId,
            lineNumber: line.lineNumber,
            kind: claim.kind,
            payerId: claim.payer.id ?? '',
            memberId: claim.subscriber.memberId,
            dos: line.serviceFrom ?? claim.serviceFrom ?? asOf,
            hcpcs: line.procedureCode,
            units: line.units,
            facility: claim.kind === '837I' ? (claim.typeOfBill ?? '') : (line.placeOfService ?? claim.facilityCode),
        });
    }
    return lines;
}
//# sourceMappingURL=scrub-context.js.map