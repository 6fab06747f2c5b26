import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCarcRules } from '../../transforms/denials/carc-table.js';
import { computeDeadline, parseDeadlineRules } from '../../transforms/denials/deadline-calculator.js';
import { classifyDenial } from '../../transforms/denials/denial-classifier.js';
import { payerClassFromFilingIndicator } from '../../transforms/denials/payer-profile.js';
import { IngestError } from './ingest-error.js';
/**
 * The directory holding `fixtures/denials/`: found by walking up from this module, so it works
 * from the TS sources (vitest) and from `dist/` alike.
 */
export function denialFixturesDir() {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let depth = 0; depth < 10; depth++) {
        const candidate = join(dir, 'fixtures', 'denials');
        if (existsSync(join(candidate, 'carc-rules.csv')))
            return candidate;
        dir = dirname(dir);
    }
    throw new IngestError('INGEST_RULES_MISSING', 'Cannot find fixtures/denials/carc-rules.csv above the program');
}
/**
 * Loads the classification table (carc-rules.csv) and the deadline table (deadline-rules.csv)
 * and wraps transforms/denials for ingest. Both tables are data a user can edit.
 */
export async function loadDenialEngine(dir = denialFixturesDir()) {
    const carcTable = parseCarcRules(await readFile(join(dir, 'carc-rules.csv'), 'utf8'));
    const deadlineRules = parseDeadlineRules(await readFile(join(dir, 'deadline-rules.csv'), 'utf8'));
    return {
        classify(adjustments, rarcs, remitDate) {
            return classifyDenial({ adjustments, rarcs, remitDate: remitDate ?? '9999-12-31' }, carcTable);
        },
        deadline(input) {
            const remitDate = input.remitDate;
            const serviceDate = input.serviceDate ?? input.throughDate ?? remitDate;
            if (remitDate === undefined || serviceDate === undefined) {
                return {
                    deadline: undefined,
                    basis: 'no remit date or DOS to count from',
                    lowConfidence: true,
                    appealable: true,
                };
            }
            return computeDeadline({
                action: input.classification.action,
                payer: input.profile,
                payerClass: input.payerClass,
                serviceDate,
                ...(input.throughDate === undefined ? {} : { throughDate: input.throughDate }),
                remitDate,
                carcs: input.classification.carcs,
                ...(input.claimType === undefined ? {} : { claimType: input.claimType }),
            }, deadlineRules);
        },
        payerClass(profile, filingIndicator) {
            return profile?.payerClass ?? payerClassFromFilingIndicator(filingIndicator) ?? 'commercial';
        },
    };
}
//# sourceMappingURL=load-denial-engine.js.map