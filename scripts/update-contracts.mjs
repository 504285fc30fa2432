#!/usr/bin/env node
// `npm run update-contracts`: runs every scripts/contracts/*.mjs, each of which rewrites one vendor's
// extract under test/contracts/<vendor>/ from the vendor's full published contract.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'contracts');
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .sort();
let failed = 0;
for (const script of scripts) {
  const res = spawnSync(process.execPath, [join(dir, script)], { stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`✖ scripts/contracts/${script} failed (exit ${res.status ?? res.signal}).`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
