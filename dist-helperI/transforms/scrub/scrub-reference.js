/** Indexes the reference rows. */
export function createScrubReference(rows) {
    const admin = new Map(rows.adminCodes.map((row) => [row.code, row]));
    const addOns = new Map();
    for (const row of rows.addOnFallback) {
        const list = addOns.get(row.addOnCode);
        if (list === undefined)
            addOns.set(row.addOnCode, [row.primaryCode]);
        else
            list.push(row.primaryCode);
    }
    const profiles = new Map(rows.payerProfiles.map((row) => [row.payerId, row]));
    const authRequired = new Set(rows.authRequired.map((row) => `${row.payerId}|${row.hcpcs}`));
    const successors = new Map(rows.successors.map((row) => [row.code, row]));
    const multiDose = new Set(rows.multiDoseDrugs);
    const chemo = new Set(rows.chemoDrugs);
    return {
        adminCode: (code) => admin.get(code),
        addOnFallback: (code) => addOns.get(code),
        payerProfile: (payerId) => (payerId === undefined ? undefined : profiles.get(payerId)),
        authRequired(payerId, hcpcs) {
            if (authRequired.has(`*|${hcpcs}`))
                return true;
            if (payerId === undefined)
                return false;
            if (authRequired.has(`${payerId}|${hcpcs}`))
                return true;
            return profiles.get(payerId)?.authRequiredHcpcs.includes(hcpcs) ?? false;
        },
        successor: (code) => successors.get(code),
        isMultiDose: (hcpcs) => multiDose.has(hcpcs),
        // J9000–J9999 are the chemotherapy drug codes of HCPCS Level II (CMS HCPCS J9 series).
        isChemoDrug: (hcpcs) => /^J9\d{3}$/.test(hcpcs) || chemo.has(hcpcs),
    };
}
//# sourceMappingURL=scrub-reference.js.map