import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { type ActionResult, leaks, runAction } from '../../harness/run-action.js';
import { SentryStandIn } from '../../standins/sentry.js';

const sentry = new SentryStandIn();
beforeAll(() => sentry.start());
afterAll(() => sentry.stop());
beforeEach(() => {
  sentry.queue.length = 0;
  sentry.requests.length = 0;
  sentry.releases.clear();
  sentry.scopes.clear();
  for (const s of ['project:releases', 'org:read']) sentry.scopes.add(s);
});

const SHA = '0123456789abcdef0123456789abcdef01234567';
const run = (inputs: Record<string, string> = {}, target = sentry) =>
  runAction('sentry-release', {
    inputs: {
      'auth-token': target.token,
      org: 'acme',
      projects: 'decisionlog-api decisionlog-web',
      url: target.baseUrl,
      ...inputs,
    },
  });

function assertNoLeak(result: ActionResult, token = sentry.token): void {
  assert.deepEqual(leaks(result, token), []);
  assert.ok(result.masks.includes(token), 'token registered as a mask');
}

describe('sentry-release', () => {
  test('creates a release with commits, finalized, and outputs its link', async () => {
    const result = await run({ repository: 'acme/decisionlog', 'previous-commit': 'f'.repeat(40) });
    assert.equal(result.exitCode, 0, result.log);
    const release = sentry.releases.get(SHA);
    assert.ok(release, 'release defaults to the commit SHA');
    assert.deepEqual([...release.projects].sort(), ['decisionlog-api', 'decisionlog-web']);
    assert.deepEqual(release.refs, [
      { repository: 'acme/decisionlog', commit: SHA, previousCommit: 'f'.repeat(40) },
    ]);
    assert.ok(release.dateReleased, 'finalized');
    assert.equal(result.outputs.release, SHA);
    assert.equal(result.outputs['release-url'], `${sentry.baseUrl}/organizations/acme/releases/${SHA}/`);
    assert.equal(result.outputs['deploy-id'], '');
    assert.deepEqual(
      sentry.requests.map((r) => `${r.method} ${r.path}`),
      [`GET /api/0/organizations/acme/releases/${SHA}/`, 'POST /api/0/organizations/acme/releases/'],
      'a new finalized release: one look, one create',
    );
    assert.match(result.log, /Release 0123456789abcdef0123456789abcdef01234567 finalized\./);
    assert.doesNotMatch(result.log, /already/);
    assert.match(result.summary, /Sentry release/);
    assertNoLeak(result);
  });

  test('create → already exists → update: a second run finalizes the open release', async () => {
    const first = await run({ release: '1.4.2', finalize: 'false' });
    assert.equal(first.exitCode, 0, first.log);
    assert.equal(sentry.releases.get('1.4.2')?.dateReleased, null);

    const second = await run({ release: '1.4.2' });
    assert.equal(second.exitCode, 0, second.log);
    assert.match(second.log, /Release 1\.4\.2 already exists in Sentry; updating it/);
    const put = sentry.calls('PUT', '/api/0/organizations/acme/releases/1.4.2/');
    assert.equal(put.length, 1);
    assert.ok((put[0]!.json as { dateReleased?: string }).dateReleased);
    assert.ok(sentry.releases.get('1.4.2')?.dateReleased, 'finalized by the update');
    assert.equal(sentry.releases.size, 1);
    assertNoLeak(second);
  });

  test('a rollback to an already released version keeps its date and records a new deploy', async () => {
    await run({ release: '1.4.1', environment: 'production' });
    const releasedAt = sentry.releases.get('1.4.1')?.dateReleased;
    sentry.requests.length = 0;
    const rollback = await run({ release: '1.4.1', environment: 'production', 'deploy-name': 'rollback' });
    assert.equal(rollback.exitCode, 0, rollback.log);
    assert.equal(sentry.calls('PUT', /releases/).length, 0);
    assert.equal(sentry.releases.get('1.4.1')?.dateReleased, releasedAt);
    assert.equal(sentry.releases.get('1.4.1')?.deploys.length, 2);
    assert.match(rollback.log, /already released on/);
  });

  test('records a deploy with every field', async () => {
    const result = await run({
      release: '2.0.0',
      environment: 'production',
      'deploy-name': 'Deploy #7',
      'deploy-url': 'https://decisionlog.up.railway.app',
      'started-at': '2025-03-01T12:00:00Z',
    });
    assert.equal(result.exitCode, 0, result.log);
    const deploy = sentry.releases.get('2.0.0')?.deploys[0];
    assert.ok(deploy);
    assert.equal(result.outputs['deploy-id'], deploy.id);
    assert.equal(deploy.environment, 'production');
    assert.equal(deploy.name, 'Deploy #7');
    assert.equal(deploy.url, 'https://decisionlog.up.railway.app');
    assert.equal(deploy.dateStarted, '2025-03-01T12:00:00.000Z');
    assert.ok(Date.parse(deploy.dateFinished) > Date.parse('2025-03-01T12:00:00Z'));
    assert.deepEqual(deploy.projects, ['decisionlog-api', 'decisionlog-web']);
  });

  test('429 with Retry-After, then success', async () => {
    sentry.queue.push({
      status: 429,
      headers: { 'retry-after': '1' },
      json: { detail: 'Request was throttled.' },
    });
    const result = await run({ release: '3.0.0' });
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(sentry.calls('GET', /releases\/3\.0\.0\/$/).length, 2);
    assert.match(result.log, /HTTP 429; trying again in 1\.0s/);
    assert.ok(sentry.releases.get('3.0.0'));
  });

  test('429 with only X-Sentry-Rate-Limit-Reset (epoch seconds), then success', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    sentry.queue.push({
      status: 429,
      headers: { 'x-sentry-rate-limit-reset': reset },
      json: { detail: 'throttled' },
    });
    const result = await run({ release: '3.0.1' });
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(sentry.calls('GET', /releases\/3\.0\.1\/$/).length, 2);
    assert.ok(sentry.releases.get('3.0.1'));
  });

  test('401: one sentence naming the scopes, no stack trace, token not shown', async () => {
    const bad = 'sntrys_wrong_token_abcdef123456';
    const result = await run({ 'auth-token': bad });
    assert.equal(result.exitCode, 1);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0] ?? '', /HTTP 401: Invalid token.*project:releases and org:read/);
    assert.doesNotMatch(result.log, /\n\s+at /);
    assertNoLeak(result, bad);
  });

  test('403 without the project:releases scope names the scope', async () => {
    sentry.scopes.delete('project:releases');
    const result = await run();
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /HTTP 403.*lacks the project:releases scope/);
  });

  test('404 for a wrong org names the org and the url input', async () => {
    const result = await run({ org: 'acme-typo' });
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /HTTP 404.*no organization "acme-typo".*url input/);
  });

  test('an unknown project and an unconnected repository each get their own sentence', async () => {
    const project = await run({ projects: 'decisionlog-api nope' });
    assert.equal(project.exitCode, 1);
    assert.match(project.errors[0] ?? '', /no project "decisionlog-api" or "nope"/);
    const repo = await run({ repository: 'acme/other' });
    assert.equal(repo.exitCode, 1);
    assert.match(repo.errors[0] ?? '', /Invalid repository names: acme\/other.*GitHub integration/);
  });

  test('self-hosted Sentry under a path prefix', async () => {
    const selfHosted = await new SentryStandIn('/sentry').start();
    try {
      const result = await run(
        { release: '4.0.0', environment: 'staging', url: `${selfHosted.baseUrl}/` },
        selfHosted,
      );
      assert.equal(result.exitCode, 0, result.log);
      assert.equal(selfHosted.calls('POST', '/sentry/api/0/organizations/acme/releases/').length, 1);
      assert.equal(selfHosted.releases.get('4.0.0')?.deploys[0]?.environment, 'staging');
      assert.equal(
        result.outputs['release-url'],
        `${selfHosted.url}/sentry/organizations/acme/releases/4.0.0/`,
      );
      assert.equal(sentry.requests.length, 0, 'nothing went to the other Sentry');
      assertNoLeak(result, selfHosted.token);
      // The API URL pasted as url reaches the same endpoints and links to the same release page.
      const api = await run({ release: '4.0.1', url: `${selfHosted.baseUrl}/api/0/` }, selfHosted);
      assert.equal(api.exitCode, 0, api.log);
      assert.equal(selfHosted.releases.has('4.0.1'), true);
      assert.equal(api.outputs['release-url'], `${selfHosted.url}/sentry/organizations/acme/releases/4.0.1/`);
    } finally {
      await selfHosted.stop();
    }
  });

  test('an existing release that gains a project (201) is logged as such, not as created', async () => {
    const first = await run({ release: '5.0.0', projects: 'decisionlog-api' });
    assert.equal(first.exitCode, 0, first.log);
    const second = await run({ release: '5.0.0' });
    assert.equal(second.exitCode, 0, second.log);
    assert.match(
      second.log,
      /Release 5\.0\.0 already existed in Sentry; added project decisionlog-web to it\./,
    );
    assert.doesNotMatch(second.log, /created in Sentry/);
    assert.match(second.summary, /already existed; added decisionlog-web/);
  });

  test('a deploy record Sentry stored but answered 502 is found, not recorded twice', async () => {
    sentry.afterApplying.push({ status: 502, json: { detail: 'Bad Gateway' } });
    const result = await run({ release: '6.0.0', environment: 'production' });
    assert.equal(result.exitCode, 0, result.log);
    const deploys = sentry.releases.get('6.0.0')?.deploys ?? [];
    assert.equal(deploys.length, 1, 'exactly one deploy record');
    assert.equal(sentry.calls('POST', /deploys\/$/).length, 1);
    assert.equal(result.outputs['deploy-id'], deploys[0]?.id);
    assert.match(result.log, /Listing the release's deploys before recording it again/);
    assert.match(result.log, /Sentry recorded the deploy \(id \d+\); not recording it again/);
  });

  test("a version over 200 characters (Sentry's limit) fails before any call", async () => {
    const result = await run({ release: 'v'.repeat(201) });
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /up to 200 characters/);
    assert.equal(sentry.requests.length, 0);
  });

  test('bad input fails before any call', async () => {
    const result = await run({ release: 'feature/x' });
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /not a valid Sentry version/);
    assert.equal(sentry.requests.length, 0);
  });
});
