import { DRUG_CODE_PATTERN } from './tables/drug-codes.js';
const views = new WeakMap();
/**
 * The claim's view, built on first use and cached for the other rules, so that lines are indexed
 * by DOS once per claim rather than once per rule.
 */
export function claimView(claim, context) {
    const cached = views.get(claim);
    if (cached !== undefined)
        return cached;
    const lines = [];
    const byDos = new Map();
    for (const line of claim.lines) {
        const code = line.procedureCode ?? '';
        const view = {
            line,
            code,
            dos: line.serviceFrom ?? claim.serviceFrom ?? context.asOf,
            admin: code === '' ? undefined : context.reference.adminCode(code),
            isDrug: DRUG_CODE_PATTERN.test(code),
            modifiers: line.modifiers,
        };
        lines.push(view);
        const list = byDos.get(view.dos);
        if (list === undefined)
            byDos.set(view.dos, [view]);
        else
            list.push(view);
    }
    const payerId = claim.payer.id;
    const profile = context.reference.payerProfile(payerId);
    const filing = claim.subscriber.claimFilingIndicator;
    const view = {
        lines,
        byDos,
        payerId,
        medicare: profile?.medicare ?? (filing === 'MA' || filing === 'MB'),
        requiresNdc: profile?.requiresNdc ?? filing === 'MC',
        mueSetting: claim.kind === '837P' ? 'practitioner' : 'outpatient_hospital',
    };
    views.set(claim, view);
    return view;
}
/** Forgets a claim's cached view (after a fix edits the claim). */
export function forgetClaimView(claim) {
    views.delete(claim);
}
//# sourceMappingURL=claim-view.js.map