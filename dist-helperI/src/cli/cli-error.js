export const CLI_ERROR_CODES = [
    'CLI_USAGE',
    'CLI_UNREADABLE_INPUT',
    'CLI_UNKNOWN_COMMAND',
    'CLI_BAD_OPTION',
];
/** A usage or input problem: the CLI prints the message and exits 2. */
export class CliError extends Error {
    code;
    constructor(code, message, options) {
        super(message, options);
        this.name = 'CliError';
        this.code = code;
    }
}
//# sourceMappingURL=cli-error.js.map