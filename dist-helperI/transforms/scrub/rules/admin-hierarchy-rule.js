import { claimView } from '../claim-view.js';
import { finding, procedurePosition } from '../finding-helpers.js';
/**
 * The initial administration code must be the highest service of the encounter in the hierarchy
 * chemo > therapeutic > hydration, and infusion > push > injection (rank column of
 * fixtures/scrub/admin-codes.csv). Facility claims (837I) follow the hierarchy, not the order given
 * (Noridian JE): an error. Professional claims (837P) report the primary reason for the encounter
 * (IOM 100-04 ch. 12 §30.5), so the hierarchy is only a default there: a warning.
 */
export const adminHierarchyRule = {
    id: 'admin-hierarchy',
    description: 'initial administration code is not the highest in the hierarchy',
    severity: 'error',
    check(claim, context) {
        const findings = [];
        for (const [dos, lines] of claimView(claim, context).byDos) {
            let bestInitial;
            let highest;
            for (const line of lines) {
                const admin = line.admin;
                if (admin === undefined || admin.role === 'other')
                    continue;
                if (highest?.admin === undefined || admin.rank < highest.admin.rank)
                    highest = line;
                if (admin.role === 'initial' &&
                    (bestInitial?.admin === undefined || admin.rank < bestInitial.admin.rank))
                    bestInitial = line;
            }
            if (bestInitial?.admin === undefined || highest?.admin === undefined)
                continue;
            if (bestInitial.admin.rank <= highest.admin.rank)
                continue;
            findings.push(finding(this, claim, bestInitial.line, `initial ${bestInitial.code} (${bestInitial.admin.family} ${bestInitial.admin.route}) ranks below ${highest.code} (${highest.admin.family} ${highest.admin.route}) on ${dos}`, procedurePosition(claim, bestInitial.line), {
                severity: claim.kind === '837I' ? 'error' : 'warning',
                suggestion: `report ${highest.admin.classInitial} as the initial service and ${bestInitial.code}'s service with its sequential add-on code`,
            }));
        }
        return findings;
    },
};
//# sourceMappingURL=admin-hierarchy-rule.js.map