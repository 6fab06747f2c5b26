import { SCRUB_RULES } from './rules/index.js';
/**
 * Runs every rule on a claim. Rules are pure; one throwing is a bug, so it propagates.
 *
 * @example
 * ```ts
 * const { accepted, findings } = scrubClaim(claim, context)
 * ```
 */
export function scrubClaim(claim, context, rules = SCRUB_RULES) {
    const findings = [];
    for (const rule of rules) {
        const found = rule.check(claim, context);
        for (const item of found)
            findings.push(item);
    }
    let accepted = true;
    for (const item of findings)
        if (item.severity === 'error') {
            accepted = false;
            break;
        }
    return { claim, findings, accepted };
}
//# sourceMappingURL=scrub-claim.js.map