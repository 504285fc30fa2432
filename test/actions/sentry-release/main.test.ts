// sentry-release's main() in process, against the Sentry stand-in: the failure branches of each of its
// three calls (create, finalize, deploy), answers that are not JSON, 5xx after retries and 409, which
// the bundle tests in action.test.ts do not reach.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { main } from '../../../actions/sentry-release/src/main.js';
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

  test('a deploy record Sentry stored but answered 502 is found in its list, not recorded twice', async () => {
    sentry.afterApplying.push({ status: 502, json: { detail: 'Bad Gateway' } });
    const r = await release({ release: '2.7.0', environment: 'staging' });
    assert.equal(r.error, undefined, r.failure);
    const deploys = sentry.releases.get('2.7.0')?.deploys ?? [];
    assert.equal(deploys.length, 1, 'exactly one deploy record');
    assert.equal(sentry.calls('POST', /deploys\/$/).length, 1);
    assert.equal(sentry.calls('GET', /deploys\/$/).length, 1);
    assert.equal(r.io.outputs['deploy-id'], deploys[0]?.id);
    assert.ok(
      r.io.infos.some((l) => /Listing the release's deploys before recording it again\.$/.test(l)),
      r.io.log,
    );
    assert.ok(
      r.io.infos.includes(`Sentry recorded the deploy (id ${deploys[0]?.id}); not recording it again.`),
    );
    assertNoLeak(r);
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
