// railway-deploy `rollback`, run from the committed bundle against the Railway stand-in.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { newest, run, SERVICE, type World, world } from './fixture.js';

describe('railway-deploy rollback', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w?.railway.stop(); // w is unset when world() failed (a missing fixture): its one sentence is the error
  });

  test('to an explicit id: Railway makes a new deployment from that image, we wait for SUCCESS', async () => {
    const first = w.railway.seed(SERVICE, {
      status: 'REMOVED',
      meta: { image: 'ghcr.io/acme/decisionlog:v1' },
    });
    const current = w.railway.seed(SERVICE, {
      status: 'SUCCESS',
      meta: { image: 'ghcr.io/acme/decisionlog:v2' },
    });
    w.railway.stepOnRead = true;
    const r = await run(w.railway, { command: 'rollback', 'rollback-to': first.id });
    assert.equal(r.exitCode, 0, r.log);
    const created = newest(w.railway);
    assert.equal(created.origin, 'rollback');
    assert.equal(created.rollbackOf, first.id);
    assert.equal(created.meta.image, 'ghcr.io/acme/decisionlog:v1');
    assert.equal(r.outputs['deployment-id'], created.id);
    assert.equal(r.outputs['rolled-back-to'], first.id);
    assert.equal(r.outputs.status, 'SUCCESS');
    assert.equal(
      r.outputs['previous-deployment-id'],
      w.live.id,
      'the deployment that served before the restored one, never the one rolled back from',
    );
    assert.deepEqual(created.history, ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS']);
    assert.equal(w.railway.deployment(current.id)?.status, 'REMOVED');
    const rollback = w.railway.operations.find((o) => o.fields.includes('deploymentRollback'));
    assert.deepEqual(rollback?.variables, { id: first.id });
    assert.match(r.log, /Rolling back service .* to deployment/);
  });

  test('to the default target: the newest older SUCCESS/REMOVED with canRollback, never FAILED or expired', async () => {
    const good = w.railway.seed(SERVICE, { status: 'REMOVED' });
    w.railway.seed(SERVICE, { status: 'REMOVED', canRollback: false });
    w.railway.seed(SERVICE, { status: 'FAILED' });
    w.railway.seed(SERVICE, { status: 'SKIPPED' });
    w.railway.seed(SERVICE, { status: 'SUCCESS' });
    const r = await run(w.railway, { command: 'rollback' });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs['rolled-back-to'], good.id);
    assert.equal(newest(w.railway).rollbackOf, good.id);
    assert.equal(r.outputs['previous-deployment-id'], w.live.id, 'what served before the restored one');
  });

  test('previous-deployment-id is empty when nothing served before the restored one', async () => {
    w.railway.addService('svc-two');
    const first = w.railway.seed('svc-two', { status: 'REMOVED' });
    const bad = w.railway.seed('svc-two', { status: 'SUCCESS' });
    const r = await run(w.railway, { command: 'rollback', 'service-id': 'svc-two' });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs['rolled-back-to'], first.id);
    assert.notEqual(r.outputs['previous-deployment-id'], bad.id, 'never the bad release rolled back from');
    assert.equal(r.outputs['previous-deployment-id'], '');
    assert.match(r.summary, /Previous \(rollback target\) \| none/);
  });

  test('default target when the live deployment crashed: the one that served before it', async () => {
    w.railway.seed(SERVICE, { status: 'CRASHED' });
    const r = await run(w.railway, { command: 'rollback' });
    assert.equal(r.exitCode, 0, r.log);
    // The seeded live one (SUCCESS) served before the crash; it is the newest older candidate.
    assert.equal(r.outputs['rolled-back-to'], w.live.id);
  });

  test('refused: canRollback false (image retention expired)', async () => {
    const expired = w.railway.seed(SERVICE, { status: 'REMOVED', canRollback: false });
    w.railway.seed(SERVICE, { status: 'SUCCESS' });
    const r = await run(w.railway, { command: 'rollback', 'rollback-to': expired.id });
    assert.equal(r.exitCode, 1);
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0] ?? '',
      /can no longer roll back to deployment .*retention.*deploy that commit again/,
    );
    assert.equal(w.railway.fieldsCalled().includes('deploymentRollback'), false);
  });

  test('refused: a deployment of another service', async () => {
    w.railway.addService('svc-worker');
    const foreign = w.railway.seed('svc-worker', { status: 'REMOVED' });
    const r = await run(w.railway, { command: 'rollback', 'rollback-to': foreign.id });
    assert.equal(r.exitCode, 1);
    assert.match(
      r.errors[0] ?? '',
      new RegExp(`belongs to service svc-worker, not to service-id ${SERVICE}`),
    );
    assert.equal(w.railway.fieldsCalled().includes('deploymentRollback'), false);
  });

  test('refused: an id Railway does not know', async () => {
    const r = await run(w.railway, { command: 'rollback', 'rollback-to': 'no-such-deployment' });
    assert.equal(r.exitCode, 1);
    assert.match(
      r.errors[0] ?? '',
      /rollback-to" names deployment no-such-deployment, which Railway does not know/,
    );
  });

  test('nothing to roll back to: says so and changes nothing', async () => {
    w.railway.addService('svc-fresh');
    w.railway.seed('svc-fresh', { status: 'FAILED' });
    w.railway.seed('svc-fresh', { status: 'SUCCESS' });
    const r = await run(w.railway, { command: 'rollback', 'service-id': 'svc-fresh' });
    assert.equal(r.exitCode, 1);
    assert.match(r.errors[0] ?? '', /Found no deployment of service svc-fresh to roll back to/);
    assert.equal(w.railway.fieldsCalled().includes('deploymentRollback'), false);
  });

  test('rollback deployment that fails is reported like a failed deploy', async () => {
    w.railway.scenario = (_d, ctx) =>
      ctx.kind === 'rollback'
        ? [{ status: 'QUEUED' }, { status: 'DEPLOYING' }, { status: 'CRASHED', deployLogs: ['boom'] }]
        : [];
    const r = await run(w.railway, { command: 'rollback' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs['rolled-back-to'], w.older.id);
    assert.equal(r.outputs.status, 'CRASHED');
    assert.match(r.log, /boom/);
    assert.doesNotMatch(r.summary, /boom/, 'log lines stay out of the summary by default');
  });
});
