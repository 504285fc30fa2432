#!/usr/bin/env node
// Releases: `npm run release -- prepare 1.2.0 [--dry-run]` bumps package.json, moves the changelog's
// Unreleased section under the version and prints the tags it will take; `check v1.2.0 [--ref <sha>]`
// is what the release workflow runs before publishing (changelog has the version, package.json
// agrees, the commit is on main); `notes 1.2.0` prints that version's changelog section.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './actions.mjs';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

export class ReleaseError extends Error {}

/** `v1.2.3` or `1.2.3` → `1.2.3`; anything else is refused with a sentence. */
export function parseVersion(text) {
  const v = String(text ?? '').replace(/^v/, '');
  if (!SEMVER.test(v))
    throw new ReleaseError(`"${text}" is not a version like 1.2.3 (or a tag like v1.2.3).`);
  return v;
}

function compare(a, b) {
  const pa = SEMVER.exec(a).slice(1).map(Number);
  const pb = SEMVER.exec(b).slice(1).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The body of `## [version]` (without its heading), or undefined. */
export function sectionOf(changelog, version) {
  const esc = version.replace(/\./g, '\\.');
  const m = new RegExp(
    `^## \\[${esc}\\][^\\n]*\\n([\\s\\S]*?)(?=^## \\[|^\\[[^\\]]+\\]: |(?![\\s\\S]))`,
    'm',
  ).exec(changelog);
  return m ? m[1].trim() : undefined;
}

/** The changelog with Unreleased moved under `## [version] - date`, and the compare links updated. */
export function moveUnreleased(changelog, version, date, previous) {
  const notes = sectionOf(changelog, 'Unreleased');
  if (!notes)
    throw new ReleaseError(
      'CHANGELOG.md has nothing under "## [Unreleased]": say what this release changes first.',
    );
  if (sectionOf(changelog, version) !== undefined)
    throw new ReleaseError(`CHANGELOG.md already has a section for ${version}.`);
  let out = changelog.replace(
    /^## \[Unreleased\][^\n]*\n[\s\S]*?(?=^## \[)/m,
    `## [Unreleased]\n\n## [${version}] - ${date}\n\n${notes}\n\n`,
  );
  out = out.replace(
    /^\[Unreleased\]: (.*)\/compare\/v[^.]+\.[^.]+\.[^.]+\.\.\.HEAD$/m,
    `[Unreleased]: $1/compare/v${version}...HEAD\n[${version}]: $1/compare/v${previous}...v${version}`,
  );
  return out;
}

/** What `prepare` changes and which tags the release will take. */
export function plan(version, { pkg, changelog, date }) {
  const v = parseVersion(version);
  if (compare(v, pkg.version) <= 0)
    throw new ReleaseError(`${v} is not newer than package.json's ${pkg.version}.`);
  const major = `v${v.split('.')[0]}`;
  return {
    version: v,
    changelog: moveUnreleased(changelog, v, date, pkg.version),
    pkg: { ...pkg, version: v },
    notes: sectionOf(changelog, 'Unreleased'),
    tags: [`v${v} (new, on the release commit)`, `${major} (moved to the release commit)`],
  };
}

/** The release workflow's gate: one sentence for each reason to refuse. */
export function checkRelease(tag, { pkg, changelog, onMain }) {
  const v = parseVersion(tag);
  const problems = [];
  if (pkg.version !== v)
    problems.push(
      `package.json says ${pkg.version}, the tag says ${v}: run "npm run release -- prepare ${v}" and tag that commit.`,
    );
  if (!sectionOf(changelog, v))
    problems.push(`CHANGELOG.md has no "## [${v}]" section: run "npm run release -- prepare ${v}".`);
  if (!onMain)
    problems.push(`the tagged commit is not on main: release only commits that passed main's checks.`);
  return problems;
}

function read() {
  return {
    pkg: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
    changelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
  };
}

function main(argv) {
  const [cmd, arg, ...rest] = argv;
  const flag = (name) => rest.includes(name);
  const opt = (name) => rest[rest.indexOf(name) + 1];
  if (cmd === 'prepare') {
    const p = plan(arg, { ...read(), date: new Date().toISOString().slice(0, 10) });
    console.log(`Release ${p.version}\n\n${p.notes}\n`);
    console.log(`package.json: ${read().pkg.version} → ${p.version}`);
    console.log(`CHANGELOG.md: Unreleased → [${p.version}]`);
    console.log(`Tags the release workflow takes after you push tag v${p.version}: ${p.tags.join('; ')}`);
    if (flag('--dry-run')) return console.log('Dry run: nothing written.');
    writeFileSync(join(root, 'package.json'), `${JSON.stringify(p.pkg, null, 2)}\n`);
    writeFileSync(join(root, 'CHANGELOG.md'), p.changelog);
    execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: 'inherit',
    });
    console.log(
      `Next: commit, merge to main, then: git tag v${p.version} <main commit> && git push origin v${p.version}`,
    );
    return;
  }
  if (cmd === 'check') {
    const ref = flag('--ref') ? opt('--ref') : 'HEAD';
    const main = flag('--main') ? opt('--main') : 'origin/main';
    let onMain = true;
    try {
      execFileSync('git', ['merge-base', '--is-ancestor', ref, main], { cwd: root, stdio: 'ignore' });
    } catch {
      onMain = false;
    }
    const problems = checkRelease(arg, { ...read(), onMain });
    if (problems.length) throw new ReleaseError(`Not releasing ${arg}: ${problems.join(' ')}`);
    return console.log(`${arg} can be released: changelog, package.json and main agree.`);
  }
  if (cmd === 'notes') {
    const notes = sectionOf(read().changelog, parseVersion(arg));
    if (!notes) throw new ReleaseError(`CHANGELOG.md has no section for ${arg}.`);
    return console.log(notes);
  }
  throw new ReleaseError(
    'Usage: release prepare <version> [--dry-run] | check <tag> [--ref <sha>] [--main <ref>] | notes <version>',
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ReleaseError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
