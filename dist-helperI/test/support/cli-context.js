import { silentLogger } from '../../src/logger.js';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { repoRoot } from './x12-files.js';
/** A CommandContext writing into memory, for CLI tests. */
export function memoryContext(cwd = repoRoot) {
    const out = new PassThrough();
    const err = new PassThrough();
    const outChunks = [];
    const errChunks = [];
    out.on('data', (c) => outChunks.push(c));
    err.on('data', (c) => errChunks.push(c));
    return {
        context: {
            stdout: out,
            stderr: err,
            config: loadConfig({ ONCO_EDI_HOME: '/tmp/onco-edi-test-home' }),
            cwd,
            logger: silentLogger(),
        },
        stdout: () => Buffer.concat(outChunks).toString('utf8'),
        stderr: () => Buffer.concat(errChunks).toString('utf8'),
    };
}
//# sourceMappingURL=cli-context.js.map