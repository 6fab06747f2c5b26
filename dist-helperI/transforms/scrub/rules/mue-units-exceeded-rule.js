import { claimView } from '../claim-view.js';
import { finding, unitsPosition } from '../finding-helpers.js';
/**
 * Medically Unlikely Edits: units above the MUE for the code, from the practitioner table (837P)
 * or the outpatient hospital table (837I). MAI 1 is a line edit (units per line); MAI 2 (absolute)
 * and 3 (clinical) are date-of-service edits (units summed across the claim's lines on a DOS).
 * MAI 2 cannot be fixed by a modifier. Source: CMS NCCI MUE tables; NCCI Policy Manual ch. I.
 */
export const mueUnitsExceededRule = {
    id: 'mue-units-exceeded',
    description: 'units above the MUE (per line for MAI 1, per DOS for MAI 2/3)',
    severity: 'error',
    check(claim, context) {
        const view = claimView(claim, context);
        const findings = [];
        for (const [dos, lines] of view.byDos) {
            const checked = new Set();
            for (const line of lines) {
                if (line.code === '')
                    continue;
                const mue = context.codes.mue(line.code, view.mueSetting);
                if (mue === undefined)
                    continue;
                if (mue.mai === 1) {
                    if (line.line.units <= mue.units)
                        continue;
                    findings.push(finding(this, claim, line.line, `${line.code} × ${line.line.units} units exceeds the MUE of ${mue.units} per line (MAI 1)`, unitsPosition(claim, line.line), {
                        suggestion: 'if clinically distinct, split the units across lines with an appropriate modifier (e.g. 76, 91, XS, 59); otherwise reduce the units',
                    }));
                    continue;
                }
                if (checked.has(line.code))
                    continue;
                checked.add(line.code);
                let total = 0;
                for (const other of lines)
                    if (other.code === line.code)
                        total += other.line.units;
                if (total <= mue.units)
                    continue;
                findings.push(finding(this, claim, line.line, `${line.code} totals ${total} units on ${dos}, above the MUE of ${mue.units} per date of service (MAI ${mue.mai})`, unitsPosition(claim, line.line), {
                    suggestion: mue.mai === 2
                        ? 'MAI 2 is absolute: no modifier or appeal fixes it; bill at most the MUE'
                        : 'bill at most the MUE, or keep the units and be ready to appeal with medical records (MAI 3)',
                }));
            }
        }
        return findings;
    },
};
//# sourceMappingURL=mue-units-exceeded-rule.js.map