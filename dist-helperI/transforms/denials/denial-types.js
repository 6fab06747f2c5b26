/** The rework queues of DOMAIN.md §8, named after the brief's CO-4/15/50/97/151 families. */
export const REWORK_QUEUES = [
    'coding',
    'authorization',
    'coverage',
    'bundling',
    'medical_necessity',
    'other',
];
/** Payer classes of the deadline table (DOMAIN.md §9). */
export const PAYER_CLASSES = ['medicare', 'medicaid', 'commercial', 'medicare_advantage'];
//# sourceMappingURL=denial-types.js.map