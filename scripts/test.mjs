#!/usr/bin/env node
// `npm test`: typecheck, lint, check-dist, then every test under vitest on Node 24 (the runner's Node),
// with coverage and its thresholds (vitest.config.ts).
// `npm test -- path/to/one.test.ts …` runs just those test files, skipping the static checks.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './actions.mjs';

const files = process.argv.slice(2);
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, cmd, args) {
  console.log(`\n▶ ${title}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`✖ ${title} failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status ?? 1);
  }
}

if (files.length === 0) {
  step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  step('lint (biome)', bin('biome'), ['check', '.']);
  step('check-dist (committed bundles = fresh build)', process.execPath, [
    join(root, 'scripts', 'check-dist.mjs'),
  ]);
}
// The full run measures coverage and fails under the thresholds in vitest.config.ts; one file doesn't.
step(
  `tests (vitest under Node ${process.versions.node}${files.length ? '' : ', with coverage'})`,
  process.execPath,
  [bin('vitest'), 'run', ...(files.length ? files : ['--coverage'])],
);
