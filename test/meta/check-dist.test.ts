// The check-dist guard: a committed bundle that differs from a fresh build fails `npm test` with a
// sentence that says to run `npm run build`. Proven on a copy of one action's committed dist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { repoRoot } from '../harness/run-action.js';

const action = 'slack-notify';

function checkDist(committedRoot: string) {
  return spawnSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'check-dist.mjs'), '--only', action, '--committed-root', committedRoot],
    { cwd: repoRoot, encoding: 'utf8' },
  );
}

test('check-dist passes on the committed bundle and fails with "npm run build" on a stale one', () => {
  const root = mkdtempSync(join(tmpdir(), 'stale-dist-'));
  try {
    cpSync(join(repoRoot, 'actions', action, 'dist'), join(root, action, 'dist'), { recursive: true });
    const fresh = checkDist(root);
    assert.equal(fresh.status, 0, fresh.stderr);

    appendFileSync(join(root, action, 'dist', 'index.js'), '\n// edited by hand\n');
    const stale = checkDist(root);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, new RegExp(`${action}/dist/index\\.js`));
    assert.match(stale.stderr, /run `npm run build` and commit actions\/\*\/dist/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
