#!/usr/bin/env node
// Fails when a committed bundle differs from a fresh build: GitHub runs dist/ as committed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundles, root } from './actions.mjs';

// `--only a,b` checks some actions; `--committed-root DIR` compares against DIR/<name>/dist instead
// of actions/<name>/dist (the test of this script uses both).
const args = process.argv.slice(2);
const flagValue = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const only = flagValue('--only');
const committedRoot = flagValue('--committed-root');
const targets = bundles().filter((b) => !only || only.split(',').includes(b.name));

const tmp = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  const buildArgs = [join(root, 'scripts', 'build.mjs'), '--out-root', tmp, '--quiet'];
  if (only) buildArgs.push('--only', only);
  execFileSync(process.execPath, buildArgs, { stdio: 'inherit' });
  const stale = [];
  for (const { name, dir } of targets) {
    const fresh = join(tmp, name, 'dist');
    const committed = committedRoot ? join(committedRoot, name, 'dist') : join(root, dir, 'dist');
    const files = new Set([...list(fresh), ...list(committed)]);
    for (const file of files) {
      const a = existsSync(join(fresh, file)) ? readFileSync(join(fresh, file)) : undefined;
      const b = existsSync(join(committed, file)) ? readFileSync(join(committed, file)) : undefined;
      if (!a || !b || !a.equals(b)) stale.push(`${dir}/dist/${file}`);
    }
  }
  if (stale.length > 0) {
    console.error(
      `check-dist: ${stale.length} committed bundle file(s) differ from a fresh build (${stale.join(', ')}): run \`npm run build\` and commit actions/*/dist and cli/dist.`,
    );
    process.exit(1);
  }
  console.log(`check-dist: ${targets.length} bundle(s) match their source.`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function list(dir) {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}
