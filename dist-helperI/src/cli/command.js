/** Exit codes: 0 ok, 1 findings or errors in the data, 2 usage or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
//# sourceMappingURL=command.js.map