import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
// @ts-expect-error plain ESM script without types
import { currentInterface, diffInterface, readSnapshot, unmentioned } from '../../scripts/interface.mjs';

type Iface = { actions: Record<string, { inputs: Record<string, unknown>; outputs: string[] }> };

describe('public interface (inputs, outputs, secrets of every action and reusable workflow)', () => {
  test('matches the committed snapshot docs/interface.json', () => {
    const diff = diffInterface(readSnapshot(), currentInterface());
    const lines = [...diff.removed.map((l: string) => `- ${l}`), ...diff.added.map((l: string) => `+ ${l}`)];
    assert.deepEqual(
      lines,
      [],
      'The public interface changed. If on purpose: name each change in backticks under "## [Unreleased]" in CHANGELOG.md, then run "npm run interface -- --update" (a removed or renamed input is a breaking change: next major).',
    );
  });

  test('renaming an action input is caught, and the update is refused until the changelog names it', () => {
    const before = currentInterface() as Iface;
    const after = structuredClone(before);
    const gate = after.actions['actions/health-gate'];
    assert.ok(gate && 'url' in gate.inputs, 'health-gate has a `url` input');
    gate.inputs['health-url'] = gate.inputs.url;
    delete gate.inputs.url;
    const diff = diffInterface(before, after);
    assert.equal(diff.removed.length, 1);
    assert.match(diff.removed[0], /^actions\/health-gate inputs url /);
    assert.match(diff.added[0], /^actions\/health-gate inputs health-url /);
    const changelog =
      '# Changelog\n\n## [Unreleased]\n\n### Changed\n- Nothing yet.\n\n## [0.1.0] - 2026-11-25\n- `url` once.\n';
    assert.deepEqual(unmentioned(diff, changelog).sort(), ['health-url', 'url']);
    const noted = changelog.replace(
      '- Nothing yet.',
      '- health-gate: `url` renamed to `health-url` (breaking).',
    );
    assert.deepEqual(unmentioned(diff, noted), []);
  });

  test('a changed default is a change too', () => {
    const before = currentInterface() as Iface;
    const after = structuredClone(before);
    const inputs = after.actions['actions/health-gate']?.inputs ?? {};
    const [name] = Object.keys(inputs);
    inputs[name as string] = { default: 'changed' };
    assert.equal(diffInterface(before, after).removed.length, 1);
  });
});
