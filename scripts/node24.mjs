#!/usr/bin/env node
// GitHub runs our actions on Node 24 (`runs.using: node24`), so everything we test runs there too.
// Resolves a Node 24 binary (this one, $NODE24, a cached path, or `npx -y node@24`) and, when run
// as a script, runs the given arguments under it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheFile = join(root, 'node_modules', '.cache', 'node24-path');

export function node24Path() {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  if (process.env.NODE24 && existsSync(process.env.NODE24)) return process.env.NODE24;
  if (existsSync(cacheFile)) {
    const cached = readFileSync(cacheFile, 'utf8').trim();
    if (existsSync(cached)) return cached;
  }
  const path = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  if (!existsSync(path)) throw new Error(`npx -y node@24 gave no usable Node binary (${path}).`);
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, `${path}\n`);
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bin = node24Path();
  const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit', env: { ...process.env, NODE24: bin } });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
