// The Railway stand-in itself behaves like Railway: validation, auth per header, state machines.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { DOCUMENTS } from '../../../actions/railway-deploy/src/documents.js';
import { http } from '../../../lib/http.js';
import { type DeploymentStatus, RailwayStandIn, type StandInDeployment } from '../../standins/railway.js';

const SVC = 'svc-a';

describe('Railway stand-in', () => {
  let rw: RailwayStandIn;
  const gql = async (
    query: string,
    variables: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ) => {
    const res = await http(rw.apiUrl, {
      method: 'POST',
      json: { query, variables },
      headers: headers ?? { 'project-access-token': rw.projectToken },
      retry: { retries: 0 },
    });
    return {
      status: res.status,
      headers: res.headers,
      body: res.json<{ data?: Record<string, unknown> | null; errors?: Array<{ message: string }> }>(),
    };
  };
  beforeEach(async () => {
    rw = await new RailwayStandIn().start();
    rw.stepMs = 5;
    rw.addService(SVC);
  });
  afterEach(async () => {
    await rw.stop();
  });

  test('answers a document with an unknown field with Railway-style errors, and bad syntax too', async () => {
    const bad = await gql('query { deployment(id: "x") { id colour } }');
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors?.[0]?.message ?? '', /Cannot query field "colour" on type "Deployment"/);
    const syntax = await gql('query { deployment(id: "x") { id ');
    assert.equal(syntax.status, 400);
    assert.match(syntax.body.errors?.[0]?.message ?? '', /Syntax Error/);
  });

  test('checks tokens per header type: Not Authorized for the wrong header or value', async () => {
    const doc = DOCUMENTS.LIST_DEPLOYMENTS;
    const vars = { first: 5, projectId: rw.projectId, environmentId: rw.environmentId, serviceId: SVC };
    assert.equal((await gql(doc, vars)).body.errors, undefined);
    assert.equal(
      (await gql(doc, vars, { authorization: `Bearer ${rw.accountToken}` })).body.errors,
      undefined,
    );
    for (const headers of [
      { authorization: `Bearer ${rw.projectToken}` },
      { 'project-access-token': rw.accountToken },
      { 'project-access-token': 'nope' },
      {},
    ]) {
      const r = await gql(doc, vars, headers as Record<string, string>);
      assert.equal(r.body.errors?.[0]?.message, 'Not Authorized', JSON.stringify(headers));
      assert.equal(r.body.data, null);
    }
  });

  test('plays the scenario, replaces the previous SUCCESS, and reports every status to onStatus', async () => {
    const old = rw.seed(SVC, { status: 'SUCCESS' });
    const seen: Array<[string, DeploymentStatus]> = [];
    rw.onStatus = (d: StandInDeployment, s) => {
      seen.push([d.id, s]);
    };
    const started = await gql(DOCUMENTS.DEPLOY_SERVICE_INSTANCE, {
      serviceId: SVC,
      environmentId: rw.environmentId,
    });
    const id = started.body.data?.serviceInstanceDeployV2 as string;
    await rw.settle();
    assert.deepEqual(rw.deployment(id)?.history, ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS']);
    assert.equal(rw.deployment(old.id)?.status, 'REMOVED');
    assert.deepEqual(seen.at(-2), [id, 'SUCCESS']);
    assert.deepEqual(seen.at(-1), [old.id, 'REMOVED']);
  });

  test('CRASHED after SUCCESS can be scripted', async () => {
    rw.scenario = () => [
      { status: 'QUEUED' },
      { status: 'SUCCESS' },
      { status: 'CRASHED', deployLogs: ['OOM killed'] },
    ];
    const started = await gql(DOCUMENTS.DEPLOY_SERVICE_INSTANCE, {
      serviceId: SVC,
      environmentId: rw.environmentId,
    });
    const id = started.body.data?.serviceInstanceDeployV2 as string;
    await rw.settle();
    assert.deepEqual(rw.deployment(id)?.history, ['QUEUED', 'SUCCESS', 'CRASHED']);
    const logs = await gql(DOCUMENTS.DEPLOYMENT_LOGS, { deploymentId: id, limit: 10 });
    assert.deepEqual(
      (logs.body.data as { deploymentLogs: Array<{ message: string }> }).deploymentLogs.map((l) => l.message),
      ['OOM killed'],
    );
  });

  test('rollback makes a new deployment copying the image; refuses expired images and unknown ids', async () => {
    const v1 = rw.seed(SVC, { status: 'REMOVED', meta: { image: 'app:v1' } });
    const expired = rw.seed(SVC, { status: 'REMOVED', canRollback: false });
    const ok = await gql(DOCUMENTS.ROLLBACK_DEPLOYMENT, { id: v1.id });
    assert.equal(ok.body.data?.deploymentRollback, true);
    await rw.settle();
    const created = rw.deploymentsOf(SVC)[0];
    assert.equal(created?.rollbackOf, v1.id);
    assert.equal(created?.meta.image, 'app:v1');
    assert.equal(created?.status, 'SUCCESS');
    assert.match(
      (await gql(DOCUMENTS.ROLLBACK_DEPLOYMENT, { id: expired.id })).body.errors?.[0]?.message ?? '',
      /cannot be rolled back/,
    );
    assert.match(
      (await gql(DOCUMENTS.ROLLBACK_DEPLOYMENT, { id: 'nope' })).body.errors?.[0]?.message ?? '',
      /not found/,
    );
  });

  test('sends rate-limit headers and answers 429 with Retry-After when the window is used up', async () => {
    rw.rateLimit = { limit: 2, remaining: 2, windowSeconds: 30, resetAt: 0 };
    const doc = DOCUMENTS.GET_DEPLOYMENT;
    const first = await gql(doc, { id: rw.seed(SVC, { status: 'SUCCESS' }).id });
    assert.equal(first.headers['x-ratelimit-limit'], '2');
    assert.equal(first.headers['x-ratelimit-remaining'], '1');
    await gql(doc, { id: 'x' });
    const limited = await http(rw.apiUrl, {
      method: 'POST',
      json: { query: doc, variables: { id: 'x' } },
      retry: { retries: 0 },
    });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });

  test('rejects a real Railway field our contract extract does not hold (update-contracts adds it)', async () => {
    const r = await gql('query { me { id } }');
    assert.equal(r.status, 400);
    assert.match(r.body.errors?.[0]?.message ?? '', /Cannot query field "me" on type "Query"/);
  });

  test('serviceInstanceDeployV2 without commitSha redeploys the current commit; latestCommit deploys the head', async () => {
    const service = rw.services.get(SVC)!;
    service.latestCommit = 'e'.repeat(40);
    rw.seed(SVC, { status: 'SUCCESS', meta: { commitHash: '2'.repeat(40) } });
    const vars = { serviceId: SVC, environmentId: rw.environmentId };
    const v2 = await gql(DOCUMENTS.DEPLOY_SERVICE_INSTANCE, vars);
    assert.equal(
      rw.deployment(v2.body.data?.serviceInstanceDeployV2 as string)?.meta.commitHash,
      '2'.repeat(40),
    );
    const latest = await gql(DOCUMENTS.DEPLOY_LATEST_COMMIT, vars);
    assert.equal(latest.body.data?.serviceInstanceDeploy, true);
    assert.equal(rw.deploymentsOf(SVC)[0]?.meta.commitHash, 'e'.repeat(40));
  });

  test('an unknown commitSha is "Commit not found" and creates nothing; a deleted project token is "Project Token not found"', async () => {
    const service = rw.services.get(SVC)!;
    service.knownCommits = new Set(['1'.repeat(40)]);
    const r = await gql(DOCUMENTS.DEPLOY_SERVICE_INSTANCE, {
      serviceId: SVC,
      environmentId: rw.environmentId,
      commitSha: '9'.repeat(40),
    });
    assert.equal(r.body.errors?.[0]?.message, 'Commit not found');
    assert.equal(rw.deploymentsOf(SVC).length, 0);
    rw.deletedProjectTokens.add('gone-token-1234');
    const t = await gql(DOCUMENTS.GET_DEPLOYMENT, { id: 'x' }, { 'project-access-token': 'gone-token-1234' });
    assert.equal(t.body.errors?.[0]?.message, 'Project Token not found');
  });
});
