// railway-deploy GitHub Deployments: records and statuses against the GitHub API stand-in.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { leaks } from '../../harness/run-action.js';
import { type Deployment, GitHubStandIn } from '../../standins/github.js';
import { newest, run, SERVICE, type World, world } from './fixture.js';

describe('railway-deploy GitHub Deployments', () => {
  let w: World;
  let gh: GitHubStandIn;
  let nextId = 1;
  /** A record our action made earlier, for a Railway deployment, with these statuses (oldest first). */
  function record(
    railwayDeploymentId: string,
    states: string[],
    creator = 'github-actions[bot]',
  ): Deployment {
    const d: Deployment = {
      id: nextId++,
      ref: 'main',
      sha: 'main',
      environment: 'production',
      description: null,
      payload: { railwayDeploymentId },
      transient_environment: false,
      production_environment: true,
      created_at: new Date().toISOString(),
      creator: { login: creator, type: 'Bot' },
      statuses: states.map((state, i) => ({ id: 100 * nextId + i, state })),
    };
    gh.deployments.push(d);
    return d;
  }
  const ghEnv = () => ({ env: { GITHUB_API_URL: gh.url } });

  beforeEach(async () => {
    w = await world();
    gh = await new GitHubStandIn().start();
  });
  afterEach(async () => {
    await w?.railway.stop(); // w is unset when world() failed (a missing fixture): its one sentence is the error
    await gh?.stop();
  });

  test('success: create, in_progress, success with URLs, and inactive for the replaced one', async () => {
    const replaced = record(w.live.id, ['in_progress', 'success']);
    const sha = 'd'.repeat(40);
    const r = await run(
      w.railway,
      { 'github-token': gh.token, environment: 'production', 'commit-sha': sha },
      ghEnv(),
    );
    assert.equal(r.exitCode, 0, r.log);
    const created = gh.deployments.at(-1)!;
    assert.notEqual(created, replaced);
    assert.equal(created.ref, sha);
    assert.equal(created.environment, 'production');
    assert.deepEqual(created.payload, {
      railwayDeploymentId: newest(w.railway).id,
      railwayServiceId: SERVICE,
    });
    assert.deepEqual(
      created.statuses.map((s) => s.state),
      ['in_progress', 'success'],
    );
    const link = `https://railway.com/project/${w.railway.projectId}/service/${SERVICE}?environmentId=${w.railway.environmentId}&id=${newest(w.railway).id}`;
    assert.equal(created.statuses[0]?.log_url, link);
    assert.equal(created.statuses[1]?.environment_url, r.outputs.url);
    assert.equal(created.statuses[1]?.log_url, link);
    assert.deepEqual(
      replaced.statuses.map((s) => s.state),
      ['in_progress', 'success', 'inactive'],
    );
    assert.deepEqual(leaks(r, gh.token), []);
    assert.ok(gh.requests.every((q) => q.headers.authorization === `token ${gh.token}`));
  });

  test('failure: failure status, the replaced record stays as it was', async () => {
    const replaced = record(w.live.id, ['success']);
    w.railway.scenario = () => [{ status: 'QUEUED' }, { status: 'BUILDING' }, { status: 'FAILED' }];
    const r = await run(w.railway, { 'github-token': gh.token, environment: 'production' }, ghEnv());
    assert.equal(r.exitCode, 1);
    const created = gh.deployments.at(-1)!;
    assert.equal(created.ref, newest(w.railway).meta.commitHash, 'the commit Railway deployed');
    assert.deepEqual(
      created.statuses.map((s) => s.state),
      ['in_progress', 'failure'],
    );
    assert.deepEqual(
      replaced.statuses.map((s) => s.state),
      ['success'],
    );
  });

  test('rollback prefers the deployment our GitHub records marked good', async () => {
    // Railway: older(REMOVED, good per GitHub) → bad(REMOVED, gate failed) → live(SUCCESS).
    const bad = w.railway.seed(SERVICE, { status: 'REMOVED' });
    const live = w.railway.seed(SERVICE, { status: 'SUCCESS' });
    record(w.older.id, ['success', 'inactive']);
    record(bad.id, ['success', 'failure']);
    record(live.id, ['success']);
    const r = await run(
      w.railway,
      { command: 'rollback', 'github-token': gh.token, environment: 'production' },
      ghEnv(),
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs['rolled-back-to'], w.older.id, 'skips the newer deployment GitHub says went bad');
    assert.match(r.log, /last one our GitHub Deployment records marked good/);
    assert.equal(r.outputs['previous-deployment-id'], '', 'nothing served before the restored one');
    const created = gh.deployments.at(-1)!;
    assert.equal(
      created.ref,
      w.older.meta.commitHash,
      "the commit serving now: the target's meta.commitHash",
    );
    assert.deepEqual(created.payload, {
      railwayDeploymentId: newest(w.railway).id,
      railwayServiceId: SERVICE,
    });
    assert.deepEqual(
      created.statuses.map((s) => s.state),
      ['in_progress', 'success'],
    );
    const rolledBackFrom = gh.deployments.find(
      (d) => (d.payload as { railwayDeploymentId?: string }).railwayDeploymentId === live.id,
    )!;
    assert.equal(
      rolledBackFrom.statuses.at(-1)?.state,
      'failure',
      'the version rolled back from is recorded as failed',
    );
    assert.match(rolledBackFrom.statuses.at(-1)?.description ?? '', new RegExp(`restores ${w.older.id}`));
  });

  test('a successful record someone else created cannot steer the rollback target', async () => {
    // Railway: older(REMOVED) → bad(REMOVED) → live(SUCCESS); a planted record calls `older` good.
    const bad = w.railway.seed(SERVICE, { status: 'REMOVED' });
    const live = w.railway.seed(SERVICE, { status: 'SUCCESS' });
    const planted = record(w.older.id, ['success'], 'mallory');
    record(live.id, ['success']);
    const r = await run(
      w.railway,
      { command: 'rollback', 'github-token': gh.token, environment: 'production' },
      ghEnv(),
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs['rolled-back-to'], bad.id, 'the newest older one, as without records');
    assert.match(
      r.log,
      new RegExp(
        `Ignoring GitHub Deployment ${planted.id} .* created by mallory, not by github-actions\\[bot\\]`,
      ),
    );
    assert.deepEqual(
      planted.statuses.map((s) => s.state),
      ['success'],
      'and it is left alone',
    );
  });

  test('trusted-deployment-creators lets another creator (an app token) steer it', async () => {
    w.railway.seed(SERVICE, { status: 'REMOVED' });
    const live = w.railway.seed(SERVICE, { status: 'SUCCESS' });
    record(w.older.id, ['success'], 'deploy-app[bot]');
    record(live.id, ['success'], 'deploy-app[bot]');
    const r = await run(
      w.railway,
      {
        command: 'rollback',
        'github-token': gh.token,
        environment: 'production',
        'trusted-deployment-creators': 'deploy-app[bot]',
      },
      ghEnv(),
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs['rolled-back-to'], w.older.id);
  });

  test('without GitHub records the default target is the newest older one', async () => {
    const bad = w.railway.seed(SERVICE, { status: 'REMOVED' });
    w.railway.seed(SERVICE, { status: 'SUCCESS' });
    const r = await run(
      w.railway,
      { command: 'rollback', 'github-token': gh.token, environment: 'production' },
      ghEnv(),
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs['rolled-back-to'], bad.id);
  });

  test('a broken GitHub token warns but does not fail the Railway deploy', async () => {
    const r = await run(
      w.railway,
      { 'github-token': 'ghs_wrong_token_123', environment: 'production' },
      ghEnv(),
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.ok(
      r.warnings.some((m) => /Could not create the GitHub Deployment.*401/.test(m)),
      r.warnings.join('\n'),
    );
    assert.deepEqual(leaks(r, 'ghs_wrong_token_123'), []);
  });

  test('a deployment record GitHub applied but answered 502 is adopted, not created twice', async () => {
    gh.afterApplying.push({ status: 502, json: { message: 'Server Error' } });
    const r = await run(w.railway, { 'github-token': gh.token, environment: 'production' }, ghEnv());
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(gh.deployments.length, 1, 'exactly one GitHub Deployment');
    assert.equal(gh.calls('POST', '/repos/acme/decisionlog/deployments').length, 1);
    assert.deepEqual(
      gh.deployments[0]!.statuses.map((s) => s.state),
      ['in_progress', 'success'],
    );
    assert.match(r.log, /Looking for it among the GitHub Deployments/);
    assert.match(r.log, /exists; using it/);
  });

  test('a 403 rate limit reads as a rate limit, not as a missing permission', async () => {
    gh.queue.push({
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      },
      json: { message: 'API rate limit exceeded for installation ID 1.' },
    });
    const r = await run(w.railway, { 'github-token': gh.token, environment: 'production' }, ghEnv());
    assert.equal(r.exitCode, 0, r.log);
    const warning = r.warnings.find((m) => /Could not read GitHub Deployments/.test(m)) ?? '';
    assert.match(warning, /rate limit is used up until/);
    assert.doesNotMatch(warning, /permission/);
  });

  test('no environment: no GitHub calls at all', async () => {
    const r = await run(w.railway, { 'github-token': gh.token }, ghEnv());
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(gh.requests.length, 0);
  });
});
