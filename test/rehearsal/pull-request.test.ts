// A pull request through the YAML: workflows/pr-health.yml calls .github/workflows/pr-health.yml in
// the local executor (see rehearsal.ts, scenario `pull-request`): migrations planned and applied to a
// fresh database, the service started and gated, one PR comment created then edited on the next
// push, and a pull request from a fork checked without secrets and with a read-only token.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';

// Three pr-health runs (two side by side), each booting the real service; minutes on a loaded machine.
const SCENARIO_TIMEOUT = { timeout: 900_000 };

import { problems, rehearse } from './rehearsal.js';

describe('pull request rehearsal, through the YAML', () => {
  test(
    'one comment, created then updated, with the migration plan and the gate; a fork is checked but cannot write',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('pull-request');
      assert.deepEqual(problems(r), []);
      const pr = r.pullRequest;
      assert.ok(pr);
      assert.deepEqual(
        pr.writes.map((w) => w.split(' ')[0]),
        ['POST', 'PATCH'],
        'created on the first push, edited on the second',
      );
      assert.ok(
        pr.forkRequests.some((q) => q.method === 'POST'),
        "the fork's comment job tried to post (and GitHub refused the read-only token)",
      );
      const forkHealth = pr.fork.jobs.find((j) => j.path === 'health/health');
      assert.ok(forkHealth?.steps.some((s) => s.name === 'Health gate' && s.outcome === 'success'));
    },
  );
});
