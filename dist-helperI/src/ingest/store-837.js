import { bulkInsert, reserveIds } from './bulk-insert.js';
const CLAIM_COLUMNS = [
    { name: 'id', type: 'int8' },
    { name: 'file_id', type: 'int8' },
    { name: 'claim_id', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'payer_id', type: 'text' },
    { name: 'payer_name', type: 'text' },
    { name: 'billing_provider_id', type: 'text' },
    { name: 'member_id', type: 'text' },
    { name: 'filing_indicator', type: 'text' },
    { name: 'service_from', type: 'text' },
    { name: 'service_to', type: 'text' },
    { name: 'total_charge', type: 'int8' },
    { name: 'frequency_code', type: 'text' },
    { name: 'facility_code', type: 'text' },
    { name: 'type_of_bill', type: 'text' },
    { name: 'prior_authorization', type: 'text' },
    { name: 'payer_claim_control', type: 'text' },
    { name: 'diagnoses', type: 'text', array: true },
    { name: 'interchange_control', type: 'text' },
    { name: 'transaction_control', type: 'text' },
    { name: 'claim_json', type: 'jsonb' },
];
const LINE_COLUMNS = [
    { name: 'submitted_claim_id', type: 'int8' },
    { name: 'line_number', type: 'int4' },
    { name: 'revenue_code', type: 'text' },
    { name: 'procedure_code', type: 'text' },
    { name: 'modifiers', type: 'text' },
    { name: 'charge', type: 'int8' },
    { name: 'unit_basis', type: 'text' },
    { name: 'units', type: 'float8' },
    { name: 'place_of_service', type: 'text' },
    { name: 'service_from', type: 'text' },
    { name: 'service_to', type: 'text' },
    { name: 'line_control', type: 'text' },
    { name: 'prior_authorization', type: 'text' },
    { name: 'ndc', type: 'text' },
    { name: 'ndc_quantity', type: 'float8' },
    { name: 'ndc_unit', type: 'text' },
];
/** The claim's earliest line date when the claim carries no claim-level dates. */
function claimDates(claim) {
    let from = claim.serviceFrom;
    let to = claim.serviceTo ?? claim.serviceFrom;
    for (const line of claim.lines) {
        if (line.serviceFrom !== undefined && (from === undefined || line.serviceFrom < from))
            from = line.serviceFrom;
        const lineTo = line.serviceTo ?? line.serviceFrom;
        if (lineTo !== undefined && (to === undefined || lineTo > to))
            to = lineTo;
    }
    return { from, to };
}
/** Stores a batch of submitted claims and their lines (two statements). Returns the claim ids. */
export async function storeClaims837(db, fileId, claims) {
    const ids = await reserveIds(db, 'submitted_claim_id_seq', claims.length);
    const claimRows = [];
    const lineRows = [];
    claims.forEach((claim, i) => {
        const id = ids[i];
        const { from, to } = claimDates(claim);
        claimRows.push([
            id,
            fileId,
            claim.claimId,
            claim.kind,
            claim.payer.id ?? null,
            claim.payer.organizationName ?? null,
            claim.billingProvider.id ?? null,
            claim.subscriber.memberId,
            claim.subscriber.claimFilingIndicator ?? null,
            from ?? null,
            to ?? null,
            claim.totalCharge,
            claim.frequencyCode,
            claim.facilityCode,
            claim.typeOfBill ?? null,
            claim.priorAuthorization ?? null,
            claim.payerClaimControlNumber ?? null,
            claim.diagnoses.map((d) => d.code).join(','),
            claim.envelope.interchangeControl,
            claim.envelope.transactionControl,
            JSON.stringify(claim),
        ]);
        for (const line of claim.lines) {
            lineRows.push([
                id,
                line.lineNumber,
                line.revenueCode ?? null,
                line.procedureCode ?? null,
                line.modifiers.join(':'),
                line.charge,
                line.unitBasis,
                line.units,
                line.placeOfService ?? claim.facilityCode,
                line.serviceFrom ?? from ?? null,
                line.serviceTo ?? line.serviceFrom ?? to ?? null,
                line.lineControlNumber ?? null,
                line.priorAuthorization ?? claim.priorAuthorization ?? null,
                line.drug?.ndc ?? null,
                line.drug?.quantity ?? null,
                line.drug?.unit ?? null,
            ]);
        }
    });
    await bulkInsert(db, 'submitted_claim', CLAIM_COLUMNS, claimRows);
    await bulkInsert(db, 'submitted_line', LINE_COLUMNS, lineRows);
    return ids;
}
//# sourceMappingURL=store-837.js.map