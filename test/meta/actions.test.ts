// Every action.yml is valid for GitHub (its own parser), complete (descriptions, node24, bundle
// present), and its README's inputs/outputs tables say exactly what action.yml says.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { describe, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type ActionMeta, repoRoot } from '../harness/run-action.js';

const actionDirs = readdirSync(join(repoRoot, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(repoRoot, 'actions', d.name, 'action.yml')))
  .map((d) => join('actions', d.name));
const allMetadata = [...actionDirs, '.'];

function load(dir: string): { text: string; meta: ActionMeta & Record<string, unknown> } {
  const text = readFileSync(join(repoRoot, dir, 'action.yml'), 'utf8');
  return { text, meta: parseYaml(text) };
}

describe('action.yml metadata', () => {
  test('the suite has its five actions', () => {
    for (const name of ['migrate', 'health-gate', 'railway-deploy', 'sentry-release', 'slack-notify']) {
      assert.ok(actionDirs.includes(join('actions', name)), `actions/${name}/action.yml is missing`);
    }
  });

  for (const dir of allMetadata) {
    test(`${dir}/action.yml passes GitHub's action parser`, () => {
      const { text } = load(dir);
      const result = parseAction({ name: `${dir}/action.yml`, content: text }, new NoOperationTraceWriter());
      assert.deepEqual(
        result.context.errors.getErrors().map((e) => e.message),
        [],
      );
    });

    test(`${dir}/action.yml describes every input and output and sets branding`, () => {
      const { meta } = load(dir);
      assert.ok(meta.name && meta.description, 'name and description are required');
      assert.ok(meta.branding, 'branding (icon, color) is set for the Marketplace');
      for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
        assert.match(name, /^[a-z][a-z0-9-]*$/, `input ${name} uses kebab-case`);
        assert.ok(spec?.description, `input ${name} has a description`);
        assert.ok(
          !(spec.required && spec.default !== undefined),
          `input ${name} is required and has a default`,
        );
      }
      for (const [name, spec] of Object.entries(meta.outputs ?? {})) {
        assert.ok(spec?.description, `output ${name} has a description`);
      }
    });
  }

  for (const dir of actionDirs) {
    test(`${dir} runs a committed ESM bundle on node24`, () => {
      const { meta } = load(dir);
      assert.equal(meta.runs.using, 'node24');
      assert.equal(meta.runs.main, 'dist/index.js');
      assert.ok(existsSync(join(repoRoot, dir, 'dist', 'index.js')), 'dist/index.js is committed');
      const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'dist', 'package.json'), 'utf8'));
      assert.equal(pkg.type, 'module', 'dist/package.json marks the bundle as ESM');
      assert.ok(existsSync(join(repoRoot, dir, 'dist', 'licenses.txt')), 'dist/licenses.txt is committed');
    });
  }
});

/** Rows of the Markdown table under `## heading`: first cell (backticks stripped) → other cells. */
function readmeTable(markdown: string, heading: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  const at = markdown.search(new RegExp(`^##+ ${heading}\\s*$`, 'm'));
  if (at < 0) return rows;
  const lines = markdown.slice(at).split('\n').slice(1);
  let inTable = false;
  for (const line of lines) {
    if (/^##/.test(line)) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line
      .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const first = cells[0] ?? '';
    if (!first.startsWith('`')) continue; // header and rule rows
    rows.set(first.replace(/`/g, ''), cells.slice(1));
  }
  return rows;
}

describe('README tables match action.yml', () => {
  for (const dir of allMetadata) {
    const readme = dir === '.' ? 'README.md' : join(dir, 'README.md');
    test(`${readme} documents exactly the inputs and outputs of ${dir}/action.yml`, () => {
      assert.ok(existsSync(join(repoRoot, readme)), `${readme} exists`);
      const md = readFileSync(join(repoRoot, readme), 'utf8');
      const { meta } = load(dir);
      const inputs = readmeTable(md, dir === '.' ? 'Root action inputs' : 'Inputs');
      const outputs = readmeTable(md, dir === '.' ? 'Root action outputs' : 'Outputs');
      assert.deepEqual([...inputs.keys()].sort(), Object.keys(meta.inputs ?? {}).sort(), 'input names');
      assert.deepEqual([...outputs.keys()].sort(), Object.keys(meta.outputs ?? {}).sort(), 'output names');
      for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
        const [required, def] = inputs.get(name) ?? [];
        assert.equal(required, spec.required ? 'yes' : 'no', `README "required" of ${name}`);
        const expected = spec.default === undefined || spec.default === '' ? '' : `\`${spec.default}\``;
        assert.equal(def, expected, `README default of ${name}`);
      }
    });
  }
});
