import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
/**
 * The package root (the folder with package.json), found by walking up from this file, so that
 * `fixtures/` resolves both from the TypeScript sources and from `dist/`.
 */
export function projectRoot() {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
        if (existsSync(join(dir, 'package.json')))
            return dir;
        const parent = dirname(dir);
        if (parent === dir)
            throw new Error('package.json not found above src/scrub');
        dir = parent;
    }
}
/** `fixtures/scrub`: the default reference tables of the scrubber. */
export function defaultScrubTablesDir() {
    return join(projectRoot(), 'fixtures', 'scrub');
}
//# sourceMappingURL=project-root.js.map