// railway-deploy sends each mutation at most once: when Railway accepts a deploy or rollback and then
// answers 502 or drops the connection, the step adopts the deployment it created instead of
// sending the request again (which would start a second, racing deployment).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { GitHubStandIn } from '../../standins/github.js';
import { type RailwayCall, railwayReplies } from '../../standins/railway.js';
import { newest, run, SERVICE, type World, world } from './fixture.js';

const MUTATIONS = ['serviceInstanceDeploy', 'serviceInstanceDeployV2', 'deploymentRollback'];

describe('railway-deploy: at most once', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w?.railway.stop(); // w is unset when world() failed (a missing fixture): its one sentence is the error
  });

  /** Railway applies the first `field` call, then answers it with `reply` instead of its result. */
  function acceptThen(field: string, reply: () => ReturnType<typeof railwayReplies.badGateway>) {
    let done = false;
    w.railway.afterAccept = (call: RailwayCall) => {
      if (done || !call.fields.includes(field)) return undefined;
      done = true;
      return reply();
    };
  }
  const mutationsSent = () => w.railway.fieldsCalled().filter((f) => MUTATIONS.includes(f));
  const created = (origin: 'deploy' | 'rollback') =>
    w.railway.deploymentsOf(SERVICE).filter((d) => d.origin === origin);

  for (const [name, reply] of [
    ['502', railwayReplies.badGateway],
    ['a reset socket', railwayReplies.connectionReset],
  ] as const) {
    test(`deploy of a commit accepted, then ${name}: one deployment, adopted, green`, async () => {
      const sha = 'c'.repeat(40);
      acceptThen('serviceInstanceDeployV2', reply);
      const r = await run(w.railway, { 'commit-sha': sha });
      assert.equal(r.exitCode, 0, r.log);
      assert.deepEqual(mutationsSent(), ['serviceInstanceDeployV2'], 'sent once, never again');
      assert.equal(created('deploy').length, 1, 'exactly one new deployment');
      const d = newest(w.railway);
      assert.equal(d.meta.commitHash, sha);
      assert.equal(r.outputs['deployment-id'], d.id);
      assert.equal(r.outputs.status, 'SUCCESS');
      assert.match(r.log, /Railway did not confirm starting the deployment/);
      assert.match(r.log, new RegExp(`Adopted deployment ${d.id} of commit ${sha}`));
    });

    test(`rollback accepted, then ${name}: one new deployment, adopted, green`, async () => {
      acceptThen('deploymentRollback', reply);
      const r = await run(w.railway, { command: 'rollback' });
      assert.equal(r.exitCode, 0, r.log);
      assert.deepEqual(mutationsSent(), ['deploymentRollback']);
      assert.equal(created('rollback').length, 1, 'exactly one new deployment');
      const d = newest(w.railway);
      assert.equal(d.rollbackOf, w.older.id);
      assert.equal(r.outputs['deployment-id'], d.id);
      assert.equal(r.outputs['rolled-back-to'], w.older.id);
      assert.equal(r.outputs.status, 'SUCCESS');
      assert.match(r.log, new RegExp(`Adopted deployment ${d.id}`));
    });
  }

  test('latest commit accepted, then 502: one deployment, adopted, green', async () => {
    acceptThen('serviceInstanceDeploy', railwayReplies.badGateway);
    const r = await run(w.railway);
    assert.equal(r.exitCode, 0, r.log);
    assert.deepEqual(mutationsSent(), ['serviceInstanceDeploy']);
    assert.equal(created('deploy').length, 1);
    assert.equal(r.outputs['deployment-id'], newest(w.railway).id);
  });

  test('another commit deployed meanwhile (an autodeploy) is not adopted', async () => {
    const ours = 'c'.repeat(40);
    // Railway never got ours; a push deployed another commit at the same moment.
    w.railway.intercept = (call) => {
      if (!call.fields.includes('serviceInstanceDeployV2')) return undefined;
      w.railway.seed(SERVICE, { status: 'BUILDING', meta: { commitHash: 'e'.repeat(40) } });
      return railwayReplies.badGateway();
    };
    const r = await run(w.railway, { 'commit-sha': ours, timeout: '1s' });
    assert.equal(r.exitCode, 1);
    assert.deepEqual(mutationsSent(), ['serviceInstanceDeployV2']);
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0] ?? '',
      /did not confirm the deploy \(HTTP 502\) and no new deployment of service .* appeared within 1\.0s, so Railway most likely did not apply it; it was not sent again/,
    );
    assert.equal(r.outputs['deployment-id'], undefined);
  });

  test('502 before Railway applied the deploy: nothing adopted, nothing re-sent, one clear sentence', async () => {
    w.railway.intercept = (call) =>
      call.fields.includes('serviceInstanceDeployV2') ? railwayReplies.badGateway() : undefined;
    const r = await run(w.railway, { 'commit-sha': 'c'.repeat(40), timeout: '1s' });
    assert.equal(r.exitCode, 1);
    assert.deepEqual(mutationsSent(), ['serviceInstanceDeployV2']);
    assert.equal(created('deploy').length, 0);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /most likely did not apply it; it was not sent again/);
  });

  test('serviceInstanceUpdate answered 502: not re-sent, no deployment started', async () => {
    w.railway.intercept = (call) =>
      call.fields.includes('serviceInstanceUpdate') ? railwayReplies.badGateway() : undefined;
    const r = await run(w.railway, { 'num-replicas': 2 });
    assert.equal(r.exitCode, 1);
    assert.deepEqual(
      w.railway.fieldsCalled().filter((f) => f === 'serviceInstanceUpdate'),
      ['serviceInstanceUpdate'],
    );
    assert.deepEqual(mutationsSent(), []);
    assert.match(
      r.errors[0] ?? '',
      /did not confirm the new service settings \(HTTP 502\).*no deployment was started/,
    );
  });

  test('the GitHub Deployment names the adopted deployment', async () => {
    const gh = await new GitHubStandIn().start();
    try {
      acceptThen('serviceInstanceDeployV2', railwayReplies.connectionReset);
      const r = await run(
        w.railway,
        { 'commit-sha': 'c'.repeat(40), 'github-token': gh.token, environment: 'production' },
        { env: { GITHUB_API_URL: gh.url } },
      );
      assert.equal(r.exitCode, 0, r.log);
      assert.equal(gh.deployments.length, 1);
      assert.deepEqual(gh.deployments[0]?.payload, {
        railwayDeploymentId: newest(w.railway).id,
        railwayServiceId: SERVICE,
      });
      assert.deepEqual(
        gh.deployments[0]?.statuses.map((s) => s.state),
        ['in_progress', 'success'],
      );
    } finally {
      await gh.stop();
    }
  });
});
