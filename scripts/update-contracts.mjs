#!/usr/bin/env node
// `npm run update-contracts`: runs every scripts/contracts/*.mjs, each rewriting one vendor's extract
// under test/contracts/ from the full published document.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'contracts');
let failed = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  const r = spawnSync(process.execPath, [join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
