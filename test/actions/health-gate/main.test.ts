// health-gate's main() in process, for the Argo-Rollouts-style gate: each limit that can decide
// (failure-limit, consecutive-error-limit, inconclusive-limit, max-p95-ms, max-new-issues, the deadline,
// another version still serving), the bake, the smoke journey, Sentry and the PR comment, and what each
// branch writes (outputs, summary, warnings, the failed-step sentence). Every test passes a short
// interval, bake-time and deadline: main() reads the clock itself (performance.now, lib/http sleep),
// so no test waits longer than about a second, and verdicts are asserted by counts of probes, not time.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the smoke-file placeholder syntax, written literally.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { main } from '../../../actions/health-gate/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { type MainResult, runMain } from '../../harness/io.js';
import { freePort } from '../../harness/net.js';
import type { RunOptions } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';
import { SentryIssuesStandIn } from '../../standins/sentry-issues.js';
import { type Handler, type Reply, StandIn } from '../../standins/server.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const OLD = 'fedcba9876543210fedcba9876543210fedcba98';
const healthy: Reply = { json: { status: 'healthy', version: SHA } };
// Short rounds and no bake unless a test asks for one; the deadline only bounds a test that goes wrong.
const fast = { interval: '20ms', timeout: '2s', 'bake-time': '0s', deadline: '20s' };

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

const num = (r: MainResult, name: string) => Number(r.io.outputs[name]);

/** What every finished gate writes, whatever the verdict. */
function assertWritten(r: MainResult, result: 'healthy' | 'unhealthy' | 'inconclusive'): void {
  const o = r.io.outputs;
  assert.equal(o.result, result, r.failure ?? o.reason);
  assert.equal(o.healthy, String(result === 'healthy'));
  assert.equal(
    num(r, 'probes'),
    num(r, 'passes') + num(r, 'failures') + num(r, 'errors') + pendingOrOther(r),
  );
  assert.equal(o.report, r.io.summaryText, 'the report output is the job summary');
  const icon = { healthy: '✅', unhealthy: '❌', inconclusive: '⚠️' }[result];
  assert.ok(
    r.io.summaryText.startsWith(
      `<!-- decisionlog-deploy:health-gate -->\n## ${icon} Health gate: ${result}\n\n${o.reason}\n`,
    ),
  );
  assert.match(r.io.infos.at(-1) ?? '', new RegExp(`^Health gate: ${result} after \\d+ round\\(s\\) in `));
  assert.deepEqual(r.io.errors, [], 'main() reports through outputs and its exception, never io.error');
  if (result === 'healthy') {
    assert.equal(r.error, undefined, r.failure);
    assert.deepEqual(r.io.warnings, []);
  } else {
    // fail-on-unhealthy (default true): the step fails with exactly one sentence.
    assert.ok(r.error instanceof UserError);
    assert.equal(r.failure, `Health gate ${result}: ${o.reason}`);
    assert.doesNotMatch(r.failure ?? '', /\n/);
  }
}

/** Probes that were neither pass, fail nor error (pending: another version; inconclusive: 429), from the check table. */
function pendingOrOther(r: MainResult): number {
  let total = 0;
  for (const row of r.io.summaryText.matchAll(
    /^\| ([^|]+) \| [a-z]+ \| \d+ \| \d+ \| \d+ \| (\d+) \| (\d+) \|/gm,
  )) {
    if (row[1] !== 'latency SLO' && row[1] !== 'Sentry') total += Number(row[2]) + Number(row[3]);
  }
  return total;
}

describe('health-gate main(): each limit decides', () => {
  test('healthy only after the bake: probes keep running after the streak, then every output is set', async () => {
    const s = await service(() => healthy);
    const r = await gate({
      url: `${s.url}/health`,
      'expect-version': SHA,
      'expect-json': 'status=healthy',
      'bake-time': '200ms',
    });
    assertWritten(r, 'healthy');
    assert.ok(num(r, 'probes') > 3, `the bake probed past the streak of 3 (${r.io.outputs.probes} probes)`);
    assert.equal(num(r, 'passes'), num(r, 'probes'));
    assert.equal(s.requests.length, num(r, 'probes'));
    assert.equal(r.io.outputs['observed-version'], SHA);
    for (const p of ['p50-ms', 'p95-ms', 'p99-ms']) assert.match(r.io.outputs[p] ?? '', /^\d+$/, p);
    assert.match(
      r.io.outputs.reason ?? '',
      /^Every check passed 3 times in a row \(success-threshold\) and stayed within its limits for the 200ms bake-time; p95 \d+ ms\.$/,
    );
    assert.doesNotMatch(r.io.summaryText, /Decided by/);
    assert.match(r.io.summaryText, /bake-time 200ms · interval 20ms, timeout 2\.0s/);
    assert.match(r.io.summaryText, new RegExp(`expects version \`${SHA}\`, saw \`${SHA}\``));
    assert.match(
      r.io.infos[0] ?? '',
      /then for a 200ms bake; a check fails above failure-limit 4, consecutive-error-limit 2 or inconclusive-limit 4 \(deadline 20\.0s\)\.$/,
    );
    assert.match(
      r.io.infos[1] ?? '',
      /^Round 1: pass · http:\/\/127\.0\.0\.1:\d+\/health answered 200 in \d+ms$/,
    );
  });

  test('bake-time 0s: healthy at the streak, after exactly success-threshold rounds', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'success-threshold': 2 });
    assertWritten(r, 'healthy');
    assert.equal(num(r, 'probes'), 2);
    assert.equal(
      r.io.outputs.reason,
      `Every check passed 2 times in a row (success-threshold); p95 ${r.io.outputs['p95-ms']} ms.`,
    );
  });

  test('failure-limit: unhealthy at the failure after the limit, with the first failing body in the summary', async () => {
    const s = await service(() => ({ status: 503, json: { status: 'down', error: 'database is down' } }));
    const r = await gate({ url: `${s.url}/health`, 'failure-limit': 2 });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'probes'), 3);
    assert.equal(num(r, 'failures'), 3);
    assert.equal(s.requests.length, 3, 'no probe after the decision');
    assert.match(
      r.io.outputs.reason ?? '',
      /^http:\/\/127\.0\.0\.1:\d+\/health failed 3 of 3 measurements, above failure-limit 2 \(last: answered 503, expected 200\)\.$/,
    );
    assert.match(r.io.summaryText, /Decided by \*\*failure-limit\*\* on http:\/\/127\.0\.0\.1:\d+\/health\./);
    assert.match(
      r.io.summaryText,
      /### First failing response\n\nRound 1: .* answered 503, expected 200 \(HTTP 503\)\./,
    );
    assert.match(r.io.summaryText, /database is down/);
    assert.match(
      r.io.summaryText,
      /\| http:\/\/127\.0\.0\.1:\d+\/health \| failed \| 0 \| 3 \| 0 \| 0 \| 0 \|/,
    );
  });

  test('failure-limit counts failures in total: spread out over the bake they still decide', async () => {
    // Every 4th answer is a 500: the streak of 3 passes at once, then the 3rd failure (round 12) crosses 2.
    const s = await service((n) => (n % 4 === 0 ? { status: 500, text: 'boom' } : healthy));
    const r = await gate({ url: `${s.url}/health`, 'failure-limit': 2, 'bake-time': '10s' });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'probes'), 12);
    assert.equal(num(r, 'failures'), 3);
    assert.equal(num(r, 'passes'), 9);
    assert.match(
      r.io.outputs.reason ?? '',
      /failed 3 of 12 measurements, above failure-limit 2 \(last: answered 500, expected 200\)\.$/,
    );
  });

  test('the old failure-threshold N maps to failure-limit and consecutive-error-limit N-1', async () => {
    const s = await service(() => ({ status: 500, text: 'no' }));
    const r = await gate({ url: `${s.url}/health`, 'failure-threshold': 2 });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'failures'), 2);
    assert.match(r.io.outputs.reason ?? '', /failed 2 of 2 measurements, above failure-limit 1/);
    assert.match(r.io.summaryText, /failure-limit 1, consecutive-error-limit 1, inconclusive-limit 4/);
  });

  test('consecutive-error-limit: no answer (connection refused) that many times in a row is unhealthy; errors are not failures', async () => {
    const port = await freePort();
    const r = await gate({ url: `http://127.0.0.1:${port}/health`, 'consecutive-error-limit': 1 });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'probes'), 2);
    assert.equal(num(r, 'errors'), 2);
    assert.equal(num(r, 'failures'), 0);
    for (const p of ['p50-ms', 'p95-ms', 'p99-ms'])
      assert.equal(r.io.outputs[p], '', `${p}: no answered probe`);
    assert.equal(r.io.outputs['observed-version'], '');
    assert.match(
      r.io.outputs.reason ?? '',
      /got no answer 2 times in a row, above consecutive-error-limit 1 \(last: gave no answer: connection refused \(ECONNREFUSED\)\)\.$/,
    );
    assert.match(r.io.summaryText, /Decided by \*\*consecutive-error-limit\*\*/);
    assert.match(
      r.io.summaryText,
      /### First failing response\n\nRound 1: .* gave no answer: connection refused/,
    );
    assert.doesNotMatch(r.io.summaryText, /\(HTTP /);
  });

  test('consecutive-error-limit counts errors in a row only: scattered errors pass, three in a row decide', async () => {
    // pass, then errors (connection reset) except rounds 4 and 7: 2 in a row twice, then 3 in a row at round 10.
    const s = await service((n) => ([1, 4, 7].includes(n) ? healthy : { reset: true }));
    const r = await gate({ url: `${s.url}/health`, 'success-threshold': 1, 'bake-time': '10s' });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'probes'), 10);
    assert.equal(num(r, 'errors'), 7);
    assert.equal(num(r, 'passes'), 3);
    assert.match(
      r.io.outputs.reason ?? '',
      /got no answer 3 times in a row, above consecutive-error-limit 2/,
    );
  });

  test('inconclusive-limit: 429s are neither pass nor failure; one more than the limit is inconclusive', async () => {
    const s = await service(() => ({
      status: 429,
      headers: { 'retry-after': '1' },
      json: { error: 'slow down' },
    }));
    const r = await gate({ url: `${s.url}/health`, 'inconclusive-limit': 1 });
    assertWritten(r, 'inconclusive');
    assert.equal(num(r, 'probes'), 2);
    assert.equal(num(r, 'passes') + num(r, 'failures') + num(r, 'errors'), 0);
    assert.match(
      r.io.outputs.reason ?? '',
      /was inconclusive 2 times, above inconclusive-limit 1 \(last: answered 429 \(rate limited\): neither a pass nor a failure\)\.$/,
    );
    assert.match(r.io.summaryText, /Decided by \*\*inconclusive-limit\*\*/);
    assert.doesNotMatch(r.io.summaryText, /First failing response/);
  });

  test('max-p95-ms: every probe passes but the latency SLO fails at the streak', async () => {
    const s = await service(() => ({ delayMs: 60, ...healthy }));
    const r = await gate({ url: `${s.url}/health`, 'max-p95-ms': 20 });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'passes'), 3);
    assert.ok(num(r, 'p95-ms') >= 60, r.io.outputs['p95-ms']);
    assert.match(
      r.io.outputs.reason ?? '',
      /^Latency SLO failed: p95 latency is \d+ ms over 3 probes, above max-p95-ms 20 ms\.$/,
    );
    assert.match(r.io.summaryText, /SLO p95 ≤ 20 ms/);
    assert.match(r.io.summaryText, /\| latency SLO \| failed \|/);
  });

  test('max-p95-ms met: healthy, and the reason names the SLO', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'max-p95-ms': 5000 });
    assertWritten(r, 'healthy');
    assert.match(r.io.outputs.reason ?? '', /; p95 \d+ ms \(SLO 5000 ms\)\.$/);
  });
});

describe('health-gate main(): the deadline', () => {
  test('a flapping service never reaches the streak: inconclusive at the deadline, naming the check', async () => {
    const s = await service((n) => (n % 2 ? healthy : { status: 500, text: 'flap' }));
    const r = await gate({ url: `${s.url}/health`, 'failure-limit': 1000, deadline: '400ms' });
    assertWritten(r, 'inconclusive');
    assert.ok(num(r, 'passes') >= 2 && num(r, 'failures') >= 2, r.io.outputs.probes);
    assert.match(
      r.io.outputs.reason ?? '',
      /^No decision by the deadline: http:\/\/127\.0\.0\.1:\d+\/health reached 1 of 3 consecutive successes \(success-threshold\) with \d+ failed, 0 errors, 0 inconclusive and 0 pending in \d+ rounds; the service is flapping or too slow to decide\.$/,
    );
    assert.match(r.io.summaryText, /Decided by \*\*deadline\*\* on http:\/\/127\.0\.0\.1:\d+\/health\./);
  });

  test('the deadline inside the bake: inconclusive, and the reason says to leave room for the bake', async () => {
    // Rounds at 0, 500 and 1000 ms: the streak of 2 ends at about 500 ms, so the 1.4s bake would end at
    // about 1900 ms, past the 1500 ms deadline.
    const s = await service(() => healthy);
    const r = await gate({
      url: `${s.url}/health`,
      interval: '500ms',
      'success-threshold': 2,
      'bake-time': '1400ms',
      deadline: '1500ms',
    });
    assertWritten(r, 'inconclusive');
    // 3 rounds, or 4 when a timer fires a fraction of a millisecond early and the 4th starts just before 1500 ms.
    assert.ok(num(r, 'probes') >= 3 && num(r, 'probes') <= 4, r.io.outputs.probes);
    assert.equal(num(r, 'failures') + num(r, 'errors'), 0);
    assert.match(
      r.io.outputs.reason ?? '',
      /^The deadline passed \S+ into the 1\.4s bake-time, every check within its limits so far; raise deadline to leave room for the bake\.$/,
    );
  });

  test('fail-on-unhealthy false: an inconclusive deadline passes the step with one warning saying why', async () => {
    const s = await service(() => ({ status: 500, text: 'never' }));
    const r = await gate({
      url: `${s.url}/health`,
      'failure-limit': 1000,
      deadline: '200ms',
      'fail-on-unhealthy': 'false',
    });
    assert.equal(r.error, undefined);
    assert.equal(r.io.outputs.result, 'inconclusive');
    assert.equal(r.io.outputs.healthy, 'false');
    assert.equal(r.io.warnings.length, 1);
    assert.equal(
      r.io.warnings[0]?.message,
      `Health gate inconclusive (fail-on-unhealthy is false, so the step passes): ${r.io.outputs.reason}`,
    );
  });

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

  test('initial-delay is waited before the first round and said in the log', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'initial-delay': '100ms' });
    assertWritten(r, 'healthy');
    assert.equal(r.io.infos[1], 'Waiting 100ms (initial-delay) before the first round.');
  });
});

describe('health-gate main(): which version serves', () => {
  test('the old version never leaves: unhealthy at the deadline, saying which version is serving', async () => {
    const s = await service(() => ({ json: { status: 'healthy', version: OLD } }));
    const r = await gate({ url: `${s.url}/health`, 'expect-version': SHA, deadline: '300ms' });
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'passes') + num(r, 'failures') + num(r, 'errors'), 0, 'every probe pending');
    assert.ok(num(r, 'probes') >= 2);
    assert.equal(r.io.outputs['observed-version'], OLD);
    assert.equal(r.io.outputs['p95-ms'], '', "the old version's latency is not the new one's");
    assert.equal(
      r.io.outputs.reason,
      `Version ${OLD} is still serving: ${SHA} never answered before the deadline, so traffic did not switch to the new deploy.`,
    );
    assert.match(
      r.io.infos[1] ?? '',
      /^Round 1: pending · .* answered healthy from version fedcba9876543210fedcba9876543210fedcba98, waiting for 0123/,
    );
  });

  test('the old version answering 503 is pending, not a failure; then the new one is healthy', async () => {
    const s = await service((n) =>
      n <= 4 ? { status: 503, json: { status: 'starting', version: OLD } } : healthy,
    );
    const r = await gate({ url: `${s.url}/health`, 'expect-version': SHA, 'failure-limit': 0 });
    assertWritten(r, 'healthy');
    assert.equal(num(r, 'probes'), 7);
    assert.equal(num(r, 'failures'), 0);
    assert.equal(r.io.outputs['observed-version'], SHA);
    assert.match(r.io.summaryText, /\| successful \| 3 \| 0 \| 0 \| 0 \| 4 \|/);
  });

  test('a healthy answer without a version is pending (check version-path)', async () => {
    const s = await service(() => ({ json: { status: 'healthy', build: { sha: SHA } } }));
    const missing = await gate({ url: `${s.url}/health`, 'expect-version': SHA, deadline: '200ms' });
    assert.equal(missing.io.outputs.result, 'unhealthy');
    assert.match(missing.io.log, /answered healthy without a version at "version"/);
    const found = await gate({
      url: `${s.url}/health`,
      'expect-version': SHA.slice(0, 7),
      'version-path': 'build.sha',
    });
    assertWritten(found, 'healthy');
    assert.equal(found.io.outputs['observed-version'], SHA);
  });
});

describe('health-gate main(): secrets and inputs', () => {
  test('a password and query token in the URL and header values are registered before the first log line', async () => {
    const s = await service(() => healthy);
    const url = `${s.url.replace('http://', 'http://probe:urlPassw0rd9@')}/health?token=queryTok3n99`;
    const r = await gate({ url, headers: 'Authorization: Bearer headerSecret77' });
    assertWritten(r, 'healthy');
    for (const secret of ['urlPassw0rd9', 'queryTok3n99', 'Bearer headerSecret77']) {
      assert.ok(r.io.masks.includes(secret), `${secret} registered`);
      assert.deepEqual(r.io.leaks(secret), [], secret);
    }
    assert.equal(s.requests[0]?.headers.authorization, 'Bearer headerSecret77');
    assert.match(r.io.infos[0] ?? '', /^Probing http:\/\/127\.0\.0\.1:\d+\/health every 20ms/);
  });

  const invalid: Array<[string, RunOptions['inputs'], RegExp]> = [
    [
      'a header line without a colon',
      { headers: 'no colon here' },
      /^Input "headers" line 1 is not "Name: value"/,
    ],
    [
      'deadline not after initial-delay',
      { 'initial-delay': '2s', deadline: '1s' },
      /^Input "deadline" must be longer than "initial-delay"/,
    ],
    [
      'the default 2m bake in a 1m deadline',
      { 'bake-time': undefined, deadline: '1m' },
      /^Input "deadline" \(1m00s\) leaves no time to reach the success streak before the 2m00s bake-time: raise deadline, or shorten bake-time\.$/,
    ],
    [
      'bake-time plus initial-delay filling the deadline',
      { 'bake-time': '5s', 'initial-delay': '5s', deadline: '10s' },
      /before the 5\.0s bake-time and the initial-delay: raise deadline/,
    ],
    ['a zero timeout', { timeout: '0s' }, /^Input "timeout" must be longer than 0: write it like 5s\.$/],
    [
      'an interval that is no duration',
      { interval: 'soon' },
      /is not a duration: write it like 500ms, 5s, 2m or 1h30m\.$/,
    ],
    [
      'a status that is no status',
      { 'expect-status': 'ok' },
      /^Input "expect-status" has "ok", which is not an HTTP status/,
    ],
    [
      'a condition without =',
      { 'expect-json': 'healthy' },
      /^Input "expect-json" has "healthy", which is not a path=value condition/,
    ],
    [
      'a negative failure-limit',
      { 'failure-limit': -1 },
      /^Input "failure-limit" must be at least 0, not -1\.$/,
    ],
    [
      'a success-threshold of 0',
      { 'success-threshold': 0 },
      /^Input "success-threshold" must be at least 1, not 0\.$/,
    ],
    ['a url that is no URL', { url: 'health' }, /^Input "url" line 1 is not a valid URL/],
    [
      'a url of another scheme',
      { url: 'ftp://example.com/health' },
      /^Input "url" line 1 must be an http:\/\/ or https:\/\/ URL/,
    ],
    ['a p95 of 0 ms', { 'max-p95-ms': 0 }, /^Input "max-p95-ms" must be at least 1, not 0\.$/],
  ];
  test.each(invalid)('%s: one sentence, before any probe', async (_what, inputs, expected) => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, ...inputs });
    assert.ok(r.error instanceof UserError, r.failure);
    assert.match(r.failure ?? '', expected);
    assert.match(r.failure ?? '', /^[^\n]+[.…]$/, 'one line, ending the sentence');
    assert.equal(s.requests.length, 0);
    assert.deepEqual(r.io.outputs, {}, 'no output before the inputs are valid');
    assert.equal(r.io.summaryText, '');
  });

  test('no url at all names the input and how to write it', async () => {
    const r = await gate({ url: '' });
    assert.match(r.failure ?? '', /^Input "url" is required/);
    assert.match(r.failure ?? '', /one URL per line/);
  });
});

describe('health-gate main(): the Sentry check', () => {
  const sentry = new SentryIssuesStandIn();
  beforeAll(() => sentry.start());
  afterAll(() => sentry.stop());
  const sentryCalls = () => sentry.calls('GET', /\/issues\/?$/).length;
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

  test('no new issues: healthy; Sentry is asked only once the probes passed their streak', async () => {
    const before = sentryCalls();
    const s = await service((n) => (n <= 2 ? { status: 500, text: 'warming up' } : healthy));
    const r = await withSentry(s, { 'sentry-release': 'rel-clean' });
    assertWritten(r, 'healthy');
    assert.equal(num(r, 'probes'), 5);
    assert.equal(sentryCalls() - before, 1, 'one Sentry query, in the round that completed the streak');
    assert.match(
      r.io.infos.at(-2) ?? '',
      /^Round 5: pass · .* · Sentry shows 0 new issues first seen in release rel-clean$/,
    );
    assert.match(
      r.io.summaryText,
      /### Sentry\n\n0 new issues first seen in release `rel-clean` of acme\/decisionlog \(budget: 0\)\./,
    );
    assert.ok(r.io.masks.includes(sentry.token));
  });

  test('new issues over the budget turn healthy probes into unhealthy, listed in the report', async () => {
    sentry.addIssues('rel-over-budget', 2);
    const s = await service(() => healthy);
    const r = await withSentry(s, { 'sentry-release': 'rel-over-budget', 'max-new-issues': 1 });
    assertWritten(r, 'unhealthy');
    assert.match(
      r.failure ?? '',
      /Sentry shows 2 new issues first seen in release rel-over-budget, above max-new-issues 1/,
    );
    assert.match(r.io.summaryText, /Decided by \*\*max-new-issues\*\* on Sentry\./);
    assert.match(
      r.io.summaryText,
      /\| \[DECISIONLOG-\d+\]\(https:\/\/acme\.sentry\.io\/issues\/\d+\/\) \| TypeError/,
    );
    assert.deepEqual(r.io.leaks(sentry.token), []);
  });

  test('new issues within the budget: healthy, the count in the report', async () => {
    sentry.addIssues('rel-within', 1);
    const s = await service(() => healthy);
    const r = await withSentry(s, { 'sentry-release': 'rel-within', 'max-new-issues': 1 });
    assertWritten(r, 'healthy');
    assert.match(
      r.io.summaryText,
      /1 new issue first seen in release `rel-within` of acme\/decisionlog \(budget: 1\)\./,
    );
  });

  test('Sentry refusing the token three times in a row: inconclusive (fail closed), never healthy', async () => {
    const before = sentryCalls();
    const s = await service(() => healthy);
    const r = await withSentry(s, { 'sentry-auth-token': 'sntrys_wrong_token_value_1' });
    assertWritten(r, 'inconclusive');
    assert.equal(num(r, 'probes'), 5, 'the streak at round 3, then Sentry failed in rounds 3, 4 and 5');
    assert.equal(sentryCalls() - before, 3);
    assert.match(
      r.io.outputs.reason ?? '',
      /^Sentry could not be queried 3 times in a row, above consecutive-error-limit 2: Sentry rejected sentry-auth-token \(401: Invalid token\)/,
    );
    assert.match(r.io.summaryText, /### Sentry\n\nCould not check Sentry: Sentry rejected sentry-auth-token/);
    assert.deepEqual(r.io.leaks('sntrys_wrong_token_value_1'), []);
  });

  test('Sentry answering something that is not a list of issues is an error measurement', async () => {
    const s = await service(() => healthy);
    sentry.queue.push({ status: 200, json: { detail: 'not a list' } });
    const r = await withSentry(s, { 'consecutive-error-limit': 0 });
    assertWritten(r, 'inconclusive');
    assert.match(r.io.outputs.reason ?? '', /Sentry answered 200 but not with a list of issues/);
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

describe('health-gate main(): the PR comment', () => {
  const github = new GitHubStandIn();
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  const pr = (number: number): Omit<RunOptions, 'inputs'> => ({
    eventName: 'pull_request',
    event: { pull_request: { number } },
    env: { GITHUB_API_URL: github.url },
  });

  test('the report is posted on the pull request with comment-header above it; comment false posts nothing', async () => {
    const s = await service(() => healthy);
    const r = await gate(
      { url: `${s.url}/health`, 'github-token': github.token, 'comment-header': '### Migration plan' },
      pr(41),
    );
    assertWritten(r, 'healthy');
    assert.ok(r.io.infos.includes('Posted the health report on pull request #41.'), r.io.log);
    const comments = github.comments.get(41) ?? [];
    assert.equal(comments.length, 1);
    // The marker leads the comment (lib/github commentText), the header and the report follow.
    const marker = '<!-- decisionlog-deploy:health-gate -->';
    assert.ok(r.io.outputs.report?.startsWith(`${marker}\n`));
    assert.equal(
      comments[0]?.body,
      `${marker}\n### Migration plan\n\n---\n\n${r.io.outputs.report?.slice(marker.length + 1).trim()}`,
    );
    assert.deepEqual(r.io.leaks(github.token), []);

    const off = await gate(
      { url: `${s.url}/health`, 'github-token': github.token, comment: 'false' },
      pr(42),
    );
    assertWritten(off, 'healthy');
    assert.equal(github.comments.get(42), undefined);
  });

  test('GitHub refusing the token is a warning; the verdict stands', async () => {
    const s = await service(() => ({ status: 500, text: 'down' }));
    const r = await gate(
      { url: `${s.url}/health`, 'github-token': 'ghs_revoked_token_1234', 'failure-limit': 0 },
      pr(43),
    );
    assert.equal(r.io.outputs.result, 'unhealthy');
    assert.match(r.failure ?? '', /^Health gate unhealthy: /);
    assert.equal(r.io.warnings.length, 1);
    assert.match(r.io.warnings[0]?.message ?? '', /^Could not post the health report on pull request #43: /);
    assert.deepEqual(r.io.leaks('ghs_revoked_token_1234'), []);
  });
});

describe('health-gate main(): the smoke journey', () => {
  let dir: string;
  const TOKEN = 'tok_smoke_session_0123456789';
  const PASSWORD = 'smokePassw0rd!';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hg-main-smoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The service's journey: log in, capture the token, list projects with it. */
  async function app(projects: Handler, login?: Handler): Promise<StandIn> {
    const s = await new StandIn()
      .route('GET', '/health', () => healthy)
      .route(
        'POST',
        '/api/auth/login',
        login ??
          ((req) =>
            (req.json as { password?: string })?.password === PASSWORD
              ? { json: { access_token: TOKEN, token_type: 'bearer' } }
              : { status: 401, json: { detail: 'bad credentials' } }),
      )
      .route('GET', '/api/projects', (req, p) =>
        req.headers.authorization === `Bearer ${TOKEN}` ? projects(req, p) : { status: 401, json: {} },
      )
      .start();
    started.push(s);
    return s;
  }
  function journey(name: string, extra: string[] = []): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      [
        'steps:',
        '  - name: login',
        '    method: POST',
        '    path: /api/auth/login',
        '    json: { email: "${SMOKE_EMAIL}", password: "${SMOKE_PASSWORD}" }',
        '    expect-json: [token_type=bearer]',
        '    capture: { token: access_token }',
        '  - name: projects',
        '    path: /api/projects',
        '    headers: { Authorization: "Bearer ${token}" }',
        '    expect-json: ["0.id=p1"]',
        ...extra,
      ].join('\n'),
    );
    return file;
  }
  const env = { SMOKE_EMAIL: 'smoke@example.com', SMOKE_PASSWORD: PASSWORD };

  test('the journey runs every round beside the URL; its token and password are masked', async () => {
    const s = await app(() => ({ json: [{ id: 'p1' }] }));
    const r = await gate({ url: `${s.url}/health`, 'smoke-file': journey('pass.yml') }, { env });
    assertWritten(r, 'healthy');
    assert.equal(num(r, 'probes'), 6, '3 rounds of the URL and the journey');
    assert.equal(s.calls('POST', '/api/auth/login').length, 3);
    assert.deepEqual(s.calls('POST', '/api/auth/login')[0]?.json, {
      email: 'smoke@example.com',
      password: PASSWORD,
    });
    for (const secret of [TOKEN, PASSWORD]) {
      assert.ok(r.io.masks.includes(secret), 'registered');
      assert.deepEqual(r.io.leaks(secret), []);
    }
    assert.match(r.io.infos[0] ?? '', / and the smoke journey .*pass\.yml every 20ms/);
    assert.match(
      r.io.summaryText,
      /### Smoke journey \(last run\)\n\n\| step \| result \| status \| ms \| detail \|/,
    );
    assert.match(
      r.io.summaryText,
      /\| login \| pass \| 200 \| \d+ \| answered 200 \|\n\| projects \| pass \| 200 \|/,
    );
    assert.match(r.io.summaryText, /\| smoke journey \| successful \| 3 \| 0 \|/);
  });

  test('a failing step fails the journey check at failure-limit, naming the step; the body shown hides the token', async () => {
    const s = await app(() => ({ status: 500, json: { error: 'db gone', session_token: TOKEN } }));
    const r = await gate(
      { url: `${s.url}/health`, 'smoke-file': journey('fail.yml'), 'failure-limit': 1 },
      { env },
    );
    assertWritten(r, 'unhealthy');
    assert.equal(num(r, 'failures'), 2, 'the journey failed twice; the URL passed');
    assert.equal(
      r.io.outputs.reason,
      'smoke journey failed 2 of 2 measurements, above failure-limit 1 (last: step "projects" answered 500, expected 200).',
    );
    assert.match(r.io.summaryText, /Decided by \*\*failure-limit\*\* on smoke journey\./);
    assert.match(r.io.summaryText, /\| projects \| fail \| 500 \| \d+ \| answered 500, expected 200 \|/);
    assert.match(r.io.summaryText, /db gone/);
    assert.deepEqual(r.io.leaks(TOKEN), []);
  });

  test('a JSON condition or a capture that is missing fails the step with what was expected', async () => {
    const s = await app(() => ({ json: [{ id: 'p2' }] }));
    const r = await gate(
      { url: `${s.url}/health`, 'smoke-file': journey('mismatch.yml'), 'failure-limit': 0 },
      { env },
    );
    assertWritten(r, 'unhealthy');
    assert.match(r.io.outputs.reason ?? '', /step "projects" answered 200 but has 0\.id=p2, expected p1/);
    const noToken = await app(
      () => ({ json: [] }),
      () => ({ json: { token_type: 'bearer' } }),
    );
    const r2 = await gate(
      { url: `${noToken.url}/health`, 'smoke-file': journey('mismatch.yml'), 'failure-limit': 0 },
      { env },
    );
    assert.match(
      r2.io.outputs.reason ?? '',
      /step "login" answered 200 but has no "access_token" to capture as token/,
    );
    const notJson = await app(
      () => ({ json: [] }),
      () => ({ text: '<html>login</html>' }),
    );
    const r3 = await gate(
      { url: `${notJson.url}/health`, 'smoke-file': journey('mismatch.yml'), 'failure-limit': 0 },
      { env },
    );
    assert.match(r3.io.outputs.reason ?? '', /step "login" answered 200 but the body is not JSON/);
  });

  test('a step answered 429 makes the journey inconclusive, not failed', async () => {
    const s = await app(
      () => ({ json: [{ id: 'p1' }] }),
      () => ({ status: 429, json: { detail: 'slow down' } }),
    );
    const r = await gate(
      { url: `${s.url}/health`, 'smoke-file': journey('limited.yml'), 'inconclusive-limit': 0 },
      { env },
    );
    assertWritten(r, 'inconclusive');
    assert.match(
      r.io.outputs.reason ?? '',
      /^smoke journey was inconclusive 1 times, above inconclusive-limit 0 \(last: step "login" answered 429 \(rate limited\)/,
    );
    assert.equal(s.calls('GET', '/api/projects').length, 0, 'the journey stops at the step');
  });

  test('a step whose allowed origin refuses connections is an error naming the step', async () => {
    const port = await freePort();
    const s = await app(() => ({ json: [{ id: 'p1' }] }));
    const file = join(dir, 'refused.yml');
    writeFileSync(
      file,
      ['steps:', '  - name: auth', `    url: http://127.0.0.1:${port}/token`, '    method: POST'].join('\n'),
    );
    const r = await gate(
      {
        url: `${s.url}/health`,
        'smoke-file': file,
        'smoke-origins': `http://127.0.0.1:${port}`,
        'consecutive-error-limit': 0,
      },
      { env },
    );
    assertWritten(r, 'unhealthy');
    assert.match(
      r.io.outputs.reason ?? '',
      /^smoke journey got no answer 1 times in a row, above consecutive-error-limit 0 \(last: step "auth" gave no answer: connection refused/,
    );
  });

  test('a captured value that steers a step to another origin: the step fails and nothing is sent there', async () => {
    const elsewhere = await new StandIn().route('GET', '/collect', () => ({ json: {} })).start();
    started.push(elsewhere);
    const s = await app(() => ({ json: [{ id: 'p1', next: new URL(elsewhere.url).host }] }));
    const file = journey('steer.yml', [
      '    capture: { next: 0.next }',
      '  - name: follow',
      '    url: "http://${next}/collect"',
    ]);
    const r = await gate({ url: `${s.url}/health`, 'smoke-file': file, 'failure-limit': 0 }, { env });
    assertWritten(r, 'unhealthy');
    assert.equal(elsewhere.requests.length, 0);
    assert.match(
      r.io.outputs.reason ?? '',
      /step "follow" would call http:\/\/127\.0\.0\.1:\d+, which is neither the gate URL's origin nor in smoke-origins; not sent/,
    );
  });

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
