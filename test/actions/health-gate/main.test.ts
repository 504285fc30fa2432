// health-gate's main() in process: the deadline, fail-on-unhealthy false, the Sentry check failing
// (fail closed), the PR comment when GitHub refuses it, a smoke step that cannot connect, the
// initial delay — branches the bundle tests in action.test.ts reach slowly or not at all.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the smoke-file placeholder syntax, written literally.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { main } from '../../../actions/health-gate/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { runMain } from '../../harness/io.js';
import { freePort } from '../../harness/net.js';
import type { RunOptions } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';
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
  test('healthy: every output set, the report is the summary, no comment without a token', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'expect-version': SHA });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.result, 'healthy');
    assert.equal(r.io.outputs.healthy, 'true');
    assert.equal(r.io.outputs.probes, '2');
    assert.equal(r.io.outputs['observed-version'], SHA);
    assert.equal(r.io.outputs.report, r.io.summaryText);
    assert.match(r.io.infos.at(-1) ?? '', /^Health gate: healthy after 2 round\(s\)/);
  });

  test('a flapping service never reaches a threshold: inconclusive at the deadline', async () => {
    const s = await service((n) => (n % 2 ? healthy : { status: 500, json: {} }));
    const r = await gate({ url: `${s.url}/health`, deadline: '1s', interval: '100ms' });
    assert.ok(r.error instanceof UserError);
    assert.equal(r.io.outputs.result, 'inconclusive');
    assert.match(r.failure ?? '', /^Health gate inconclusive: /);
    assert.match(r.io.outputs.reason ?? '', /deadline/i);
    assert.ok(Number(r.io.outputs.passes) >= 2 && Number(r.io.outputs.failures) >= 2);
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
    const r = await gate({ url: `${s.url}/health`, 'initial-delay': '200ms' });
    assert.equal(r.error, undefined, r.failure);
    assert.ok(r.io.infos.includes('Waiting 200ms (initial-delay) before the first round.'), r.io.log);
  });

  test('a password in the URL and header values are registered before the first log line', async () => {
    const s = await service(() => healthy);
    const url = `${s.url.replace('http://', 'http://probe:urlPassw0rd9@')}/health?token=queryTok3n99`;
    const r = await gate({ url, headers: 'Authorization: Bearer headerSecret77' });
    assert.equal(r.error, undefined, r.failure);
    for (const secret of ['urlPassw0rd9', 'queryTok3n99', 'Bearer headerSecret77']) {
      assert.ok(r.io.masks.includes(secret), `${secret} registered`);
      assert.deepEqual(r.io.leaks(secret), [], secret);
    }
    assert.match(r.io.infos[0] ?? '', /^Probing http:\/\/probe:\*\*\*@/);
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

  test("healthy probes but Sentry refuses the token: inconclusive and the step fails with Sentry's sentence (fail closed)", async () => {
    const s = await service(() => healthy);
    const r = await withSentry(s, { 'sentry-auth-token': 'sntrys_wrong_token_value_1' });
    assert.equal(r.io.outputs.result, 'inconclusive');
    assert.match(r.failure ?? '', /^Sentry rejected sentry-auth-token \(401: Invalid token\)/);
    assert.deepEqual(r.io.leaks('sntrys_wrong_token_value_1'), []);
  });

  test("the same with fail-on-unhealthy false: the step passes, the warning carries Sentry's sentence", async () => {
    const s = await service(() => healthy);
    const r = await withSentry(s, { 'sentry-project': 'no-such-project', 'fail-on-unhealthy': 'false' });
    assert.equal(r.error, undefined);
    assert.equal(r.io.outputs.result, 'inconclusive');
    assert.match(
      r.io.warnings.at(-1)?.message ?? '',
      /fail-on-unhealthy is false.*Sentry has no project "no-such-project"/,
    );
  });

  test("unhealthy probes and a Sentry error: the probes decide, Sentry's problem is a warning", async () => {
    const s = await service(() => ({ status: 500, json: {} }));
    sentry.queue.push({ status: 200, json: { detail: 'not a list' } });
    const r = await withSentry(s);
    assert.equal(r.io.outputs.result, 'unhealthy');
    assert.match(r.failure ?? '', /^Health gate unhealthy: /);
    assert.match(r.io.warnings[0]?.message ?? '', /^Sentry answered 200 but not with a list of issues/);
  });

  test('issues over several pages and projects are summed', async () => {
    sentry.projects.get('acme')?.add('decisionlog-web');
    sentry.addIssues('rel-paged', 3);
    sentry.pageSize = 2;
    try {
      const s = await service(() => healthy);
      const r = await withSentry(s, {
        'sentry-release': 'rel-paged',
        'sentry-project': 'decisionlog, decisionlog-web',
        'max-new-issues': 10,
      });
      assert.equal(r.error, undefined, r.failure);
      assert.ok(
        r.io.infos.includes('Sentry: 6 new issue(s) first seen in release rel-paged (budget 10).'),
        r.io.log,
      );
    } finally {
      sentry.pageSize = 100;
    }
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

  test('posted once, then edited in place; comment-header goes above the report', async () => {
    const s = await service(() => healthy);
    const first = await gate({ url: `${s.url}/health`, 'github-token': github.token }, pr(31));
    assert.equal(first.error, undefined, first.failure);
    assert.ok(first.io.infos.includes('Posted the health report on pull request #31.'));
    const second = await gate(
      { url: `${s.url}/health`, 'github-token': github.token, 'comment-header': '### Migration plan' },
      pr(31),
    );
    assert.ok(second.io.infos.includes('Updated the health report on pull request #31.'));
    const comments = github.comments.get(31) ?? [];
    assert.equal(comments.length, 1);
    assert.match(comments[0]?.body ?? '', /### Migration plan\n\n---\n\n/);
    assert.deepEqual(second.io.leaks(github.token), []);
  });

  test('GitHub refusing the token is a warning; the verdict stands', async () => {
    const s = await service(() => healthy);
    const r = await gate({ url: `${s.url}/health`, 'github-token': 'ghs_revoked_token_1234' }, pr(32));
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.result, 'healthy');
    assert.match(
      r.io.warnings[0]?.message ?? '',
      /^Could not post the health report on pull request #32: GitHub API GET .* failed with 401: the github-token is invalid or expired/,
    );
    assert.deepEqual(r.io.leaks('ghs_revoked_token_1234'), []);
  });

  test('GitHub answering 403 names the job permissions', async () => {
    const s = await service(() => healthy);
    github.queue.push({ status: 403, json: { message: 'Resource not accessible by integration' } });
    const r = await gate({ url: `${s.url}/health`, 'github-token': github.token }, pr(33));
    assert.match(
      r.io.warnings[0]?.message ?? '',
      /lacks a permission this call needs \(check the job's "permissions:"\)/,
    );
  });

  test('on a push event nothing is posted; a debug line says why', async () => {
    const s = await service(() => healthy);
    github.requests.length = 0;
    const r = await gate(
      { url: `${s.url}/health`, 'github-token': github.token },
      { env: { GITHUB_API_URL: github.url } },
    );
    assert.equal(github.requests.length, 0);
    assert.ok(r.io.debugs.some((d) => /No pull request in this push event/.test(d)));
  });
});

describe('health-gate main(): the smoke journey', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hg-main-smoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a step whose host refuses connections is an error round naming the step; the env password is masked', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, 'smoke.yml'),
      [
        'steps:',
        '  - name: login',
        '    method: POST',
        `    url: http://127.0.0.1:${port}/api/auth/login`,
        '    json: { password: "${SMOKE_PASSWORD}" }',
      ].join('\n'),
    );
    const s = await service(() => healthy);
    const r = await gate(
      { url: `${s.url}/health`, 'smoke-file': join(dir, 'smoke.yml') },
      { env: { SMOKE_PASSWORD: 'smokePassw0rd!' } },
    );
    assert.equal(r.io.outputs.result, 'unhealthy', r.failure);
    assert.match(r.io.outputs.reason ?? '', /step "login" .*connection refused/);
    assert.ok(r.io.masks.includes('smokePassw0rd!'));
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
