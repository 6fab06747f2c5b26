import { formatCents, parseCents } from '../../parsers/money.js';
import { X12Error } from '../../parsers/x12/x12-error.js';
import { readX12File } from './read-x12.js';
function add(map, key, cents) {
    map.set(key, (map.get(key) ?? 0) + cents);
}
function sortedRecord(map) {
    const record = {};
    for (const key of [...map.keys()].sort()) {
        const value = map.get(key);
        if (value !== undefined)
            record[key] = value;
    }
    return record;
}
/**
 * Counts a file from its segments and events, for `inspect` and for differential tests.
 * Counting from segments (not from the typed models) keeps `inspect` independent of the
 * assemblers and exactly comparable with other parsers.
 */
export class X12SummaryCollector {
    #interchanges = 0;
    #groups = 0;
    #transactions = new Map();
    #claims = 0;
    #serviceLines = 0;
    #ndcLines = 0;
    #charge = 0;
    #paid = 0;
    #status = new Map();
    #adjustments = new Map();
    #plb = 0;
    #bpr = 0;
    #quarantined = 0;
    #errors = [];
    #warnings = [];
    /** Pass as `onSegment` to the reader. */
    onSegment = (segment) => {
        const e = segment.elements;
        switch (segment.id) {
            case 'ISA':
                this.#interchanges++;
                return;
            case 'GS':
                this.#groups++;
                return;
            case 'ST': {
                const type = e[1] ?? '';
                this.#transactions.set(type, (this.#transactions.get(type) ?? 0) + 1);
                return;
            }
            case 'CLM':
                this.#claims++;
                this.#charge += parseCents(e[2] ?? '') ?? 0;
                return;
            case 'SV1':
            case 'SV2':
            case 'SV3':
            case 'SVC':
                this.#serviceLines++;
                return;
            case 'LIN':
                // LIN02/03 is the first product id pair (5010 837 loop 2410: LIN02 = N4).
                if (e[2] === 'N4')
                    this.#ndcLines++;
                return;
            case 'CLP': {
                this.#claims++;
                this.#charge += parseCents(e[3] ?? '') ?? 0;
                this.#paid += parseCents(e[4] ?? '') ?? 0;
                const status = e[2] ?? '';
                this.#status.set(status, (this.#status.get(status) ?? 0) + 1);
                return;
            }
            case 'CAS': {
                // CAS01 group, then (CARC, amount, quantity) triplets: CAS02-04, CAS05-07, … CAS17-19.
                const group = e[1] ?? '';
                for (let i = 2; i < e.length; i += 3) {
                    const carc = e[i] ?? '';
                    if (carc === '')
                        continue;
                    add(this.#adjustments, `${group}-${carc}`, parseCents(e[i + 1] ?? '') ?? 0);
                }
                return;
            }
            case 'PLB':
                // PLB03/04, 05/06, … 13/14: (reason:reference, amount) pairs.
                for (let i = 4; i < e.length; i += 2)
                    this.#plb += parseCents(e[i] ?? '') ?? 0;
                return;
            case 'BPR':
                this.#bpr += parseCents(e[2] ?? '') ?? 0;
                return;
        }
    };
    /** Feed every event (for the issues). */
    event(event) {
        if (event.type === 'issue')
            this.#issue(event.issue);
        else if (event.type === 'interchange-end')
            for (const issue of event.issues)
                this.#issue(issue);
        else if (event.type === 'transaction-end') {
            if (event.quarantined)
                this.#quarantined++;
            for (const issue of event.issues)
                this.#issue(issue);
        }
    }
    /** Records a failure that stopped the read. */
    failure(error) {
        this.#errors.push({ code: error.code, message: error.message, position: error.position });
    }
    #issue(issue) {
        const problem = { code: issue.code, message: issue.message, position: issue.position };
        if (issue.severity === 'error')
            this.#errors.push(problem);
        else
            this.#warnings.push(problem);
    }
    /** The summary so far. */
    summary(file) {
        const adjustments = {};
        for (const [key, cents] of Object.entries(sortedRecord(this.#adjustments)))
            adjustments[key] = formatCents(cents);
        return {
            file,
            interchanges: this.#interchanges,
            groups: this.#groups,
            transactions: sortedRecord(this.#transactions),
            claims: this.#claims,
            serviceLines: this.#serviceLines,
            ndcLines: this.#ndcLines,
            totalCharge: formatCents(this.#charge),
            totalPaid: formatCents(this.#paid),
            claimStatus: sortedRecord(this.#status),
            adjustments,
            plbTotal: formatCents(this.#plb),
            bprTotal: formatCents(this.#bpr),
            quarantinedTransactions: this.#quarantined,
            errors: this.#errors,
            warnings: this.#warnings,
        };
    }
}
/**
 * Summarizes one X12 file, streaming. A failure that stops the read (no ISA, unreadable ISA) is
 * recorded in `errors`; I/O errors (missing file) are thrown.
 */
export async function summarizeX12File(path, displayName = path, options = {}) {
    const collector = new X12SummaryCollector();
    try {
        for await (const events of readX12File(path, { ...options, onSegment: collector.onSegment })) {
            for (const event of events)
                collector.event(event);
        }
    }
    catch (error) {
        if (!(error instanceof X12Error))
            throw error;
        collector.failure(error);
    }
    return collector.summary(displayName);
}
//# sourceMappingURL=x12-summary.js.map