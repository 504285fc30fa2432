// Both ways back to v1, through the YAML: the deploy workflow's automatic rollback after a failed
// gate, and a maintainer dispatching the workflows/rollback.yml template.
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
    'a maintainer dispatches the rollback: the previous deployment serves again and is gated',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('rollback-dispatch');
      assert.deepEqual(problems(r), []);
      assert.equal(r.servingVersion, V1);
    },
  );
});
