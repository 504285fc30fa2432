// Pure decisions of railway-deploy: rollback target, status classes, poll schedule, config, errors.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { readConfig } from '../../../actions/railway-deploy/src/config.js';
import {
  byTrustedCreator,
  lastGood,
  railwayIdOf,
  verdictOf,
} from '../../../actions/railway-deploy/src/github-deployments.js';
import { commitOf, newDeployments } from '../../../actions/railway-deploy/src/operations.js';
import { nextPollDelayMs, readRateLimit } from '../../../actions/railway-deploy/src/poll.js';
import { authHeaders, explainGraphQLErrors } from '../../../actions/railway-deploy/src/railway.js';
import { failureHint, flowText, summaryMarkdown } from '../../../actions/railway-deploy/src/report.js';
import {
  currentDeployment,
  explainUnusableTarget,
  isRollbackCandidate,
  pickRollbackTarget,
  rollbackTargetAfterRollback,
} from '../../../actions/railway-deploy/src/rollback-target.js';
import {
  classifyStatus,
  holdReason,
  isKnownStatus,
  type RailwayDeployment,
} from '../../../actions/railway-deploy/src/status.js';
import { Inputs } from '../../../lib/inputs.js';

let clock = Date.parse('2026-09-01T10:00:00Z');
function dep(id: string, status: string, extra: Partial<RailwayDeployment> = {}): RailwayDeployment {
  clock += 60_000;
  return {
    id,
    status,
    createdAt: new Date(clock).toISOString(),
    canRollback: true,
    meta: null,
    staticUrl: null,
    url: null,
    serviceId: 'svc',
    environmentId: 'env',
    ...extra,
  };
}

describe('rollbackTargetAfterRollback (previous-deployment-id after a rollback)', () => {
  test('the deployment that served before the restored one, not the one rolled back from', () => {
    const list = [dep('a', 'REMOVED'), dep('target', 'REMOVED'), dep('bad', 'SUCCESS')];
    const target = list[1]!;
    assert.equal(rollbackTargetAfterRollback(list, target, 'bad')?.id, 'a');
  });

  test('the rolled-back-from one is excluded even when it is older than the target', () => {
    // The target is a newer REMOVED deployment; the one rolled back from must still never be chosen.
    const list = [dep('a', 'REMOVED'), dep('bad', 'CRASHED'), dep('target', 'REMOVED')];
    assert.equal(rollbackTargetAfterRollback(list, list[2]!, 'bad')?.id, 'a');
    const onlyBad = [dep('bad2', 'SUCCESS'), dep('target2', 'REMOVED')];
    assert.equal(rollbackTargetAfterRollback(onlyBad, onlyBad[1]!, 'bad2'), undefined);
  });

  test('same rules: skips FAILED, expired images and newer deployments; prefers the GitHub-good one', () => {
    const list = [
      dep('marked', 'REMOVED'),
      dep('plain', 'REMOVED'),
      dep('expired', 'REMOVED', { canRollback: false }),
      dep('failed', 'FAILED'),
      dep('target', 'REMOVED'),
      dep('newer', 'REMOVED'),
      dep('bad', 'SUCCESS'),
    ];
    const target = list[4]!;
    assert.equal(rollbackTargetAfterRollback(list, target, 'bad')?.id, 'plain');
    assert.equal(rollbackTargetAfterRollback(list, target, 'bad', 'marked')?.id, 'marked');
    assert.equal(rollbackTargetAfterRollback(list, target, 'bad', 'newer')?.id, 'plain');
  });

  test('empty when nothing served before the target', () => {
    const list = [dep('f', 'FAILED'), dep('target', 'REMOVED'), dep('bad', 'SUCCESS')];
    assert.equal(rollbackTargetAfterRollback(list, list[1]!, 'bad'), undefined);
  });

  test('a target older than the listed deployments: nothing newer is taken for "before" it', () => {
    const target = dep('ancient', 'REMOVED');
    const list = [dep('x', 'REMOVED'), dep('bad', 'SUCCESS')];
    assert.equal(rollbackTargetAfterRollback(list, target, 'bad'), undefined);
  });
});

describe('pickRollbackTarget', () => {
  test('picks the newest older REMOVED deployment (the one that served before the current)', () => {
    const list = [dep('a', 'REMOVED'), dep('b', 'REMOVED'), dep('cur', 'SUCCESS')];
    assert.equal(pickRollbackTarget(list, 'cur')?.id, 'b');
  });

  test('ignores input order: sorts by createdAt', () => {
    const list = [dep('a', 'REMOVED'), dep('b', 'REMOVED'), dep('cur', 'SUCCESS')];
    assert.equal(pickRollbackTarget([...list].reverse(), 'cur')?.id, 'b');
    assert.equal(pickRollbackTarget([list[2]!, list[0]!, list[1]!], 'cur')?.id, 'b');
  });

  for (const bad of ['FAILED', 'CRASHED', 'SKIPPED', 'BUILDING', 'QUEUED', 'REMOVING', 'DEPLOYING']) {
    test(`never picks a ${bad} deployment`, () => {
      const list = [dep('good', 'REMOVED'), dep('bad', bad), dep('cur', 'SUCCESS')];
      assert.equal(pickRollbackTarget(list, 'cur')?.id, 'good');
    });
  }

  test('skips deployments whose image expired (canRollback false)', () => {
    const list = [
      dep('old', 'REMOVED'),
      dep('expired', 'REMOVED', { canRollback: false }),
      dep('cur', 'SUCCESS'),
    ];
    assert.equal(pickRollbackTarget(list, 'cur')?.id, 'old');
  });

  test('never picks the current deployment or a newer one', () => {
    const list = [dep('old', 'REMOVED'), dep('cur', 'CRASHED'), dep('newer', 'SUCCESS')];
    assert.equal(pickRollbackTarget(list, 'cur')?.id, 'old');
  });

  test('a still-SUCCESS older deployment counts (not yet replaced)', () => {
    const list = [dep('live', 'SUCCESS'), dep('cur', 'BUILDING')];
    assert.equal(pickRollbackTarget(list, 'cur')?.id, 'live');
  });

  test('current id not listed (not created yet): every listed deployment is older', () => {
    const list = [dep('a', 'REMOVED'), dep('live', 'SUCCESS')];
    assert.equal(pickRollbackTarget(list, 'brand-new')?.id, 'live');
    assert.equal(pickRollbackTarget(list, undefined)?.id, 'live');
  });

  test('prefers the deployment our GitHub record marked good when it qualifies', () => {
    const list = [dep('marked', 'REMOVED'), dep('newer', 'REMOVED'), dep('cur', 'SUCCESS')];
    assert.equal(pickRollbackTarget(list, 'cur', 'marked')?.id, 'marked');
  });

  test('ignores a GitHub "good" id that does not qualify (failed, expired, newer, unknown)', () => {
    const list = [
      dep('ok', 'REMOVED'),
      dep('failed', 'FAILED'),
      dep('expired', 'REMOVED', { canRollback: false }),
      dep('cur', 'SUCCESS'),
      dep('after', 'REMOVED'),
    ];
    for (const good of ['failed', 'expired', 'after', 'cur', 'nope']) {
      assert.equal(pickRollbackTarget(list, 'cur', good)?.id, 'ok', good);
    }
  });

  test('returns undefined when nothing qualifies', () => {
    assert.equal(pickRollbackTarget([], 'cur'), undefined);
    assert.equal(pickRollbackTarget([dep('cur', 'SUCCESS')], 'cur'), undefined);
    assert.equal(pickRollbackTarget([dep('f', 'FAILED'), dep('cur', 'SUCCESS')], 'cur'), undefined);
  });

  test('isRollbackCandidate: SUCCESS or REMOVED with canRollback only', () => {
    assert.equal(isRollbackCandidate(dep('x', 'SUCCESS')), true);
    assert.equal(isRollbackCandidate(dep('x', 'REMOVED')), true);
    assert.equal(isRollbackCandidate(dep('x', 'REMOVED', { canRollback: false })), false);
    assert.equal(isRollbackCandidate(dep('x', 'SLEEPING')), false);
  });
});

describe('currentDeployment', () => {
  test('the newest live one (SUCCESS, SLEEPING or CRASHED), skipping newer failed builds', () => {
    const list = [dep('a', 'REMOVED'), dep('live', 'SUCCESS'), dep('f', 'FAILED')];
    assert.equal(currentDeployment(list)?.id, 'live');
    assert.equal(currentDeployment([dep('r', 'REMOVED'), dep('c', 'CRASHED')])?.id, 'c');
  });
  test('falls back to the newest of all, or undefined', () => {
    assert.equal(currentDeployment([dep('r', 'REMOVED'), dep('f', 'FAILED')])?.id, 'f');
    assert.equal(currentDeployment([]), undefined);
  });
});

describe('explainUnusableTarget', () => {
  test('accepts a REMOVED/SUCCESS deployment of this service with canRollback', () => {
    assert.equal(explainUnusableTarget(dep('x', 'REMOVED'), 'svc', 'env'), undefined);
    assert.equal(explainUnusableTarget(dep('x', 'SUCCESS'), 'svc', 'env'), undefined);
  });
  test('refuses another service, another environment, a failed one and an expired image', () => {
    assert.match(
      explainUnusableTarget(dep('x', 'REMOVED', { serviceId: 'other' }), 'svc', 'env') ?? '',
      /belongs to service other/,
    );
    assert.match(
      explainUnusableTarget(dep('x', 'REMOVED', { environmentId: 'staging' }), 'svc', 'env') ?? '',
      /environment staging/,
    );
    assert.match(explainUnusableTarget(dep('x', 'FAILED'), 'svc', 'env') ?? '', /FAILED, so it never served/);
    assert.match(
      explainUnusableTarget(dep('x', 'REMOVED', { canRollback: false }), 'svc', 'env') ?? '',
      /retention/,
    );
  });
});

describe('classifyStatus', () => {
  const table: Array<[string, string]> = [
    ['SUCCESS', 'succeeded'],
    ['SLEEPING', 'succeeded'],
    ['FAILED', 'failed'],
    ['CRASHED', 'failed'],
    ['REMOVED', 'failed'],
    ['REMOVING', 'failed'],
    ['SKIPPED', 'skipped'],
    ['QUEUED', 'in-progress'],
    ['WAITING', 'in-progress'],
    ['INITIALIZING', 'in-progress'],
    ['BUILDING', 'in-progress'],
    ['DEPLOYING', 'in-progress'],
    ['NEEDS_APPROVAL', 'in-progress'],
    ['SOMETHING_NEW', 'in-progress'],
  ];
  for (const [status, expected] of table) {
    test(`${status} is ${expected}`, () => assert.equal(classifyStatus(status), expected));
  }
  test('covers every DeploymentStatus in Railway schema, and only those are known', async () => {
    const { railwaySchema } = await import('../../standins/railway.js');
    const type = railwaySchema().getType('DeploymentStatus') as unknown as {
      getValues(): Array<{ name: string }>;
    };
    for (const { name } of type.getValues()) assert.ok(isKnownStatus(name), name);
    assert.equal(isKnownStatus('SOMETHING_NEW'), false);
  });
});

describe('statuses Railway holds', () => {
  test('WAITING names Wait for CI and the skip; NEEDS_APPROVAL names the approval; others nothing', () => {
    assert.match(holdReason('WAITING'), /GitHub workflows of this commit succeed.*Wait for CI.*skips it/);
    assert.match(holdReason('NEEDS_APPROVAL'), /approves the deployment in the Railway dashboard/);
    assert.equal(holdReason('BUILDING'), '');
  });
});

describe('finding the deployment a mutation created', () => {
  const sha = 'c'.repeat(40);
  test('the newest one not listed before and not older than the newest before', () => {
    const old = dep('old', 'REMOVED');
    const live = dep('live', 'SUCCESS');
    const ours = dep('ours', 'QUEUED', { meta: { commitHash: sha } });
    assert.deepEqual(
      newDeployments([live, old], [ours, live, old], sha).map((d) => d.id),
      ['ours'],
    );
    assert.deepEqual(newDeployments([live, old], [live, old], sha), []);
  });
  test('never one of another commit; one without a commit may be ours', () => {
    const live = dep('live', 'SUCCESS');
    const other = dep('other', 'QUEUED', { meta: { commitHash: 'd'.repeat(40) } });
    const bare = dep('bare', 'QUEUED', { meta: {} });
    assert.deepEqual(
      newDeployments([live], [bare, other, live], sha).map((d) => d.id),
      ['bare'],
    );
    assert.deepEqual(
      newDeployments([live], [bare, other, live]).map((d) => d.id),
      ['bare', 'other'],
    );
  });
  test('an older deployment missing from the first page is not taken for a new one', () => {
    const ancient = dep('ancient', 'REMOVED');
    const live = dep('live', 'SUCCESS');
    assert.deepEqual(newDeployments([live], [live, ancient]), []);
  });
  test('commitOf reads meta.commitHash, full SHAs only', () => {
    assert.equal(commitOf(dep('a', 'SUCCESS', { meta: { commitHash: sha.toUpperCase() } })), sha);
    assert.equal(commitOf(dep('b', 'SUCCESS', { meta: { commitHash: 'abc' } })), undefined);
    assert.equal(commitOf(dep('c', 'SUCCESS', { meta: { image: 'x' } })), undefined);
  });
});

describe('nextPollDelayMs', () => {
  test('2s → 3s → 4.5s → 6.75s → 10s and stays at 10s', () => {
    const schedule = [1, 2, 3, 4, 5, 6, 20].map((n) => nextPollDelayMs(n, 2000));
    assert.deepEqual(schedule, [2000, 3000, 4500, 6750, 10000, 10000, 10000]);
  });
  test('waits for the rate-limit reset when no requests are left', () => {
    assert.equal(nextPollDelayMs(1, 2000, { remaining: 0, resetInMs: 30_000 }), 30_000);
  });
  test('doubles the wait when few requests are left, up to 10 × base', () => {
    assert.equal(nextPollDelayMs(1, 2000, { remaining: 5 }), 4000);
    assert.equal(nextPollDelayMs(9, 2000, { remaining: 5 }), 20_000);
    assert.equal(nextPollDelayMs(1, 2000, { remaining: 500 }), 2000);
  });
  test('never waits past the time left before the timeout', () => {
    assert.equal(nextPollDelayMs(5, 2000, {}, 700), 700);
    assert.equal(nextPollDelayMs(1, 2000, { remaining: 0, resetInMs: 60_000 }, 5000), 5000);
    assert.equal(nextPollDelayMs(1, 2000, {}, -5), 0);
  });
  test('readRateLimit understands remaining and an epoch or relative reset', () => {
    const now = 1_800_000_000_000;
    assert.deepEqual(
      readRateLimit({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': String(now / 1000 + 12) }, now),
      {
        remaining: 3,
        resetInMs: 12_000,
      },
    );
    assert.deepEqual(readRateLimit({ 'x-ratelimit-reset': '5' }, now), {
      remaining: undefined,
      resetInMs: 5000,
    });
    assert.deepEqual(readRateLimit({}, now), { remaining: undefined, resetInMs: undefined });
  });
});

describe('Railway errors and auth', () => {
  test('project tokens use Project-Access-Token, account tokens Bearer', () => {
    assert.deepEqual(authHeaders('t0k', 'project'), { 'project-access-token': 't0k' });
    assert.deepEqual(authHeaders('t0k', 'account'), { authorization: 'Bearer t0k' });
  });
  test('Not Authorized gets a token-type hint for each type', () => {
    assert.match(
      explainGraphQLErrors(['Not Authorized'], 'starting', 'project'),
      /Project-Access-Token.*token-type "account"/,
    );
    assert.match(
      explainGraphQLErrors(['Not Authorized'], 'starting', 'account'),
      /Bearer.*token-type "project"/,
    );
  });
  test('"Commit not found" and "Project Token not found" get their own sentence, not the IDs hint', () => {
    const commit = explainGraphQLErrors(['Commit not found'], 'starting the deployment', 'project');
    assert.match(commit, /could not find the commit in the service's connected GitHub repository/);
    const token = explainGraphQLErrors(['Project Token not found'], 'listing', 'project');
    assert.match(token, /does not know this project token.*Settings → Tokens/);
    for (const s of [commit, token]) {
      assert.doesNotMatch(s, /check project-id/);
      assert.equal(s.match(/\.(\s|$)/g)?.length, 1, s);
    }
  });
  test('not found points at the IDs; anything else is quoted; always one sentence', () => {
    const notFound = explainGraphQLErrors(['Service not found'], 'starting the deployment', 'project');
    assert.match(notFound, /check project-id, environment-id and service-id/);
    const other = explainGraphQLErrors(['Something odd.', 'And more'], 'x', 'project');
    assert.equal(other, 'Railway rejected the request while x: Something odd; And more.');
    for (const s of [notFound, other]) assert.equal(s.match(/\.(\s|$)/g)?.length, 1, s);
  });
});

describe('GitHub Deployment records', () => {
  test('verdict skips inactive: a replaced deployment stays good underneath', () => {
    assert.equal(
      verdictOf([{ state: 'inactive' }, { state: 'success' }, { state: 'in_progress' }]),
      'success',
    );
    assert.equal(verdictOf([{ state: 'failure' }, { state: 'success' }]), 'failure');
    assert.equal(verdictOf([]), undefined);
  });
  test('railwayIdOf reads object or JSON-string payloads', () => {
    assert.equal(railwayIdOf({ railwayDeploymentId: 'd1' }), 'd1');
    assert.equal(railwayIdOf('{"railwayDeploymentId":"d2"}'), 'd2');
    assert.equal(railwayIdOf('nope'), undefined);
    assert.equal(railwayIdOf({}), undefined);
  });
  test('lastGood: newest success that is not the excluded one', () => {
    const creator = 'github-actions[bot]';
    const records = [
      { id: 3, railwayDeploymentId: 'r3', verdict: 'failure', creator },
      { id: 2, railwayDeploymentId: 'r2', verdict: 'success', creator },
      { id: 1, railwayDeploymentId: 'r1', verdict: 'success', creator },
    ];
    assert.equal(lastGood(records)?.id, 2);
    assert.equal(lastGood(records, 'r2')?.id, 1);
    assert.equal(lastGood([records[0]!]), undefined);
  });
  test('only records our own token created are trusted', () => {
    const records = [
      { id: 3, railwayDeploymentId: 'r3', verdict: 'success', creator: 'mallory' },
      { id: 2, railwayDeploymentId: 'r2', verdict: 'success', creator: 'GitHub-Actions[bot]' },
      { id: 1, railwayDeploymentId: 'r1', verdict: 'success', creator: undefined },
    ];
    const split = byTrustedCreator(records, ['github-actions[bot]']);
    assert.deepEqual(
      split.trusted.map((r) => r.id),
      [2],
    );
    assert.deepEqual(
      split.ignored.map((r) => r.id),
      [3, 1],
    );
    assert.deepEqual(
      byTrustedCreator(records, ['mallory', 'github-actions[bot]']).trusted.map((r) => r.id),
      [3, 2],
    );
  });
});

describe('report', () => {
  test('flow text and failure hints', () => {
    assert.equal(
      flowText([
        { status: 'QUEUED', elapsedMs: 10 },
        { status: 'BUILDING', elapsedMs: 3100 },
      ]),
      'QUEUED → BUILDING (3.1s)',
    );
    assert.match(failureHint('CRASHED'), /crashed/);
    assert.match(failureHint('FAILED'), /build/);
  });
  test('summary carries logs on failure when given them', () => {
    const md = summaryMarkdown({
      command: 'deploy',
      serviceId: 's',
      deploymentId: 'd',
      status: 'FAILED',
      outcome: 'failed',
      flow: [{ status: 'FAILED', elapsedMs: 1 }],
      durationMs: 1200,
      link: 'https://railway.com/x',
      logs: { build: ['npm ERR! missing script: build'], deploy: [], problems: [] },
      problem: 'It failed.',
    });
    assert.match(md, /❌ failed/);
    assert.match(md, /npm ERR! missing script: build/);
  });
});

describe('readConfig', () => {
  const base = { token: 'tok-123456', 'project-id': 'p', 'environment-id': 'e', 'service-id': 's' };
  const read = (extra: Record<string, string>) =>
    readConfig(new Inputs((n) => ({ ...base, ...extra })[n] ?? ''));

  test('defaults', () => {
    const c = read({});
    assert.equal(c.tokenType, 'project');
    assert.equal(c.apiUrl, 'https://backboard.railway.com/graphql/v2');
    assert.equal(c.command, 'deploy');
    assert.equal(c.wait, true);
    assert.equal(c.timeoutMs, 15 * 60_000);
    assert.equal(c.pollIntervalMs, 2000);
    assert.equal(c.github, undefined);
    assert.equal(c.logsInSummary, false);
    assert.deepEqual(c.trustedCreators, ['github-actions[bot]']);
    assert.deepEqual(read({ 'trusted-deployment-creators': 'a, my-app[bot]' }).trustedCreators, [
      'a',
      'my-app[bot]',
    ]);
  });
  test('settings, normalised restart policy and GitHub record', () => {
    const c = read({
      image: 'ghcr.io/a/b:1',
      'healthcheck-path': '/health',
      'healthcheck-timeout': '2m',
      'num-replicas': '3',
      'restart-policy': 'on-failure',
      'github-token': 'ghs_x',
      environment: 'production',
    });
    assert.deepEqual(c.settings, {
      image: 'ghcr.io/a/b:1',
      healthcheckPath: '/health',
      healthcheckTimeoutSeconds: 120,
      numReplicas: 3,
      restartPolicy: 'ON_FAILURE',
    });
    assert.deepEqual(c.github, { token: 'ghs_x', environment: 'production' });
  });
  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['no token', { token: '' }, /"token" is required/],
    ['no service', { 'service-id': '' }, /"service-id" is required/],
    ['commit and image', { 'commit-sha': 'a'.repeat(40), image: 'x:1' }, /both set/],
    ['short sha', { 'commit-sha': 'abc123' }, /40-character/],
    ['bad token type', { 'token-type': 'bearer' }, /token-type/],
    ['bad command', { command: 'redeploy' }, /command/],
    ['poll too fast', { 'poll-interval': '10ms' }, /at least 100ms/],
    ['bad timeout', { timeout: 'soon' }, /not a duration/],
    ['bad restart policy', { 'restart-policy': 'sometimes' }, /ALWAYS, NEVER, ON_FAILURE/],
    ['relative health path', { 'healthcheck-path': 'health' }, /start with "\/"/],
    ['zero replicas', { 'num-replicas': '0' }, /at least 1/],
    [
      'image on rollback',
      { command: 'rollback', image: 'x:1' },
      /"image" does not apply to command: rollback/,
    ],
    ['rollback-to on deploy', { 'rollback-to': 'd1' }, /only applies to command: rollback/],
    ['environment without token', { environment: 'production' }, /github-token/],
    ['api-url not http', { 'api-url': 'ftp://x' }, /http/],
  ];
  for (const [name, extra, message] of bad) {
    test(`rejects ${name}`, () => assert.throws(() => read(extra), message));
  }
});
