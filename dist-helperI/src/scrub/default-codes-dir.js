import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';
/** `fixtures/codes`: the bundled oncology subset of the CMS code tables, when present. */
export function bundledCodesDir() {
    const dir = join(projectRoot(), 'fixtures', 'codes');
    return existsSync(dir) ? dir : undefined;
}
//# sourceMappingURL=default-codes-dir.js.map