// railway-deploy when something goes wrong after Railway was asked to change something: the API
// fails after the start, the run is cancelled during a mutation, a status read hangs past the timeout.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { GitHubStandIn } from '../../standins/github.js';
import { railwayReplies } from '../../standins/railway.js';
import { newest, run, SERVICE, start, type World, world } from './fixture.js';

describe('railway-deploy after the start', () => {
  let w: World;
  let gh: GitHubStandIn;
  const withGitHub = { 'github-token': 'placeholder', environment: 'production' };
  beforeEach(async () => {
    w = await world();
    gh = await new GitHubStandIn().start();
    withGitHub['github-token'] = gh.token;
  });
  afterEach(async () => {
    await w?.railway.stop(); // w is unset when world() failed (a missing fixture): its one sentence is the error
    await gh.stop();
  });

  /** Holds the first operation selecting `field` until released; resolves `arrived` when it comes in. */
  function hold(field: string) {
    let release!: () => void;
    let arrived!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const inFlight = new Promise<void>((r) => (arrived = r));
    let held = false;
    w.railway.intercept = async (call) => {
      if (!held && call.fields.includes(field)) {
        held = true;
        arrived();
        await released;
      }
      return undefined;
    };
    return { inFlight, release };
  }

  test('status reads answer 502 until the retries run out: outputs, summary and GitHub error are still written', async () => {
    let reads = 0;
    w.railway.stepOnRead = true;
    w.railway.intercept = (call) => {
      if (!call.fields.includes('deployment')) return undefined;
      reads++;
      // The first read works (QUEUED), every later one is a 502.
      return reads === 1 ? undefined : railwayReplies.badGateway();
    };
    const r = await run(w.railway, withGitHub, { env: { GITHUB_API_URL: gh.url } });
    assert.equal(r.exitCode, 1, r.log);
    const d = newest(w.railway);
    assert.notEqual(d.id, w.live.id, 'the deployment was started');
    assert.equal(r.outputs['deployment-id'], d.id);
    assert.equal(r.outputs.status, 'QUEUED', 'the last status seen');
    assert.match(r.outputs['duration-seconds'] ?? '', /^\d+\.\d$/);
    assert.equal(r.outputs['previous-deployment-id'], w.live.id);
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0] ?? '',
      new RegExp(
        `HTTP 502 without data while checking deployment ${d.id}.*; deployment ${d.id} had started and may still be going on Railway`,
      ),
    );
    assert.match(r.summary, /result unknown/);
    assert.match(r.summary, new RegExp(d.id));
    assert.match(r.summary, /HTTP 502 without data/);
    const record = gh.deployments.at(-1)!;
    assert.deepEqual((record.payload as { railwayDeploymentId?: string }).railwayDeploymentId, d.id);
    assert.deepEqual(
      record.statuses.map((s) => s.state),
      ['in_progress', 'error'],
    );
    assert.match(record.statuses.at(-1)?.description ?? '', /^Result unknown: Railway API answered HTTP 502/);
    assert.ok(reads >= 5, `1 good read, then 1 + 3 retries: ${reads}`);
  });

  test('wait: false and the one status read fails: outputs and summary are still written', async () => {
    w.railway.intercept = (call) =>
      call.fields.includes('deployment')
        ? { status: 200, json: { errors: [{ message: 'Internal error' }] } }
        : undefined;
    const r = await run(w.railway, { wait: false });
    assert.equal(r.exitCode, 1, r.log);
    assert.equal(r.outputs['deployment-id'], newest(w.railway).id);
    assert.equal(r.outputs.status, 'unknown');
    assert.match(
      r.errors[0] ?? '',
      /Railway rejected the request while reading the deployment: Internal error; deployment .* had started/,
    );
    assert.match(r.summary, /result unknown/);
  });

  test('SIGTERM during serviceInstanceDeployV2: the mutation finishes and the step says the deploy was sent', async () => {
    const { inFlight, release } = hold('serviceInstanceDeployV2');
    const { child, result } = start(
      w.railway,
      { ...withGitHub, 'commit-sha': 'c'.repeat(40) },
      { env: { GITHUB_API_URL: gh.url } },
    );
    await inFlight;
    child.kill('SIGTERM');
    await delay(500);
    release();
    const r = await result;
    assert.equal(r.exitCode, 1, r.log);
    const d = newest(w.railway);
    assert.notEqual(d.id, w.live.id, 'Railway got the deploy');
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0] ?? '',
      new RegExp(`the deploy request was sent; Railway may be building deployment ${d.id}`),
    );
    assert.doesNotMatch(r.errors[0] ?? '', /check the URL|left untouched|Could not reach/);
    assert.equal(r.outputs['deployment-id'], d.id);
    assert.equal(r.outputs.status, 'unknown');
    assert.equal(r.outputs['previous-deployment-id'], w.live.id);
    assert.match(r.summary, /cancelled/);
    const after = w.railway
      .fieldsCalled()
      .slice(w.railway.fieldsCalled().indexOf('serviceInstanceDeployV2') + 1);
    assert.deepEqual(after, [], 'no polling after the cancel');
  });

  test('SIGTERM during serviceInstanceUpdate: the settings land, no deployment starts, and the step says so', async () => {
    const { inFlight, release } = hold('serviceInstanceUpdate');
    const { child, result } = start(w.railway, { 'num-replicas': 2 });
    await inFlight;
    child.kill('SIGTERM');
    await delay(500);
    release();
    const r = await result;
    assert.equal(r.exitCode, 1, r.log);
    assert.match(r.errors[0] ?? '', /Railway accepted the new settings, but no deployment was started/);
    assert.doesNotMatch(r.errors[0] ?? '', /check the URL|left untouched/);
    assert.equal(w.railway.services.get(SERVICE)?.settings.numReplicas, 2);
    assert.equal(w.railway.fieldsCalled().includes('serviceInstanceDeployV2'), false);
  });

  test('SIGTERM during deploymentRollback: the rollback lands and the step does not claim Railway was untouched', async () => {
    const { inFlight, release } = hold('deploymentRollback');
    const { child, result } = start(w.railway, { command: 'rollback' });
    await inFlight;
    child.kill('SIGTERM');
    await delay(500);
    release();
    const r = await result;
    assert.equal(r.exitCode, 1, r.log);
    assert.equal(newest(w.railway).rollbackOf, w.older.id, 'Railway got the rollback');
    assert.equal(r.outputs['rolled-back-to'], w.older.id);
    assert.match(r.errors[0] ?? '', new RegExp(`Railway accepted the rollback to ${w.older.id}`));
    assert.doesNotMatch(r.errors[0] ?? '', /check the URL|left untouched|Could not reach/);
  });

  test('a status read that never answers cannot stretch the timeout', async () => {
    let reads = 0;
    w.railway.stepOnRead = true;
    w.railway.intercept = (call) => {
      if (!call.fields.includes('deployment')) return undefined;
      reads++;
      // The first read answers QUEUED; every later one hangs (30 s per attempt without the per-read limit).
      return reads === 1 ? undefined : new Promise<never>(() => {});
    };
    // The harness kills the step after 20 s: only a read bounded by the 2 s timeout ends it before.
    const r = await run(w.railway, { timeout: '2s' }, { timeoutMs: 20_000 });
    assert.equal(r.signal, null, 'ended on its own, not killed by the harness');
    assert.equal(r.exitCode, 1, r.log);
    assert.equal(r.outputs.status, 'QUEUED', r.log);
    assert.match(r.errors[0] ?? '', /was still QUEUED when the 2\.0s timeout ran out/);
    assert.match(r.summary, /timed out/);
  });
});
