// railway-deploy's main() in process, against the Railway and GitHub stand-ins: cancellation at each
// point of the run (a SIGTERM emitted on this process, as the runner's cancel arrives), the timeout,
// losing track of a started deployment, every way a rollback is refused, GitHub records that fail —
// branches the bundle tests reach only through slow child processes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { main } from '../../../actions/railway-deploy/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { type MainResult, runMain } from '../../harness/io.js';
import type { RunOptions } from '../../harness/run-action.js';
import { type Deployment, GitHubStandIn } from '../../standins/github.js';
import { type RailwayCall, railwayReplies } from '../../standins/railway.js';
import type { Reply } from '../../standins/server.js';
import { inputs, newest, SERVICE, type World, world } from './fixture.js';

let w: World;
let gh: GitHubStandIn;
beforeEach(async () => {
  w = await world();
  gh = await new GitHubStandIn().start();
});
afterEach(async () => {
  await w?.railway.stop();
  await gh?.stop();
});

const deploy = (extra: RunOptions['inputs'] = {}, opts: Omit<RunOptions, 'inputs'> = {}) =>
  runMain('railway-deploy', main, { inputs: inputs(w.railway, extra), ...opts });
const withGitHub = () => ({ 'github-token': gh.token, environment: 'production' });
const github = () => ({ env: { GITHUB_API_URL: gh.url } });

/** The runner cancelling the job: SIGTERM to the action's process (emitted here, nothing is killed). */
const cancelRun = () => process.emit('SIGTERM', 'SIGTERM');

/** Cancels the run while the first operation selecting `field` is in flight, then lets it finish. */
function cancelDuring(field: string, answer?: Reply): void {
  let done = false;
  w.railway.intercept = async (call: RailwayCall) => {
    if (done || !call.fields.includes(field)) return undefined;
    done = true;
    cancelRun();
    return answer;
  };
}

/** A GitHub Deployment our action made earlier for a Railway deployment, with these states (oldest first). */
let nextRecord = 1;
function record(railwayDeploymentId: string, states: string[]): Deployment {
  const d: Deployment = {
    id: nextRecord++,
    ref: 'main',
    sha: 'main',
    environment: 'production',
    description: null,
    payload: { railwayDeploymentId },
    transient_environment: false,
    production_environment: true,
    creator: { login: 'github-actions[bot]', type: 'Bot' },
    created_at: new Date().toISOString(),
    statuses: states.map((state, i) => ({ id: 1000 * nextRecord + i, state })),
  };
  gh.deployments.push(d);
  return d;
}

function assertNoLeaks(r: MainResult): void {
  for (const secret of [w.railway.projectToken, gh.token]) {
    assert.deepEqual(r.io.leaks(secret), [], secret);
    assert.ok(!(r.failure ?? '').includes(secret));
  }
}

describe('railway-deploy main(): deploys', () => {
  test('success with GitHub records: outputs, url, summary; the replaced record marked inactive', async () => {
    const replaced = record(w.live.id, ['in_progress', 'success']);
    const r = await deploy(withGitHub(), github());
    assert.equal(r.error, undefined, r.failure);
    const d = newest(w.railway);
    assert.equal(r.io.outputs['deployment-id'], d.id);
    assert.equal(r.io.outputs['previous-deployment-id'], w.live.id);
    assert.equal(r.io.outputs.status, 'SUCCESS');
    assert.match(r.io.outputs.url ?? '', /^https:\/\//);
    assert.match(r.io.outputs['duration-seconds'] ?? '', /^\d+\.\d$/);
    assert.ok(r.io.infos.includes(`Rollback target if this one goes wrong: ${w.live.id}.`));
    assert.match(r.io.summaryText, new RegExp(d.id));
    assert.deepEqual(
      gh.deployments.at(-1)?.statuses.map((s) => s.state),
      ['in_progress', 'success'],
    );
    assert.deepEqual(
      replaced.statuses.map((s) => s.state),
      ['in_progress', 'success', 'inactive'],
    );
    assert.ok(r.io.masks.includes(w.railway.projectToken) && r.io.masks.includes(gh.token));
    assertNoLeaks(r);
  });

  test('a build that fails: the last log lines in a group, the GitHub record marked failure', async () => {
    w.railway.scenario = () => [
      { status: 'BUILDING', buildLogs: ['[build] npm ci', '[build] error TS2304: cannot find name'] },
      { status: 'FAILED' },
    ];
    const r = await deploy(withGitHub(), github());
    assert.ok(r.error instanceof UserError);
    const d = newest(w.railway);
    assert.match(r.failure ?? '', new RegExp(`^Railway deployment ${d.id} ended FAILED after `));
    assert.deepEqual(r.io.groups, [`Last log lines of deployment ${d.id}`]);
    assert.ok(r.io.infos.some((l) => l.includes('error TS2304')));
    assert.equal(r.io.outputs.status, 'FAILED');
    assert.deepEqual(
      gh.deployments.at(-1)?.statuses.map((s) => s.state),
      ['in_progress', 'failure'],
    );
  });

  test('timeout: the deployment still BUILDING when time runs out is left alone, and the sentence says so', async () => {
    w.railway.scenario = () => [{ status: 'BUILDING' }, { status: 'SUCCESS', delayMs: 60_000 }];
    const r = await deploy({ timeout: '1s' });
    const d = newest(w.railway);
    assert.match(
      r.failure ?? '',
      new RegExp(
        `^Railway deployment ${d.id} was still BUILDING when the 1\\.0s timeout ran out: Railway was left untouched`,
      ),
    );
    assert.equal(d.status, 'BUILDING');
    assert.ok(r.io.infos.includes('Railway returned no log lines for this deployment.'));
  });

  test('wait: false reads the status once and returns', async () => {
    w.railway.scenario = () => [{ status: 'QUEUED' }, { status: 'SUCCESS', delayMs: 60_000 }];
    const r = await deploy({ wait: false });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.status, 'QUEUED');
    assert.match(r.io.infos.join('\n'), /Not waiting \(wait: false\): deployment .* is QUEUED\./);
  });

  test('status reads failing after the start: we lost track; outputs, summary and an "error" GitHub record', async () => {
    let reads = 0;
    w.railway.stepOnRead = true;
    w.railway.intercept = (call) => {
      if (!call.fields.includes('deployment')) return undefined;
      reads++;
      return reads === 1 ? undefined : railwayReplies.badGateway();
    };
    const r = await deploy(withGitHub(), github());
    const d = newest(w.railway);
    assert.match(
      r.failure ?? '',
      new RegExp(`deployment ${d.id} had started and may still be going on Railway`),
    );
    assert.equal(r.io.outputs.status, 'QUEUED');
    assert.match(r.io.summaryText, /result unknown/);
    assert.deepEqual(
      gh.deployments.at(-1)?.statuses.map((s) => s.state),
      ['in_progress', 'error'],
    );
  });

  test('a GitHub token GitHub refuses: warnings only, the deploy itself succeeds', async () => {
    const r = await deploy({ 'github-token': 'ghs_refused_token_999', environment: 'production' }, github());
    assert.equal(r.error, undefined, r.failure);
    assert.ok(
      r.io.warnings.some((w) =>
        /^Could not read GitHub Deployments, the Railway deployment itself is not affected: .*401/.test(
          w.message,
        ),
      ),
    );
    assert.ok(r.io.warnings.some((w) => /^Could not create the GitHub Deployment/.test(w.message)));
    assert.deepEqual(r.io.leaks('ghs_refused_token_999'), []);
  });

  test('the service domain cannot be read: a warning, the deploy still succeeds without a url', async () => {
    w.railway.intercept = (call) =>
      call.fields.includes('domains') ? railwayReplies.badGateway() : undefined;
    const r = await deploy();
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.url, '');
    assert.ok(r.io.warnings.some((w) => /^Could not read the service domain/.test(w.message)));
  });
});

describe('railway-deploy main(): cancellation', () => {
  test('cancelled while listing deployments: nothing was changed, and the sentence says so', async () => {
    cancelDuring('deployments', railwayReplies.badGateway());
    const r = await deploy();
    assert.equal(
      r.failure,
      'The run was cancelled before Railway was asked to change anything: Railway was left untouched.',
    );
    assert.equal(w.railway.fieldsCalled().includes('serviceInstanceDeployV2'), false);
  });

  test('cancelled during serviceInstanceUpdate: the settings landed, no deployment started', async () => {
    cancelDuring('serviceInstanceUpdate');
    const r = await deploy({ 'num-replicas': 3 });
    assert.match(r.failure ?? '', /Railway accepted the new settings, but no deployment was started/);
    assert.equal(w.railway.services.get(SERVICE)?.settings.numReplicas, 3);
    assert.equal(w.railway.fieldsCalled().includes('serviceInstanceDeployV2'), false);
  });

  test('cancelled while waiting: polling stops, the deployment keeps going on Railway', async () => {
    w.railway.scenario = () => [{ status: 'BUILDING' }, { status: 'SUCCESS', delayMs: 60_000 }];
    w.railway.onStatus = (_d, status) => {
      if (status === 'BUILDING') setTimeout(cancelRun, 50);
    };
    const r = await deploy();
    assert.match(
      r.failure ?? '',
      /cancelled while waiting: Railway was left untouched and deployment .* keeps going there/,
    );
    assert.equal(newest(w.railway).status, 'BUILDING');
  });

  test('cancelled during deploymentRollback: the rollback landed, the search for its deployment stops', async () => {
    cancelDuring('deploymentRollback');
    const r = await deploy({ command: 'rollback' });
    assert.equal(r.io.outputs['rolled-back-to'], w.older.id);
    assert.match(
      r.failure ?? '',
      new RegExp(
        `^Railway accepted the rollback to ${w.older.id}, but the run was cancelled while looking for the new deployment`,
      ),
    );
  });

  test('no SIGTERM listener is left behind after main() returns', async () => {
    const before = process.listenerCount('SIGTERM');
    await deploy({ wait: false });
    assert.equal(process.listenerCount('SIGTERM'), before);
  });
});

describe('railway-deploy main(): rollbacks', () => {
  test('default target with GitHub records: the rolled-back-from record is marked failure', async () => {
    record(w.older.id, ['in_progress', 'success']);
    const bad = record(w.live.id, ['in_progress', 'success']);
    const r = await deploy({ command: 'rollback', ...withGitHub() }, github());
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs['rolled-back-to'], w.older.id);
    assert.ok(
      r.io.infos.includes(
        `Using deployment ${w.older.id}, the last one our GitHub Deployment records marked good.`,
      ),
    );
    assert.equal(bad.statuses.at(-1)?.state, 'failure');
    assert.match(bad.statuses.at(-1)?.description ?? '', /^Rolled back: Railway deployment .* restores /);
  });

  test('rollback-to an id Railway does not know', async () => {
    const r = await deploy({ command: 'rollback', 'rollback-to': 'dep-unknown-1' });
    assert.match(
      r.failure ?? '',
      /^Input "rollback-to" names deployment dep-unknown-1, which Railway does not know/,
    );
  });

  test('rollback-to a deployment of another service is refused before anything changes', async () => {
    w.railway.addService('svc-other');
    const other = w.railway.seed('svc-other', { status: 'SUCCESS' });
    const r = await deploy({ command: 'rollback', 'rollback-to': other.id });
    assert.ok(r.error instanceof UserError);
    assert.match(r.failure ?? '', /svc-other/);
    assert.equal(w.railway.fieldsCalled().includes('deploymentRollback'), false);
  });

  test('nothing older to roll back to', async () => {
    w.railway.addService('svc-new');
    w.railway.seed('svc-new', { status: 'SUCCESS' });
    const r = await deploy({ command: 'rollback', 'service-id': 'svc-new' });
    assert.match(r.failure ?? '', /^Found no deployment of service svc-new to roll back to/);
  });

  test('Railway answering deploymentRollback false: "declined", nothing waited for', async () => {
    w.railway.intercept = (call) =>
      call.fields.includes('deploymentRollback')
        ? { json: { data: { deploymentRollback: false } } }
        : undefined;
    const r = await deploy({ command: 'rollback' });
    assert.match(
      r.failure ?? '',
      new RegExp(
        `^Railway declined the rollback to deployment ${w.older.id} \\(deploymentRollback returned false\\)`,
      ),
    );
  });
});

describe('railway-deploy main(): input errors', () => {
  test('a short commit SHA fails before any request, the token already masked', async () => {
    const r = await deploy({ 'commit-sha': 'abc1234' });
    assert.match(r.failure ?? '', /full 40-character commit SHA/);
    assert.equal(w.railway.requests.length, 0);
    assert.ok(r.io.masks.includes(w.railway.projectToken));
  });
});
