#!/usr/bin/env node
// Bundles every action into one ESM file with @vercel/ncc: actions/<name>/dist/index.js (+ licences),
// and the command line into cli/dist/index.js.
// ncc type-checks with the tsconfig.json nearest the entry: actions/<name>/tsconfig.json extends the
// root one but includes only that action's src/, so a type error elsewhere never blocks this bundle
// (`npm test` type-checks the whole tree with tsc).
// `--out-root DIR` writes the bundles under DIR instead (check-dist uses it to compare).
// `--only a,b` limits the build to some actions.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundles, root } from './actions.mjs';
import { CLI_INPUTS_FILE, cliInputsSource } from './cli-inputs.mjs';

const args = process.argv.slice(2);
const outRoot = flagValue('--out-root');
const only = flagValue('--only')?.split(',');
const quiet = args.includes('--quiet');

function flagValue(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function bundle({ name, dir }) {
  const out = outRoot ? join(outRoot, name, 'dist') : join(root, dir, 'dist');
  // Build beside the target and swap only on success: a failed build never leaves an action without its bundle.
  const staging = `${out}.building`;
  rmSync(staging, { recursive: true, force: true });
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const entry = join(root, dir, 'src', 'index.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [ncc, 'build', entry, '-o', staging, '-m', '--stats-out', join(staging, STATS), '-q'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('exit', (code) => {
      if (code === 0) {
        writeLicenses(staging);
        rmSync(out, { recursive: true, force: true });
        renameSync(staging, out);
        if (!quiet) console.log(`built ${dir}/dist`);
        resolve();
      } else {
        rmSync(staging, { recursive: true, force: true });
        reject(new Error(`ncc failed for ${dir}:\n${log}`));
      }
    });
  });
}

const STATS = 'stats.json';

/**
 * dist/licenses.txt: every package the bundle holds (read from webpack's stats), with its licence
 * text. ncc's own `--license` keeps only one chunk's packages when the bundle is split into chunks, so
 * packages loaded lazily (the AWS SDK, age-encryption) went missing from it.
 */
function writeLicenses(dir) {
  const stats = JSON.parse(readFileSync(join(dir, STATS), 'utf8'));
  rmSync(join(dir, STATS));
  const packageDirs = new Map();
  const visit = (modules) => {
    for (const m of modules ?? []) {
      visit(m.modules);
      const name = m.name ?? '';
      const at = name.lastIndexOf('node_modules/');
      if (at < 0) continue;
      const rest = name.slice(at + 'node_modules/'.length).split('/');
      const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
      packageDirs.set(pkg, join(root, name.slice(0, at).replace(/^\.\//, ''), 'node_modules', pkg));
    }
  };
  visit(stats.modules);
  for (const chunk of stats.chunks ?? []) visit(chunk.modules);
  const entries = [...packageDirs.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const text = entries.map(([pkg, pkgDir]) => {
    const meta = existsSync(join(pkgDir, 'package.json'))
      ? JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
      : {};
    const type = typeof meta.license === 'string' ? meta.license : (meta.license?.type ?? 'see the package');
    const file = existsSync(pkgDir)
      ? readdirSync(pkgDir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
      : undefined;
    const body = file ? readFileSync(join(pkgDir, file), 'utf8').trim() : '(no licence file in the package)';
    return `${pkg}\n${type}\n${body}\n`;
  });
  writeFileSync(join(dir, 'licenses.txt'), text.join('\n'));
}

// The command line reads each action's inputs from a file generated from action.yml: refresh it
// first (not for check-dist's build, which must not touch the tree; test/cli checks it is current).
if (!outRoot) {
  const cliInputs = cliInputsSource();
  if (readFileSync(CLI_INPUTS_FILE, 'utf8') !== cliInputs) writeFileSync(CLI_INPUTS_FILE, cliInputs);
}

const names = bundles().filter((b) => !only || only.includes(b.name));
// Two at a time: ncc is CPU-bound and the machines have two cores.
const queue = [...names];
const workers = Array.from({ length: 2 }, async () => {
  for (let name = queue.shift(); name; name = queue.shift()) await bundle(name);
});
try {
  await Promise.all(workers);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
