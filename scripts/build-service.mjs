#!/usr/bin/env node
// Bundles the DecisionLog service for production with @vercel/ncc (what service/Dockerfile runs):
//   <out>/server/index.js      the app (node --import ./instrument/index.js server/index.js)
//   <out>/instrument/index.js  Sentry init, loaded first with --import
//   <out>/migrations/*.sql     applied with MIGRATE_ON_BOOT=true (the server finds them at ../migrations)
// @electric-sql/pglite stays external: it is only dynamic-imported when DATABASE_URL is unset,
// which production refuses. Transpile-only (-t): `npm run typecheck` checks types, and the bundle
// must not depend on type errors elsewhere in the repository. `--out DIR` (default service/dist).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, 'service', 'dist'));
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

function bundle(entry, dir) {
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      [
        ncc,
        'build',
        join(root, 'service', 'src', entry),
        '-o',
        join(out, dir),
        '-m',
        '-q',
        '-t',
        '--license',
        'licenses.txt',
        '-e',
        '@electric-sql/pglite',
        '-e',
        '@electric-sql/pglite/node-postgres',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`ncc failed for service/src/${entry}:\n${log}`)),
    );
  });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
try {
  await Promise.all([bundle('server.ts', 'server'), bundle('instrument.ts', 'instrument')]);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
cpSync(join(root, 'service', 'migrations'), join(out, 'migrations'), { recursive: true });
console.log(`built ${out} (server, instrument, migrations)`);
