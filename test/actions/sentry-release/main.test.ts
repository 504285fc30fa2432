// sentry-release's main() in process, against the Sentry stand-in: the failure branches of each of its
// three calls (create, finalize, deploy), answers that are not JSON, 5xx after retries and 409, which
// the bundle tests in action.test.ts do not reach.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { main } from '../../../actions/sentry-release/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { type MainResult, runMain } from '../../harness/io.js';
import type { RunOptions } from '../../harness/run-action.js';
import { SentryStandIn } from '../../standins/sentry.js';

const sentry = new SentryStandIn();
beforeAll(() => sentry.start());
afterAll(() => sentry.stop());
beforeEach(() => {
  sentry.queue.length = 0;
  sentry.requests.length = 0;
  sentry.releases.clear();
});

const SHA = '0123456789abcdef0123456789abcdef01234567';
const release = (inputs: RunOptions['inputs'] = {}, opts: Omit<RunOptions, 'inputs'> = {}) =>
  runMain('sentry-release', main, {
    inputs: {
      'auth-token': sentry.token,
      org: 'acme',
      projects: 'decisionlog-api',
      url: sentry.baseUrl,
      ...inputs,
    },
    ...opts,
  });

function assertNoLeak(r: MainResult): void {
  assert.deepEqual(r.io.leaks(sentry.token), []);
  assert.ok(!(r.failure ?? '').includes(sentry.token));
  assert.equal(r.io.masks[0], sentry.token, 'the token is the first thing registered');
}

describe('sentry-release main()', () => {
  test('create, finalize and deploy: outputs, one summary table with a row per step', async () => {
    const r = await release({ release: '2.0.0', finalize: 'false', environment: 'production' });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.release, '2.0.0');
    assert.equal(r.io.outputs['release-url'], `${sentry.baseUrl}/organizations/acme/releases/2.0.0/`);
    assert.match(r.io.outputs['deploy-id'] ?? '', /^\d+$/);
    assert.match(r.io.summaryText, /^### Sentry release \[2\.0\.0\]/);
    assert.match(r.io.summaryText, /\| deploy \| production \(id \d+\) \|/);
    assert.doesNotMatch(r.io.summaryText, /finalized/, 'finalize false: no finalized row');
    assertNoLeak(r);
  });

  test('re-runs: an open release is finalized with a PUT, a released one keeps its date', async () => {
    await release({ release: '1.9.0', finalize: 'false' });
    const second = await release({ release: '1.9.0' });
    assert.equal(second.error, undefined, second.failure);
    assert.equal(sentry.calls('PUT', /releases\/1\.9\.0\/$/).length, 1);
    assert.match(second.io.summaryText, /\| release \| already existed, updated \|/);
    assert.match(second.io.infos.join('\n'), /Release 1\.9\.0 finalized\./);
    const released = sentry.releases.get('1.9.0')?.dateReleased;
    const third = await release({ release: '1.9.0' });
    assert.equal(sentry.calls('PUT', /releases\/1\.9\.0\/$/).length, 1, 'no second PUT');
    assert.ok(
      third.io.infos.includes(`Release 1.9.0 was already released on ${released}; its date is kept.`),
    );
  });

  test('the release defaults to GITHUB_SHA from the runner environment', async () => {
    const r = await release();
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.release, SHA);
    assert.ok(sentry.releases.has(SHA));
  });

  test('a finalize that fails after the create: the create is not repeated and the sentence names the step', async () => {
    sentry.queue.push(
      { status: 208, json: { version: '2.1.0', dateReleased: null } },
      { status: 409, json: { detail: 'Release is being modified' } },
    );
    const r = await release({ release: '2.1.0' });
    assert.ok(r.error instanceof UserError);
    assert.equal(
      r.failure,
      'Sentry refused to finalize release 2.1.0 (HTTP 409: Release is being modified): another job is changing this release at the same time; re-run the job.',
    );
    assert.equal(sentry.calls('POST', /releases\/$/).length, 1);
    assert.match(r.io.infos[0] ?? '', /already exists in Sentry; updating it/);
    assert.equal(r.io.outputs.release, undefined, 'no outputs on failure');
  });

  test('a deploy Sentry answers 5xx to, after the retries: "may be down", with the attempts', async () => {
    sentry.queue.push({ status: 201, json: { version: '2.2.0', dateReleased: new Date().toISOString() } });
    for (let i = 0; i < 4; i++)
      sentry.queue.push({ status: 502, headers: { 'retry-after': '0' }, text: 'bad gateway' });
    const r = await release({ release: '2.2.0', environment: 'staging' });
    assert.match(
      r.failure ?? '',
      /^Sentry refused to record a deploy of 2\.2\.0 to staging \(HTTP 502[^)]*\) after 4 attempts: Sentry may be down/,
    );
    assert.equal(r.io.infos.filter((l) => /Sentry answered HTTP 502; trying again/.test(l)).length, 3);
    assertNoLeak(r);
  });

  test('a 2xx that is not JSON (url points at a web page) says to check url', async () => {
    sentry.queue.push({ status: 200, text: '<!doctype html><title>Login</title>' });
    const r = await release({ release: '2.3.0' });
    assert.match(
      r.failure ?? '',
      /answered create release 2\.3\.0 with something that is not JSON \(<!doctype html>/,
    );
    assert.match(r.failure ?? '', /check that url points at Sentry/);
  });

  test('a 400 Sentry explains in its body ends with "check the inputs named in Sentry\'s answer"', async () => {
    sentry.queue.push({ status: 400, json: { dateStarted: ['Datetime has wrong format.'] } });
    const r = await release({ release: '2.4.0' });
    assert.match(r.failure ?? '', /HTTP 400.*: check the inputs named in Sentry's answer\.$/);
  });

  test('a 429 longer than we wait is returned with a sentence to re-run later', async () => {
    sentry.queue.push({ status: 429, headers: { 'retry-after': '3600' }, json: { detail: 'slow down' } });
    const r = await release({ release: '2.5.0' });
    assert.match(r.failure ?? '', /HTTP 429: slow down\): Sentry is rate limiting this token/);
    assert.equal(sentry.requests.length, 1);
  });

  test('input errors: no release, an invalid version, repository without a commit — before any call', async () => {
    const noRelease = await release({ release: '' }, { env: { GITHUB_SHA: undefined } });
    assert.match(noRelease.failure ?? '', /^Input "release" is empty and GITHUB_SHA is not set/);
    const invalid = await release({ release: 'feature/x' });
    assert.match(invalid.failure ?? '', /^Release "feature\/x" is not a valid Sentry version/);
    const noCommit = await release(
      { release: '2.6.0', repository: 'acme/decisionlog', commit: '' },
      { env: { GITHUB_SHA: undefined } },
    );
    assert.match(noCommit.failure ?? '', /^Input "commit" is empty while repository is set/);
    assert.equal(sentry.requests.length, 0);
  });
});
