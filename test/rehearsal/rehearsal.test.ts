// The gated deploy rehearsed through the workflow YAML (see rehearsal.ts): the caller template
// workflows/deploy.yml runs .github/workflows/deploy.yml in the local executor, and a job runs the
// root action.yml; each scenario on its own database, real service processes, real bundles under
// Node 24; after the healthy deploy the restore drill (workflows/restore-drill.yml) restores the
// backup it kept. Rollbacks: rollback.test.ts; pull requests: pull-request.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';

// One scenario boots real service processes; on a loaded shared machine that takes minutes.
const SCENARIO_TIMEOUT = { timeout: 900_000 };

import { problems, rehearse, V2 } from './rehearsal.js';

describe('gated deploy rehearsal, through the YAML', () => {
  test(
    'healthy: v2 serves; gate and release ran, rollback skipped; one Slack message; Sentry release',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('healthy');
      assert.deepEqual(problems(r), []);
      assert.equal(r.servingVersion, V2);
      const gate = r.run.jobs.find((j) => j.path === 'deploy/gate');
      assert.match(gate?.summary ?? '', /Health gate: healthy/i, 'the gate job kept its own summary');
      assert.ok(r.run.jobs.find((j) => j.path === 'deploy/migrate')?.environment === 'production');
      // The pre-migration backup of this public repository went up as an age file, nothing else.
      const backups = r.artifacts.filter((f) => f.artifact.startsWith('db-backup-production-'));
      assert.deepEqual(
        backups.map((f) => [f.file.endsWith('.dump.age'), f.head]),
        [[true, 'age-encryption.org/v1']],
      );
      // workflows/restore-drill.yml restored it with the drill's key into a scratch database.
      assert.equal(r.drill?.conclusion, 'success', r.drill?.summary);
      assert.ok((r.drill?.tables['public.schema_migrations'] ?? 0) > 0, r.drill?.summary);
      console.log(`restore drill: the deploy's encrypted backup restored in ${r.drill?.seconds} s`);
    },
  );

  test('crash: Railway FAILED, gate and rollback skipped, v1 keeps serving', SCENARIO_TIMEOUT, async () => {
    const r = await rehearse('crash');
    assert.deepEqual(problems(r), []);
    assert.equal(r.recoveryMs, undefined, 'v2 never went live');
  });

  test('migration fails: nothing deployed, the broken file left no trace', SCENARIO_TIMEOUT, async () => {
    const r = await rehearse('migration-fails');
    assert.deepEqual(problems(r), []);
    assert.equal(r.run.conclusion, 'failure');
  });

  test(
    'root action: one job, the composite expanded — migrated, deployed, gated, released; one Slack message',
    SCENARIO_TIMEOUT,
    async () => {
      const r = await rehearse('root-action');
      assert.deepEqual(problems(r), []);
      const steps = r.run.jobs.find((j) => j.path === 'deploy')?.steps.map((s) => `${s.outcome} ${s.name}`);
      for (const ran of [
        'Migrate (backup first)',
        'Deploy and wait',
        'Gate the new version',
        'Sentry release',
      ])
        assert.ok(
          steps?.some((s) => s.startsWith(`success ${ran}`)),
          `${ran} ran: ${steps?.join(', ')}`,
        );
      assert.ok(steps?.includes('skipped Roll Railway back to the deployment that served before'));
    },
  );
});
