#!/usr/bin/env node
// The public contract of a major version: every action's inputs and outputs and every reusable
// workflow's inputs, secrets and outputs. `node scripts/interface.mjs` prints the differences from the
// committed snapshot (docs/interface.json); `--update` rewrites the snapshot, but only when the
// changelog's Unreleased section names every changed input, output or secret.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionNames, root } from './actions.mjs';
import { sectionOf } from './release.mjs';

export const SNAPSHOT = join(root, 'docs', 'interface.json');
const REUSABLE = join(root, '.github', 'workflows');

const pick = (obj, keys) =>
  Object.fromEntries(keys.filter((k) => obj?.[k] !== undefined).map((k) => [k, obj[k]]));
const sorted = (obj) => Object.fromEntries(Object.entries(obj ?? {}).sort(([a], [b]) => a.localeCompare(b)));

function actionInterface(file) {
  const meta = parse(readFileSync(file, 'utf8'));
  return {
    inputs: sorted(
      Object.fromEntries(
        Object.entries(meta.inputs ?? {}).map(([k, v]) => [k, pick(v, ['required', 'default'])]),
      ),
    ),
    outputs: Object.keys(meta.outputs ?? {}).sort(),
  };
}

function workflowInterface(file) {
  const wf = parse(readFileSync(file, 'utf8'));
  const call = wf.on?.workflow_call;
  if (!call) return undefined;
  return {
    inputs: sorted(
      Object.fromEntries(
        Object.entries(call.inputs ?? {}).map(([k, v]) => [k, pick(v, ['type', 'required', 'default'])]),
      ),
    ),
    secrets: sorted(
      Object.fromEntries(Object.entries(call.secrets ?? {}).map(([k, v]) => [k, pick(v, ['required'])])),
    ),
    outputs: Object.keys(call.outputs ?? {}).sort(),
  };
}

/** The interface as it is in the working tree. */
export function currentInterface() {
  const actions = { '.': actionInterface(join(root, 'action.yml')) };
  for (const name of actionNames())
    actions[`actions/${name}`] = actionInterface(join(root, 'actions', name, 'action.yml'));
  const workflows = {};
  for (const f of readdirSync(REUSABLE)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const i = workflowInterface(join(REUSABLE, f));
    if (i) workflows[`.github/workflows/${f}`] = i;
  }
  return { actions, workflows };
}

/** Flat "where kind name: value" lines, so differences read as a list. */
export function flatten(iface) {
  const lines = [];
  for (const items of Object.values(iface)) {
    for (const [where, parts] of Object.entries(items)) {
      for (const [kind, value] of Object.entries(parts)) {
        if (Array.isArray(value)) for (const name of value) lines.push(`${where} ${kind} ${name}`);
        else
          for (const [name, v] of Object.entries(value))
            lines.push(`${where} ${kind} ${name} ${JSON.stringify(v)}`);
      }
    }
  }
  return lines.sort();
}

/** Lines only in `before` (removed or changed) and only in `after` (added or changed). */
export function diffInterface(before, after) {
  const a = new Set(flatten(before));
  const b = new Set(flatten(after));
  return { removed: [...a].filter((l) => !b.has(l)), added: [...b].filter((l) => !a.has(l)) };
}

/** The text of the changelog's Unreleased section (release.mjs reads sections the same way). */
export function unreleasedNotes(changelog) {
  return sectionOf(changelog, 'Unreleased') ?? '';
}

/** Names (third word of a flat line) of changes the changelog's Unreleased section does not mention. */
export function unmentioned(diff, changelog) {
  const notes = unreleasedNotes(changelog);
  const names = new Set([...diff.removed, ...diff.added].map((l) => l.split(' ')[2]));
  return [...names].filter((n) => !notes.includes(`\`${n}\``));
}

export function readSnapshot() {
  if (!existsSync(SNAPSHOT)) throw new Error(`${SNAPSHOT} is missing: run "npm run interface -- --update".`);
  return JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const update = process.argv.includes('--update');
  const now = currentInterface();
  const diff = existsSync(SNAPSHOT)
    ? diffInterface(readSnapshot(), now)
    : { removed: [], added: flatten(now) };
  for (const l of diff.removed) console.log(`- ${l}`);
  for (const l of diff.added) console.log(`+ ${l}`);
  if (!update) {
    console.log(
      diff.removed.length + diff.added.length
        ? 'The public interface differs from docs/interface.json.'
        : 'The public interface matches docs/interface.json.',
    );
    process.exit(0);
  }
  const missing = existsSync(SNAPSHOT)
    ? unmentioned(diff, readFileSync(join(root, 'CHANGELOG.md'), 'utf8'))
    : [];
  if (missing.length) {
    console.error(
      `Not updated: CHANGELOG.md's Unreleased section must name each changed input, output or secret in backticks (missing: ${missing.map((n) => `\`${n}\``).join(', ')}).`,
    );
    process.exit(1);
  }
  writeFileSync(SNAPSHOT, `${JSON.stringify(now, null, 2)}\n`);
  console.log(`Wrote ${SNAPSHOT}.`);
}
