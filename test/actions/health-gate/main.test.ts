// health-gate's main() in process: the deadline, fail-on-unhealthy false, the Sentry check failing
// (fail closed), the PR comment when GitHub refuses it, a smoke step that cannot connect, the
// initial delay — branches the bundle tests in action.test.ts reach slowly or not at all.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the smoke-file placeholder syntax, written literally.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { main } from '../../../actions/health-gate/src/main.js';
import { runMain } from '../../harness/io.js';
import type { RunOptions } from '../../harness/run-action.js';
import { SentryIssuesStandIn } from '../../standins/sentry-issues.js';
import { type Reply, StandIn } from '../../standins/server.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const healthy: Reply = { json: { status: 'healthy', version: SHA } };
const fast = { interval: '50ms', timeout: '2s', 'success-threshold': 2, 'failure-threshold': 2 };

const started: StandIn[] = [];
async function service(reply: (n: number) => Reply): Promise<StandIn> {
  let n = 0;
  const s = await new StandIn().route('GET', '/health', () => reply(++n)).start();
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const gate = (inputs: RunOptions['inputs'], opts: Omit<RunOptions, 'inputs'> = {}) =>
  runMain('health-gate', main, { inputs: { ...fast, ...inputs }, ...opts });

describe('health-gate main(): verdicts and the deadline', () => {
  test('unhealthy with fail-on-unhealthy false: the step passes with a warning that says why', async () => {
    const s = await service(() => ({ status: 503, json: { status: 'unhealthy' } }));
    const r = await gate({ url: `${s.url}/health`, 'fail-on-unhealthy': 'false' });
    assert.equal(r.error, undefined);
    assert.equal(r.io.outputs.result, 'unhealthy');
    assert.equal(r.io.outputs.healthy, 'false');
    assert.equal(r.io.warnings.length, 1);
    assert.match(
      r.io.warnings[0]?.message ?? '',
      /^Health gate unhealthy \(fail-on-unhealthy is false, so the step passes\): /,
    );
  });

  test('bad inputs fail before any probe: a header line without a colon, deadline not after initial-delay', async () => {
    const s = await service(() => healthy);
    const header = await gate({ url: `${s.url}/health`, headers: 'no colon here' });
    assert.match(header.failure ?? '', /^Input "headers" line 1 is not "Name: value"/);
    const delay = await gate({ url: `${s.url}/health`, 'initial-delay': '2s', deadline: '1s' });
    assert.match(delay.failure ?? '', /^Input "deadline" must be longer than "initial-delay"/);
    assert.equal(s.requests.length, 0);
  });
});

describe('health-gate main(): the Sentry check', () => {
  const sentry = new SentryIssuesStandIn();
  beforeAll(() => sentry.start());
  afterAll(() => sentry.stop());
  const withSentry = (s: StandIn, extra: RunOptions['inputs'] = {}) =>
    gate({
      url: `${s.url}/health`,
      'sentry-auth-token': sentry.token,
      'sentry-org': 'acme',
      'sentry-project': 'decisionlog',
      'sentry-release': 'rel-main-test',
      'sentry-url': sentry.url,
      ...extra,
    });

  test('new issues over the budget turn healthy probes into unhealthy', async () => {
    sentry.addIssues('rel-over-budget', 2);
    const s = await service(() => healthy);
    const r = await withSentry(s, { 'sentry-release': 'rel-over-budget', 'max-new-issues': 1 });
    assert.equal(r.io.outputs.result, 'unhealthy');
    assert.match(
      r.failure ?? '',
      /Sentry shows 2 new issues first seen in release rel-over-budget, above max-new-issues 1/,
    );
    assert.ok(r.io.masks.includes(sentry.token));
    assert.deepEqual(r.io.leaks(sentry.token), []);
  });

  test('sentry-auth-token without org or release names what is missing', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'sentry-auth-token': sentry.token });
    assert.match(
      r.failure ?? '',
      /^The Sentry gate needs sentry-org, sentry-project, sentry-release \(or expect-version\) besides sentry-auth-token/,
    );
    assert.deepEqual(r.io.leaks(sentry.token), []);
  });
});

describe('health-gate main(): the smoke journey', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hg-main-smoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a smoke file that does not exist fails at once and says where it looked', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'smoke-file': 'no/such/smoke.yml' }, { cwd: dir });
    assert.match(
      r.failure ?? '',
      /^smoke-file no\/such\/smoke\.yml could not be read \(looked at .*no\/such\/smoke\.yml\)/,
    );
    assert.equal(s.requests.length, 0);
  });
});
