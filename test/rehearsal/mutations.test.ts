// Mutation sensitivity: each edit from issue 13 — one a maintainer could make by mistake and that
// would break a real production deploy — and one to pr-health's comment wiring is applied to a
// temporary copy of the suite's YAML, and the rehearsal must then fail. If an edit no longer applies (the YAML moved on), the test says so.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, test } from 'vitest';

// One scenario boots real service processes; on a loaded shared machine that takes minutes.
const SCENARIO_TIMEOUT = { timeout: 900_000 };

import { parseDocument } from 'yaml';
import { repoRoot } from '../harness/run-action.js';
import { problems, rehearse, type ScenarioName } from './rehearsal.js';

const made: string[] = [];
const expr = (e: string) => `\${{ ${e} }}`;
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the suite whose workflow `file` went through `edit`; actions/ and service/ are the real ones. */
function mutatedSuite(edit: (text: string) => string, file = 'deploy.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'suite-mutant-'));
  made.push(dir);
  cpSync(join(repoRoot, '.github'), join(dir, '.github'), { recursive: true });
  cpSync(join(repoRoot, 'workflows'), join(dir, 'workflows'), { recursive: true });
  cpSync(join(repoRoot, 'action.yml'), join(dir, 'action.yml'));
  symlinkSync(join(repoRoot, 'actions'), join(dir, 'actions'));
  symlinkSync(join(repoRoot, 'service'), join(dir, 'service'));
  const path = join(dir, '.github', 'workflows', file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, `the mutation no longer applies to ${file}: update this test`);
  writeFileSync(path, after);
  return dir;
}

const mutations: {
  name: string;
  scenario: ScenarioName;
  edit: (text: string) => string;
  /** The workflow edited (default deploy.yml). */
  file?: string;
}[] = [
  {
    name: "the rollback job's condition can never be true",
    scenario: 'gate-fails',
    edit: (text) => {
      const doc = parseDocument(text);
      const condition = String(doc.getIn(['jobs', 'rollback', 'if']));
      doc.setIn(
        ['jobs', 'rollback', 'if'],
        condition.replace("needs.gate.result == 'failure'", "needs.gate.result == 'failed'"),
      );
      return doc.toString();
    },
  },
  {
    name: "the gate probes another URL (Railway's own domain instead of health-url)",
    scenario: 'healthy',
    edit: (text) => {
      const doc = parseDocument(text);
      const steps = doc.getIn(['jobs', 'gate', 'steps']) as { items: { get: (k: string) => unknown }[] };
      const at = steps.items.findIndex((s) => String(s.get('uses')).endsWith('/actions/health-gate'));
      assert.ok(at >= 0, 'no health-gate step in the gate job');
      doc.setIn(
        ['jobs', 'gate', 'steps', at, 'with', 'url'],
        `${expr('needs.deploy.outputs.url')}/api/health`,
      );
      return doc.toString();
    },
  },
  {
    name: 'the rollback is handed the new deployment instead of the previous one',
    scenario: 'gate-fails',
    edit: (text) =>
      text.split('needs.deploy.outputs.previous-deployment-id').join('needs.deploy.outputs.deployment-id'),
  },
  {
    name: "pr-health's comment is handed the lint findings instead of the migration report",
    scenario: 'pull-request',
    file: 'pr-health.yml',
    edit: (text) => text.split('needs.health.outputs.migrate-report').join('needs.health.outputs.findings'),
  },
];

describe('the rehearsal fails when the YAML is broken', () => {
  for (const m of mutations) {
    test(`${m.name} → ${m.scenario} fails`, SCENARIO_TIMEOUT, async () => {
      const suiteRoot = mutatedSuite(m.edit, m.file);
      const r = await rehearse(m.scenario, { suiteRoot, outputDir: join(suiteRoot, 'out') });
      const found = problems(r);
      assert.ok(found.length > 0, `the rehearsal stayed green with: ${m.name}`);
    });
  }
});
