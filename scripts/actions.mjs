// The list of actions and how each is bundled: one place, used by build, check-dist and tests.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every folder under actions/ that has a src/index.ts. */
export function actionNames() {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/**
 * Everything ncc bundles: each action (actions/<name>/src/index.ts → actions/<name>/dist) and the
 * command line (cli/src/index.ts → cli/dist). `out` is relative to the repository root.
 */
export function bundles() {
  return [
    ...actionNames().map((name) => ({ name, dir: join('actions', name) })),
    { name: 'cli', dir: 'cli' },
  ];
}
