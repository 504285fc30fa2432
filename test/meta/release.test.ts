import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkRelease, parseVersion, plan, sectionOf } from '../../scripts/release.mjs';

const root = join(import.meta.dirname, '..', '..');
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('release preparation (npm run release -- prepare <version>)', () => {
  test('dry run of the next major: version bump, changelog entry, the tags it takes', () => {
    const p = plan('1.0.0', { pkg, changelog, date: '2026-12-01' });
    assert.equal(p.pkg.version, '1.0.0');
    assert.deepEqual(p.tags, ['v1.0.0 (new, on the release commit)', 'v1 (moved to the release commit)']);
    // Unreleased is emptied and its notes become the 1.0.0 section, dated.
    assert.match(p.changelog, /^## \[Unreleased\]\n\n## \[1\.0\.0\] - 2026-12-01\n/m);
    assert.equal(sectionOf(p.changelog, '1.0.0'), sectionOf(changelog, 'Unreleased'));
    assert.equal(sectionOf(p.changelog, 'Unreleased'), '');
    assert.equal(
      sectionOf(p.changelog, pkg.version),
      sectionOf(changelog, pkg.version),
      'older entries unchanged',
    );
    assert.match(p.changelog, /^\[Unreleased\]: .*\/compare\/v1\.0\.0\.\.\.HEAD$/m);
    assert.match(
      p.changelog,
      new RegExp(`^\\[1\\.0\\.0\\]: .*/compare/v${pkg.version}\\.\\.\\.v1\\.0\\.0$`, 'm'),
    );
  });

  test('refuses a version that is not newer, not semver, or with nothing unreleased', () => {
    assert.throws(() => plan(pkg.version, { pkg, changelog, date: 'x' }), /not newer/);
    assert.throws(() => parseVersion('1.0'), /not a version like 1\.2\.3/);
    const empty = changelog.replace(/## \[Unreleased\][\s\S]*?(?=## \[0)/, '## [Unreleased]\n\n');
    assert.throws(
      () => plan('9.0.0', { pkg, changelog: empty, date: 'x' }),
      /nothing under "## \[Unreleased\]"/,
    );
  });
});

describe('release gate (release.yml runs `release check <tag>`)', () => {
  const prepared = plan('1.0.0', { pkg, changelog, date: '2026-12-01' });

  test('a prepared version on main passes', () => {
    assert.deepEqual(
      checkRelease('v1.0.0', { pkg: prepared.pkg, changelog: prepared.changelog, onMain: true }),
      [],
    );
  });

  test('refuses a commit off main, a changelog without the version, a package.json that disagrees', () => {
    const problems = checkRelease('v1.0.0', { pkg, changelog, onMain: false });
    assert.equal(problems.length, 3);
    assert.match(problems.join(' '), /package\.json says .* the tag says 1\.0\.0/);
    assert.match(problems.join(' '), /no "## \[1\.0\.0\]" section/);
    assert.match(problems.join(' '), /not on main/);
  });

  test('the workflow checks before it tests and publishes, and moves the major tag', () => {
    const wf = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
    assert.ok(wf.indexOf('release.mjs check') < wf.indexOf('npm test'));
    assert.match(wf, /needs: verify/);
    assert.match(wf, /gh release create "\$TAG" --verify-tag/);
    assert.match(wf, /refs\/tags\/\$major/);
  });
});
