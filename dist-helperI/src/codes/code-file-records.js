/** The CMS code files `onco-edi codes import` understands, recognized by their content. */
export const CODE_FILE_KINDS = [
    'hcpcs',
    'hcpcs-changes',
    'crosswalk',
    'add-on',
    'mue-practitioner',
    'mue-outpatient-hospital',
];
/** The MUE setting of an MUE file kind. */
export function mueSettingOf(kind) {
    return kind === 'mue-practitioner' ? 'practitioner' : 'outpatient_hospital';
}
//# sourceMappingURL=code-file-records.js.map