import { claimView } from '../claim-view.js';
import { finding, procedurePosition } from '../finding-helpers.js';
import { DISTINCT_SERVICE_MODIFIERS } from '../tables/drug-codes.js';
/**
 * One "initial" administration code per encounter (96360, 96365, 96374, 96409, 96413; the role
 * column of fixtures/scrub/admin-codes.csv). A second one needs a separate IV site (XS), a
 * separate encounter (XE), XP/XU, or 59. Sources: NCCI Policy Manual ch. XI; CMS RAC topic 0071.
 */
export const adminInitialUniqueRule = {
    id: 'admin-initial-unique',
    description: 'more than one initial administration code on a DOS without XS/XE/XP/XU/59',
    severity: 'error',
    check(claim, context) {
        const findings = [];
        for (const [dos, lines] of claimView(claim, context).byDos) {
            let seen = 0;
            for (const line of lines) {
                if (line.admin?.role !== 'initial')
                    continue;
                const distinct = line.line.modifiers.some((m) => DISTINCT_SERVICE_MODIFIERS.has(m));
                // Units > 1 on one initial line is also a second initial.
                const count = Math.max(1, Math.round(line.line.units));
                if (seen > 0 && !distinct) {
                    findings.push(finding(this, claim, line.line, `${line.code} is a second initial administration code on ${dos} without XS/XE/XP/XU/59`, procedurePosition(claim, line.line), {
                        suggestion: 'report it as the sequential/concurrent add-on code, or add XS (separate IV site) / XE (separate encounter) when documented',
                    }));
                }
                else if (count > 1 && !distinct) {
                    findings.push(finding(this, claim, line.line, `${line.code} is billed ${count} units on ${dos}; an initial code is reported once per encounter`, procedurePosition(claim, line.line), {
                        suggestion: 'bill 1 unit and the add-on codes for the other services',
                    }));
                }
                seen += count;
            }
        }
        return findings;
    },
};
//# sourceMappingURL=admin-initial-unique-rule.js.map