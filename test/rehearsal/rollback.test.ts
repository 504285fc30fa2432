// The ways back to v1, through the YAML: the deploy workflow's automatic rollback after a failed
// gate, a maintainer dispatching the workflows/rollback.yml template, and the root action's own
// rollback step.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';

// One scenario boots real service processes; on a loaded shared machine that takes minutes.
const SCENARIO_TIMEOUT = { timeout: 900_000 };

import { problems, rehearse, V1 } from './rehearsal.js';

describe('rollback rehearsal, through the YAML', () => {
  test(
    'gate fails: rollback job runs, the rollback is gated, v1 serves again; recovery time measured',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('gate-fails');
      assert.deepEqual(problems(r), []);
      assert.ok((r.recoveryMs ?? 0) > 0);
      assert.ok(r.skipped.includes('deploy/release'));
    },
  );

  test(
    'root action, gate fails: the composite rolls Railway back, gates v1, the job fails with rolled-back',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('root-action-rollback');
      assert.deepEqual(problems(r), []);
      const steps = r.run.jobs.find((j) => j.path === 'deploy')?.steps ?? [];
      const outcome = (name: string) => steps.find((s) => s.name.startsWith(name))?.outcome;
      assert.equal(outcome('Gate the new version'), 'failure');
      assert.equal(outcome('Roll Railway back'), 'success');
      assert.equal(outcome('Gate the restored release'), 'success');
      assert.equal(outcome('Sentry release and deploy record'), 'skipped');
    },
  );

  test(
    'a maintainer dispatches the rollback: the previous deployment serves again and is gated',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('rollback-dispatch');
      assert.deepEqual(problems(r), []);
      assert.equal(r.servingVersion, V1);
    },
  );
});
