// The deploy workflow rehearsed end to end (see rehearsal.ts): four scenarios, each on its own
// database, real service processes, real bundles under Node 24.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { rehearse, V1, V2 } from './rehearsal.js';

const stage = (r: Awaited<ReturnType<typeof rehearse>>, name: string) =>
  r.stages.find((s) => s.stage === name);

describe('gated deploy rehearsal', () => {
  test('healthy deploy: v2 serves, one Slack message updated to succeeded, Sentry release + deploy', async () => {
    const r = await rehearse('healthy');
    assert.equal(r.result, 'deployed');
    assert.equal(r.servingVersion, V2);
    assert.equal(stage(r, 'health-gate')?.outputs.result, 'healthy');
    assert.equal(stage(r, 'migrate')?.outputs.applied, '1', "v2's migration applied before the deploy");
    assert.ok(r.appliedVersions.includes(9000));
    assert.match(
      stage(r, 'migrate')?.outputs['backup-path'] ?? '',
      /\.dump$/,
      'pre-migration backup written',
    );
    const [v2, v1] = r.railway.deploymentsOf('svc-decisionlog-api');
    assert.equal(v2?.meta.commitHash, V2);
    assert.equal(v2?.status, 'SUCCESS');
    assert.equal(v1?.status, 'REMOVED', 'Railway replaced v1');
    assert.equal(r.slack.messages.length, 1, 'one Slack message for the whole deploy');
    assert.ok((r.slack.messages[0]?.updates ?? 0) >= 3, 'updated in place through the stages');
    assert.match(r.slack.messages[0]?.text ?? '', /succeeded/i);
    const release = r.sentry.releases.get(V2);
    assert.ok(release, 'Sentry release created');
    assert.equal(r.github.deployments.at(-1)?.statuses.at(-1)?.state, 'success');
  });

  test('v2 crashes on start: Railway FAILED, nothing else runs, v1 keeps serving', async () => {
    const r = await rehearse('crash');
    assert.equal(r.result, 'failed');
    assert.equal(r.servingVersion, V1);
    assert.equal(stage(r, 'railway-deploy')?.exitCode, 1);
    assert.equal(stage(r, 'railway-deploy')?.outputs.status, 'FAILED');
    assert.equal(stage(r, 'health-gate'), undefined, 'no gate after a failed deploy');
    assert.equal(r.sentry.releases.size, 0);
    assert.match(r.slack.messages.at(-1)?.text ?? '', /failed/i);
  });

  test('v2 deploys but fails the gate: rollback, the rollback is gated, v1 serves again', async () => {
    const r = await rehearse('gate-fails');
    assert.equal(stage(r, 'health-gate')?.outputs.result, 'unhealthy');
    assert.equal(stage(r, 'railway-rollback')?.exitCode, 0);
    assert.equal(stage(r, 'health-gate-rollback')?.outputs.result, 'healthy');
    assert.equal(r.result, 'rolled-back');
    assert.equal(r.servingVersion, V1);
    assert.ok(r.recoveryMs !== undefined);
    const rollback = r.railway.deploymentsOf('svc-decisionlog-api')[0];
    assert.equal(rollback?.origin, 'rollback');
    assert.equal(rollback?.meta.commitHash, V1);
    assert.equal(rollback?.status, 'SUCCESS');
    assert.equal(r.sentry.releases.size, 0, 'no release for a version that failed its gate');
    assert.match(r.slack.messages[0]?.text ?? '', /rolled back|rolled-back/i);
    assert.equal(r.slack.messages.length, 1);
  });

  test('migration fails: no deploy, v1 keeps serving, the broken file left no trace', async () => {
    const r = await rehearse('migration-fails');
    assert.equal(r.result, 'failed');
    assert.equal(stage(r, 'migrate')?.exitCode, 1);
    assert.equal(stage(r, 'railway-deploy'), undefined);
    assert.ok(
      !r.railway.fieldsCalled().includes('serviceInstanceDeployV2'),
      'Railway was not asked to deploy',
    );
    assert.equal(r.servingVersion, V1);
    assert.ok(!r.appliedVersions.includes(9000));
  });
});
