// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the smoke-file placeholder syntax, written literally.
// The pure rules of probes, smoke journeys, Sentry and the report, and the config reader.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { defaultFailureLimit, parseHeaders, readConfig } from '../../../actions/health-gate/src/config.js';
import {
  analyse,
  type GatePolicy,
  type ProbeResult,
  type Round,
} from '../../../actions/health-gate/src/decide.js';
import {
  type Expectations,
  judgeResponse,
  parseCondition,
  parseExpectStatus,
  readPath,
  versionMatches,
} from '../../../actions/health-gate/src/probe.js';
import {
  buildReport,
  firstFailure,
  latencyChart,
  MARKER,
  scrubBody,
  targetStats,
} from '../../../actions/health-gate/src/report.js';
import {
  countNewIssuesAcross,
  issuesUrl,
  nextCursor,
  sentryErrorSentence,
} from '../../../actions/health-gate/src/sentry.js';
import {
  allowedEnv,
  allowedOrigin,
  judgeStep,
  parseOrigins,
  parseSmokeJourney,
  parseVariablePatterns,
  substitute,
  variableAllowed,
  variablesIn,
} from '../../../actions/health-gate/src/smoke.js';
import { displayUrl } from '../../../actions/health-gate/src/text.js';
import { UserError } from '../../../lib/errors.js';
import { Inputs } from '../../../lib/inputs.js';
import { safeLogLine } from '../../../lib/untrusted.js';
import { SentryIssuesStandIn } from '../../standins/sentry-issues.js';

const exp = (over: Partial<Expectations> = {}): Expectations => ({
  statuses: parseExpectStatus('200', 'x'),
  conditions: [],
  versionPath: 'version',
  ...over,
});
const healthy = JSON.stringify({
  status: 'healthy',
  version: 'abc1234def5678',
  checks: { database: { status: 'ok', latency_ms: 3 } },
  items: [{ id: 1, ok: true }],
});

describe('expect-status', () => {
  test('numbers, lists, YAML lists and classes', () => {
    const m = parseExpectStatus('200, 204 3xx', 'x');
    assert.deepEqual(m, [
      { min: 200, max: 200 },
      { min: 204, max: 204 },
      { min: 300, max: 399 },
    ]);
    assert.deepEqual(parseExpectStatus([200, '201'], 'x').length, 2);
    assert.deepEqual(parseExpectStatus(201, 'x'), [{ min: 201, max: 201 }]);
  });

  test('anything else is a one-sentence config error naming the input', () => {
    assert.throws(
      () => parseExpectStatus('OK', 'Input "expect-status"'),
      /Input "expect-status" has "OK", which is not an HTTP status/,
    );
    assert.throws(() => parseExpectStatus('600', 'x'), UserError);
    assert.throws(() => parseExpectStatus('', 'x'), /is empty/);
  });
});

describe('JSON paths and conditions', () => {
  test('nested objects, array indexes, missing segments', () => {
    const json = JSON.parse(healthy);
    assert.deepEqual(readPath(json, 'checks.database.status'), { found: true, value: 'ok' });
    assert.deepEqual(readPath(json, 'items.0.id'), { found: true, value: 1 });
    assert.deepEqual(readPath(json, 'items.1.id'), { found: false });
    assert.deepEqual(readPath(json, 'checks.cache.status'), { found: false });
    assert.deepEqual(readPath(json, 'status.length'), { found: false });
    assert.deepEqual(readPath({ a: null }, 'a'), { found: true, value: null });
  });

  test('conditions split at the first "=" and must have a path', () => {
    assert.deepEqual(parseCondition('query=a=b', 'x'), { path: 'query', expected: 'a=b', text: 'query=a=b' });
    assert.throws(() => parseCondition('status', 'Input "expect-json"'), /not a path=value condition/);
    assert.throws(() => parseCondition('=ok', 'x'), UserError);
  });
});

describe('judgeResponse', () => {
  const conditions = ['status=healthy', 'checks.database.status=ok', 'items.0.id=1', 'items.0.ok=true'].map(
    (c) => parseCondition(c, 'x'),
  );

  test('expected status, every condition and the version → pass, with the observed version', () => {
    const j = judgeResponse(
      { status: 200, text: healthy },
      exp({ conditions, expectVersion: 'abc1234def5678' }),
    );
    assert.deepEqual(j, { outcome: 'pass', detail: 'answered 200', observedVersion: 'abc1234def5678' });
  });

  test('a wrong status fails whatever the body says', () => {
    const j = judgeResponse({ status: 503, text: healthy }, exp());
    assert.deepEqual(j, { outcome: 'fail', detail: 'answered 503, expected 200' });
    assert.equal(
      judgeResponse({ status: 204, text: '' }, exp({ statuses: parseExpectStatus('2xx', 'x') })).outcome,
      'pass',
    );
  });

  test('a condition mismatch names the path, the value seen and the expectation', () => {
    const body = JSON.stringify({ status: 'degraded', checks: { database: { status: 'down' } } });
    const j = judgeResponse({ status: 200, text: body }, exp({ conditions }));
    assert.equal(j.outcome, 'fail');
    assert.equal(j.detail, 'answered 200 but has status=degraded, expected healthy');
  });

  test('a missing path fails', () => {
    const j = judgeResponse({ status: 200, text: '{"status":"healthy"}' }, exp({ conditions }));
    assert.match(j.detail, /has no "checks.database.status" in its JSON/);
  });

  test('invalid JSON fails when conditions or a version need the body; status-only probes ignore it', () => {
    assert.deepEqual(judgeResponse({ status: 200, text: '<html>OK' }, exp({ conditions })), {
      outcome: 'fail',
      detail: 'answered 200 but the body is not JSON',
    });
    assert.equal(
      judgeResponse({ status: 200, text: '<html>OK' }, exp({ expectVersion: 'v2' })).outcome,
      'fail',
    );
    assert.equal(judgeResponse({ status: 200, text: '<html>OK' }, exp()).outcome, 'pass');
  });

  test('a healthy answer from another version is pending, with the version seen', () => {
    const j = judgeResponse({ status: 200, text: healthy }, exp({ conditions, expectVersion: 'fff9999' }));
    assert.equal(j.outcome, 'pending');
    assert.equal(j.observedVersion, 'abc1234def5678');
    assert.match(j.detail, /from version abc1234def5678, waiting for fff9999/);
  });

  test('an unhealthy answer from another version is pending, not a failure of the new deploy', () => {
    const body = JSON.stringify({ status: 'degraded', version: 'old' });
    assert.deepEqual(judgeResponse({ status: 200, text: body }, exp({ conditions, expectVersion: 'new' })), {
      outcome: 'pending',
      detail: 'answered 200 from version old, waiting for new',
      observedVersion: 'old',
    });
    const down = JSON.stringify({ status: 'starting', version: 'old' });
    assert.equal(
      judgeResponse({ status: 503, text: down }, exp({ conditions, expectVersion: 'new' })).outcome,
      'pending',
    );
  });

  test('a wrong answer without a readable version still fails with expect-version', () => {
    const e = exp({ conditions, expectVersion: 'new' });
    assert.deepEqual(judgeResponse({ status: 503, text: 'Service Unavailable' }, e), {
      outcome: 'fail',
      detail: 'answered 503, expected 200',
    });
    assert.equal(judgeResponse({ status: 503, text: '{"status":"down"}' }, e).outcome, 'fail');
    assert.equal(judgeResponse({ status: 200, text: '{"status":"degraded"}' }, e).outcome, 'fail');
    assert.equal(
      judgeResponse({ status: 200, text: '{"status":"degraded","version":null}' }, e).outcome,
      'fail',
    );
  });

  test('the new version answering wrongly fails, and reports the version it saw', () => {
    const e = exp({ conditions, expectVersion: 'new' });
    const j = judgeResponse({ status: 503, text: '{"status":"down","version":"new"}' }, e);
    assert.deepEqual(j, { outcome: 'fail', detail: 'answered 503, expected 200', observedVersion: 'new' });
    assert.equal(
      judgeResponse({ status: 200, text: '{"status":"degraded","version":"new"}' }, e).outcome,
      'fail',
    );
  });

  test('a healthy answer without a version is pending and points at version-path', () => {
    const j = judgeResponse(
      { status: 200, text: '{"status":"healthy"}' },
      exp({ expectVersion: 'v2', versionPath: 'build.sha' }),
    );
    assert.equal(j.outcome, 'pending');
    assert.match(j.detail, /without a version at "build.sha"/);
  });

  test('version-path reaches nested and numeric versions', () => {
    const body = JSON.stringify({ build: { sha: 'abcdef1234567890' }, n: 42 });
    assert.equal(
      judgeResponse({ status: 200, text: body }, exp({ expectVersion: 'abcdef1', versionPath: 'build.sha' }))
        .outcome,
      'pass',
    );
    assert.equal(
      judgeResponse({ status: 200, text: body }, exp({ expectVersion: '42', versionPath: 'n' })).outcome,
      'pass',
    );
  });

  test('versions match exactly or as a short SHA of at least 7 characters', () => {
    assert.ok(versionMatches('0123456', '0123456789abcdef0123456789abcdef01234567'));
    assert.ok(versionMatches('0123456789ABCDEF', '0123456789abcdef'));
    assert.ok(versionMatches('v1.2', 'v1.2'));
    assert.ok(!versionMatches('012345', '0123456789'));
    assert.ok(!versionMatches('v1.2', 'v1.20'));
    assert.ok(!versionMatches('0123457', '0123456789'));
  });
});

describe('smoke journey', () => {
  const journey = `
steps:
  - name: login
    method: POST
    path: /api/auth/login
    json: { email: "\${SMOKE_EMAIL}", password: "\${SMOKE_PASSWORD}" }
    expect-json: ["token_type=bearer"]
    capture: { token: access_token }
  - name: projects
    path: /api/projects
    headers: { authorization: "Bearer \${token}" }
    expect-status: [200, 304]
    capture: { project: 0.id }
  - name: decisions
    url: https://other.example.com/api/projects/\${project}/decisions
    headers: { authorization: "Bearer \${token}" }
`;
  const env = { SMOKE_EMAIL: 'smoke@example.com', SMOKE_PASSWORD: 'pw-123456' };

  test('parses the documented format with defaults (GET, 200)', () => {
    const steps = parseSmokeJourney(journey, 'smoke.yml', env);
    assert.equal(steps.length, 3);
    assert.equal(steps[0]?.method, 'POST');
    assert.deepEqual(steps[0]?.capture, { token: 'access_token' });
    assert.equal(steps[1]?.method, 'GET');
    assert.deepEqual(steps[1]?.expectStatus, [
      { min: 200, max: 200 },
      { min: 304, max: 304 },
    ]);
    assert.deepEqual(steps[2]?.expectStatus, [{ min: 200, max: 200 }]);
    assert.equal(steps[2]?.url, 'https://other.example.com/api/projects/${project}/decisions');
  });

  const serviceJourney = join(import.meta.dirname, '..', '..', '..', 'service', 'smoke.yml');
  test("the service's own journey (service/smoke.yml) parses with only SMOKE_EMAIL and SMOKE_PASSWORD set", () => {
    assert.ok(existsSync(serviceJourney), 'service/smoke.yml is missing');
    const steps = parseSmokeJourney(readFileSync(serviceJourney, 'utf8'), 'service/smoke.yml', {
      SMOKE_EMAIL: 'smoke@example.com',
      SMOKE_PASSWORD: 'pw',
    });
    assert.ok(steps.length >= 3);
    assert.ok(
      steps.some((s) => Object.keys(s.capture).length > 0),
      'it captures something (the token)',
    );
  });

  test('an unknown ${NAME} is a config error naming the step', () => {
    assert.throws(
      () => parseSmokeJourney(journey, 'smoke.yml', { SMOKE_EMAIL: 'x' }),
      /smoke-file smoke.yml step "login" uses \$\{SMOKE_PASSWORD\}, which no earlier step captures/,
    );
  });

  test('a capture is only known to later steps', () => {
    const text = 'steps:\n  - name: a\n    path: /x/${id}\n    capture: { id: id }\n';
    assert.throws(() => parseSmokeJourney(text, 'f.yml', {}), /step "a" uses \$\{id\}/);
  });

  test('shape errors are one sentence each', () => {
    const cases: Array<[string, RegExp]> = [
      ['steps: oops', /has no "steps:" list/],
      ['a: [', /is not valid YAML/],
      ['steps:\n  - path: /x', /step 1 has no "name"/],
      ['steps:\n  - name: a', /needs exactly one of "path"/],
      ['steps:\n  - name: a\n    path: /x\n    url: http://y', /needs exactly one of "path"/],
      ['steps:\n  - name: a\n    path: x', /must start with "\/"/],
      ['steps:\n  - name: a\n    url: /relative', /must be an absolute http/],
      ['steps:\n  - name: a\n    path: /x\n    expect_status: 200', /unknown key\(s\) expect_status/],
      ['steps:\n  - name: a\n    path: /x\n    method: FETCH', /method "FETCH"/],
      ['steps:\n  - name: a\n    path: /x\n    expect-json: status=ok', /"expect-json" must be a list/],
      ['steps:\n  - name: a\n    path: /x\n    expect-status: ok', /is not an HTTP status/],
      ['steps:\n  - name: a\n    path: /x\n    capture: [a]', /"capture" must be a mapping/],
    ];
    for (const [text, re] of cases) assert.throws(() => parseSmokeJourney(text, 'f.yml', {}), re, text);
  });

  test('substitution reaches nested JSON and leaves unknown names alone', () => {
    const vars = (n: string) => ({ a: 'A', b: 'B' })[n];
    assert.deepEqual(substitute({ x: ['${a}-${b}', 3, null], y: '${zz}' }, vars), {
      x: ['A-B', 3, null],
      y: '${zz}',
    });
    assert.deepEqual(variablesIn(['/p/${a}', { h: 'Bearer ${tok}' }, [{ q: '${a}' }]]).sort(), ['a', 'tok']);
  });

  test('secret captures: a name that looks secret, or a value a later step sends in headers or a body', () => {
    const steps = parseSmokeJourney(journey, 'smoke.yml', env);
    assert.deepEqual(
      steps.map((s) => s.secretCaptures),
      [['token'], [], []],
      'the project id is only used in a URL: not a secret',
    );
    const text = `steps:
  - name: a
    path: /a
    capture: { token: t, project: p, flag: f, session_id: s, csrf: c, Api_Key: k }
  - name: b
    path: /p/\${project}
    headers: { x-csrf: "\${csrf}" }
    json: { nested: ["\${flag}"] }
`;
    const [a, b] = parseSmokeJourney(text, 'f.yml', {});
    assert.deepEqual(a?.secretCaptures.sort(), ['Api_Key', 'csrf', 'flag', 'session_id', 'token']);
    assert.deepEqual(b?.secretCaptures, []);
    const seen: string[] = [];
    const body = {
      t: 'tok-0123456789',
      p: 'project-12345',
      f: 'short',
      s: 'sess-abcdefgh',
      c: 'csrf-abcdefgh',
      k: 1234567,
    };
    assert.equal(
      judgeStep(a!, 200, JSON.stringify(body), new Map(), (v) => seen.push(v)),
      undefined,
    );
    assert.deepEqual(
      seen.sort(),
      ['csrf-abcdefgh', 'sess-abcdefgh', 'tok-0123456789'],
      'secret captures of 8+ characters only: not the project id, not "short", not a 7-digit key',
    );
  });

  test('judgeStep checks status and conditions, then captures and reports each captured value as a secret', () => {
    const [login] = parseSmokeJourney(journey, 'smoke.yml', env);
    const captures = new Map<string, string>();
    const secrets: string[] = [];
    const body = JSON.stringify({ access_token: 'tok-secret-1', token_type: 'bearer' });
    assert.equal(
      judgeStep(login!, 200, body, captures, (s) => secrets.push(s)),
      undefined,
    );
    assert.equal(captures.get('token'), 'tok-secret-1');
    assert.deepEqual(secrets, ['tok-secret-1']);
    assert.deepEqual(
      secrets.filter((v) => v.length < 8),
      [],
    );
    assert.equal(judgeStep(login!, 401, body, new Map()), 'answered 401, expected 200');
    assert.match(
      judgeStep(login!, 200, '{"token_type":"mac"}', new Map()) ?? '',
      /token_type=mac, expected bearer/,
    );
    assert.match(
      judgeStep(login!, 200, '{"token_type":"bearer"}', new Map()) ?? '',
      /no "access_token" to capture as token/,
    );
    assert.match(judgeStep(login!, 200, 'nope', new Map()) ?? '', /not JSON/);
  });
});

describe('smoke journey reach (issue 21.2)', () => {
  const runnerEnv = {
    SMOKE_EMAIL: 'smoke@example.com',
    SMOKE_PASSWORD: 'pw-123456',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
    INPUT_HEADERS: 'Authorization: Bearer prod',
    GITHUB_TOKEN: 'ghs_x',
    DATABASE_URL: 'postgres://u:p@db/x',
  };
  const policy = { variables: ['SMOKE_*'], origin: 'https://app.example.com', otherOrigins: [] };
  const step = (line: string) => `steps:\n  - name: leak\n    method: POST\n    path: /x\n    ${line}\n`;

  test('${NAME} reaches only allowed variables, never the runner tokens, other inputs or other secrets', () => {
    for (const name of Object.keys(runnerEnv).filter((n) => !n.startsWith('SMOKE_'))) {
      assert.throws(
        () => parseSmokeJourney(step(`json: { v: "\${${name}}" }`), 'f.yml', runnerEnv, policy),
        new RegExp(
          `step "leak" uses \\$\\{${name}\\}, which no earlier step captures and smoke-variables does not allow`,
        ),
        name,
      );
    }
    assert.equal(
      parseSmokeJourney(step('json: { v: "${SMOKE_PASSWORD}" }'), 'f.yml', runnerEnv, policy).length,
      1,
    );
    assert.deepEqual(allowedEnv(runnerEnv, ['SMOKE_*']), {
      SMOKE_EMAIL: 'smoke@example.com',
      SMOKE_PASSWORD: 'pw-123456',
    });
    assert.deepEqual(Object.keys(allowedEnv(runnerEnv, ['SMOKE_EMAIL', 'DATABASE_URL'])), [
      'SMOKE_EMAIL',
      'DATABASE_URL',
    ]);
  });

  test('smoke-variables: names or PREFIX*; nothing that reaches ACTIONS_* or INPUT_*', () => {
    assert.deepEqual(parseVariablePatterns(['SMOKE_*', 'GITHUB_SHA'], 'x'), ['SMOKE_*', 'GITHUB_SHA']);
    for (const bad of ['*', 'A*', 'INPUT_*', 'ACTIONS_RUNTIME_TOKEN', 'IN*', 'SMOKE-X', '$X']) {
      assert.throws(
        () => parseVariablePatterns([bad], 'Input "smoke-variables"'),
        /Input "smoke-variables" has/,
        bad,
      );
    }
    assert.equal(variableAllowed('INPUT_HEADERS', ['INPUT_HEADERS']), false);
    assert.equal(variableAllowed('SMOKE_X', ['SMOKE_*']), true);
    assert.equal(variableAllowed('SMOKEX', ['SMOKE_*']), false);
  });

  test("a step may call the gate URL's origin, or an origin smoke-origins allows", () => {
    const evil = 'steps:\n  - name: exfil\n    url: https://attacker.example.net/c\n';
    assert.throws(
      () => parseSmokeJourney(evil, 'f.yml', {}, policy),
      /step "exfil" calls https:\/\/attacker\.example\.net, which is neither the gate URL's origin \(https:\/\/app\.example\.com\) nor in smoke-origins/,
    );
    const allowed = { ...policy, otherOrigins: ['https://attacker.example.net'] };
    assert.equal(parseSmokeJourney(evil, 'f.yml', {}, allowed).length, 1);
    assert.equal(allowedOrigin('https://app.example.com/api?x=1', policy), 'https://app.example.com');
    assert.equal(allowedOrigin('https://app.example.com.evil.net/', policy), undefined);
    assert.equal(allowedOrigin('https://app.example.com@evil.net/', policy), undefined);
    assert.equal(
      allowedOrigin('http://app.example.com/', policy),
      undefined,
      'another scheme is another origin',
    );
    assert.deepEqual(parseOrigins(['https://auth.example.com', 'http://x:8080/'], 'x'), [
      'https://auth.example.com',
      'http://x:8080',
    ]);
    assert.throws(
      () => parseOrigins(['https://auth.example.com/path'], 'Input "smoke-origins"'),
      /is not an origin/,
    );
  });
});

describe('remote text and URLs in logs (issues 21.7, 21.9)', () => {
  test('control characters in a version or JSON value cannot start a workflow command line', () => {
    const forged = 'x\n::error title=Deploy approved::all good\r\n::add-mask::y';
    assert.equal(safeLogLine(forged).includes('\n'), false);
    assert.equal(safeLogLine(forged).includes('\r'), false);
    assert.equal(safeLogLine('a\u2028b\u0085c\u001b[31md'), 'a b cd');
    // A legacy `##[` command anywhere in a value is broken too.
    assert.doesNotMatch(safeLogLine('v1 ##[error]forged'), /##\[/);
    const judged = judgeResponse(
      { status: 200, text: JSON.stringify({ status: forged, version: forged }) },
      exp({ conditions: [parseCondition('status=healthy', 'x')], expectVersion: 'abc1234def' }),
    );
    assert.doesNotMatch(judged.detail, /[\r\n]/);
    assert.doesNotMatch(judged.observedVersion ?? '', /[\r\n]/);
    const legacy = judgeResponse(
      { status: 200, text: JSON.stringify({ status: '##[error]x', version: '##[error]forged' }) },
      exp({ conditions: [parseCondition('status=healthy', 'x')], expectVersion: 'abc1234def' }),
    );
    assert.doesNotMatch(`${legacy.detail} ${legacy.observedVersion}`, /##\[/);
  });

  test('URLs are shown as origin + path: a credential in the query under any name is never shown', () => {
    assert.equal(
      displayUrl('https://user:pw@app.example.com:8443/health?auth=s3cr3t&x=1#frag'),
      'https://app.example.com:8443/health',
    );
  });
});

describe('Sentry rules', () => {
  const cfg = {
    baseUrl: 'https://sentry.io/',
    token: 't',
    org: 'acme',
    project: 'decisionlog',
    release: 'decisionlog@1.2.3',
  };

  test('sentry-url as the root, the API URL or a self-hosted prefix: the same issues endpoint', () => {
    for (const [baseUrl, want] of [
      ['https://sentry.example.com/api/0', 'https://sentry.example.com/api/0/organizations/acme/issues/'],
      ['https://sentry.example.com/api/0/', 'https://sentry.example.com/api/0/organizations/acme/issues/'],
      ['https://x.example.com/sentry/', 'https://x.example.com/sentry/api/0/organizations/acme/issues/'],
    ] as const) {
      const url = new URL(issuesUrl({ ...cfg, baseUrl }));
      assert.equal(url.origin + url.pathname, want, baseUrl);
    }
  });

  test('the organization issues endpoint (not the deprecated project one), projects as filters', () => {
    const url = new URL(issuesUrl(cfg, '0:100:0', ['decisionlog', 'decisionlog-web']));
    assert.equal(url.origin + url.pathname, 'https://sentry.io/api/0/organizations/acme/issues/');
    assert.deepEqual(url.searchParams.getAll('project'), ['decisionlog', 'decisionlog-web']);
    assert.equal(url.searchParams.get('query'), 'firstRelease:"decisionlog@1.2.3"');
    assert.equal(url.searchParams.get('cursor'), '0:100:0');
  });

  test('Link header: follow next only when results="true"', () => {
    const link = (more: boolean) =>
      `<https://x/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://x/?cursor=0:100:0>; rel="next"; results="${more}"; cursor="0:100:0"`;
    assert.equal(nextCursor(link(true)), '0:100:0');
    assert.equal(nextCursor(link(false)), undefined);
    assert.equal(nextCursor(undefined), undefined);
  });

  test('401/403/404 each say what to change', () => {
    assert.match(
      sentryErrorSentence(401, '{"detail":"Invalid token"}', cfg),
      /rejected sentry-auth-token \(401: Invalid token\).*event:read scope/,
    );
    assert.match(sentryErrorSentence(403, '{"detail":"no"}', cfg), /403.*event:read scope.*sentry-project/);
    assert.match(sentryErrorSentence(404, '', cfg), /no organization "acme".*check sentry-org/);
    assert.match(sentryErrorSentence(500, 'boom', cfg), /answered 500.*\(boom\)/);
  });
});

describe('countNewIssuesAcross against the Sentry issues stand-in', () => {
  const sentry = new SentryIssuesStandIn();
  beforeAll(() => sentry.start());
  afterAll(() => sentry.stop());
  const cfg = () => ({
    baseUrl: sentry.url,
    token: sentry.token,
    org: 'acme',
    project: 'decisionlog',
    release: 'rel-7',
  });

  test('counts only issues first seen in the release, across pages', async () => {
    sentry.pageSize = 2;
    sentry.addIssues('rel-6', 4);
    sentry.addIssues('rel-7', 5);
    const f = await countNewIssuesAcross(cfg(), [cfg().project]);
    assert.equal(f.count, 5);
    assert.equal(f.more, false);
    assert.ok(f.issues.every((i) => i.shortId.startsWith('DECISIONLOG-')));
    assert.equal(sentry.calls('GET', '/api/0/organizations/acme/issues/').length, 3);
    assert.deepEqual(sentry.requests[0]?.query.getAll('project'), ['decisionlog']);
    assert.equal(sentry.requests[0]?.headers.authorization, `Bearer ${sentry.token}`);
  });

  test('401, 403 and 404 become UserErrors', async () => {
    await assert.rejects(
      countNewIssuesAcross({ ...cfg(), token: 'wrong' }, [cfg().project]),
      (e: Error) => e instanceof UserError && /401/.test(e.message),
    );
    await assert.rejects(
      countNewIssuesAcross({ ...cfg(), token: sentry.scopelessToken }, [cfg().project]),
      /403/,
    );
    await assert.rejects(
      countNewIssuesAcross({ ...cfg(), project: 'nope' }, ['nope']),
      /403.*check that sentry-project/,
    );
    await assert.rejects(
      countNewIssuesAcross({ ...cfg(), org: 'nope' }, [cfg().project]),
      /no organization "nope"/,
    );
  });
});

const policy: GatePolicy = {
  successThreshold: 3,
  failureLimit: 4,
  consecutiveErrorLimit: 2,
  inconclusiveLimit: 4,
  bakeMs: 0,
  deadlineMs: 60_000,
};

describe('report', () => {
  const p = (outcome: ProbeResult['outcome'], over: Partial<ProbeResult> = {}): ProbeResult => ({
    target: 'http://svc/health',
    kind: 'url',
    outcome,
    latencyMs: 12,
    answered: outcome !== 'error',
    detail: outcome === 'fail' ? 'answered 503, expected 200' : 'answered 200',
    status: outcome === 'fail' ? 503 : 200,
    ...over,
  });
  const rounds: Round[] = [
    {
      index: 1,
      startedAtMs: 0,
      endedAtMs: 20,
      probes: [p('pending', { latencyMs: 900 }), p('pass', { target: 'http://svc/ready' })],
    },
    {
      index: 2,
      startedAtMs: 100,
      endedAtMs: 120,
      probes: [
        p('fail', {
          latencyMs: 30,
          body: '{"error":"db down","access_token":"abc.def","auth":"Bearer xyz123"} SECRETVALUE',
        }),
        p('error', { target: 'http://svc/ready', latencyMs: 300 }),
      ],
    },
    {
      index: 3,
      startedAtMs: 200,
      endedAtMs: 220,
      probes: [p('pass'), p('pass', { target: 'http://svc/ready' })],
    },
  ];

  test('per-target stats count each outcome; latency percentiles skip pending and unanswered probes', () => {
    const [health, ready] = targetStats(rounds);
    assert.deepEqual(health, {
      target: 'http://svc/health',
      probes: 3,
      passes: 1,
      failures: 1,
      errors: 0,
      pending: 1,
      p50: 12,
      p95: 30,
      p99: 30,
    });
    assert.deepEqual(ready, {
      target: 'http://svc/ready',
      probes: 3,
      passes: 2,
      failures: 0,
      errors: 1,
      pending: 0,
      p50: 12,
      p95: 12,
      p99: 12,
    });
  });

  test('the first failing response is the earliest failed round, preferring an answer over an error', () => {
    assert.equal(firstFailure(rounds)?.round, 2);
    assert.equal(firstFailure(rounds)?.probe.status, 503);
    assert.equal(firstFailure(rounds.slice(0, 1)), undefined);
  });

  test('secret-looking JSON fields and bearer tokens are scrubbed from bodies', () => {
    assert.equal(
      scrubBody('{"access_token": "a.b.c", "password":"p\\"w", "name":"x"} Authorization: Bearer abc.def'),
      '{"access_token": "***", "password":"***", "name":"x"} Authorization: Bearer ***',
    );
  });

  test('verdict first, table, Mermaid chart, first failing response scrubbed, Sentry findings', () => {
    const md = buildReport({
      decision: {
        verdict: 'unhealthy',
        reason: 'It broke.',
        check: 'http://svc/health',
        limit: 'failure-limit',
        checks: analyse(rounds, policy).checks,
      },
      rounds,
      elapsedMs: 2300,
      settings: {
        ...policy,
        intervalMs: 100,
        timeoutMs: 300,
        maxP95Ms: 200,
        expectVersion: 'abc1234',
      },
      observedVersion: 'old9999',
      sentry: {
        finding: {
          release: 'abc1234',
          count: 1,
          more: false,
          issues: [{ shortId: 'DL-1', title: 'Boom | bang', permalink: 'https://s/1', count: '4' }],
        },
        maxNewIssues: 0,
        project: 'acme/decisionlog',
      },
      runUrl: 'https://github.com/acme/decisionlog/actions/runs/1',
      scrub: (t) => t.replaceAll('SECRETVALUE', '***'),
    });
    const lines = md.split('\n');
    assert.equal(lines[0], MARKER);
    assert.equal(lines[1], '## ❌ Health gate: unhealthy');
    assert.equal(lines[3], 'It broke.');
    assert.match(md, /expects version `abc1234`, saw `old9999`/);
    assert.equal(lines[5], 'Decided by **failure-limit** on http://svc/health.');
    assert.match(md, /failure-limit 4, consecutive-error-limit 2, inconclusive-limit 4/);
    assert.match(
      md,
      /\| check \| phase \| successful \| failed \| errors \| inconclusive \| pending \| successes in a row \| errors in a row \| p50 ms \| p95 ms \| p99 ms \|/,
    );
    assert.match(
      md,
      /\| http:\/\/svc\/health \| running \| 1 \| 1 \| 0 \| 0 \| 1 \| 1 \| 0 \| 12 \| 30 \| 30 \|/,
    );
    assert.match(
      md,
      /\| http:\/\/svc\/ready \| running \| 2 \| 0 \| 1 \| 0 \| 0 \| 1 \| 0 \| 12 \| 12 \| 12 \|/,
    );
    assert.match(
      md,
      /```mermaid\nxychart-beta\n.*\n {2}x-axis "round" \[1, 2, 3\]\n {2}y-axis "ms" 0 --> \d+\n {2}line \[900, 300, 12\]\n```/,
    );
    assert.match(md, /Round 2: http:\/\/svc\/health answered 503, expected 200 \(HTTP 503\)\./);
    assert.match(md, /"access_token":"\*\*\*"/);
    assert.doesNotMatch(md, /abc\.def|xyz123|SECRETVALUE/);
    assert.match(md, /1 new issue first seen in release `abc1234` of acme\/decisionlog \(budget: 0\)/);
    assert.match(md, /\[DL-1\]\(https:\/\/s\/1\) \| Boom \\\| bang \| 4/);
  });

  test('the chart keeps at most about 100 points and always the last round', () => {
    const many: Round[] = Array.from({ length: 250 }, (_, i) => ({
      index: i + 1,
      startedAtMs: 0,
      endedAtMs: 0,
      probes: [p('pass')],
    }));
    const chart = latencyChart(many);
    const xs = /x-axis "round" \[([^\]]*)\]/.exec(chart)?.[1]?.split(', ') ?? [];
    assert.ok(xs.length <= 101, String(xs.length));
    assert.equal(xs.at(-1), '250');
  });
});

describe('config', () => {
  const inputs = (values: Record<string, string>) => new Inputs((name) => values[name] ?? '');
  const base = { url: 'http://127.0.0.1:1/health' };

  test('defaults', () => {
    const c = readConfig(inputs(base), {}, '/');
    assert.equal(c.intervalMs, 5000);
    assert.equal(c.timeoutMs, 5000);
    assert.equal(c.deadlineMs, 300_000);
    assert.equal(c.successThreshold, 3);
    assert.equal(c.failureLimit, 4);
    assert.equal(c.consecutiveErrorLimit, 2);
    assert.equal(c.inconclusiveLimit, 4);
    assert.equal(c.bakeMs, 120_000);
    assert.equal(c.maxP95Ms, undefined);
    assert.equal(c.sentry, undefined);
    assert.equal(c.failOnUnhealthy, true);
    assert.equal(c.comment, true);
    assert.equal(c.expectations.versionPath, 'version');
  });

  test('bad inputs fail with one sentence naming the input', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /Input "url" is required/],
      [{ url: 'ftp://x' }, /Input "url" line 1 must be an http/],
      [{ ...base, interval: 'soon' }, /Input "interval" "soon" is not a duration/],
      [{ ...base, 'success-threshold': '0' }, /"success-threshold" must be at least 1/],
      [{ ...base, deadline: '1s', 'initial-delay': '2s' }, /"deadline" must be longer than "initial-delay"/],
      [{ ...base, 'expect-json': 'status' }, /not a path=value condition/],
      [
        { ...base, 'sentry-auth-token': 'tok' },
        /needs sentry-org, sentry-project, sentry-release \(or expect-version\)/,
      ],
      [{ ...base, 'smoke-file': 'does/not/exist.yml' }, /smoke-file does\/not\/exist.yml could not be read/],
      [{ ...base, 'max-p95-ms': 'fast' }, /"max-p95-ms" must be a number/],
      [{ ...base, 'failure-limit': '-1' }, /"failure-limit" must be at least 0/],
      [{ ...base, 'bake-time': 'long' }, /Input "bake-time" "long" is not a duration/],
    ];
    for (const [values, re] of cases) assert.throws(() => readConfig(inputs(values), {}, '/'), re);
  });

  test('failure-threshold N (the old consecutive count) maps to failure-limit and consecutive-error-limit N-1', () => {
    const c = readConfig(inputs({ ...base, 'failure-threshold': '4' }), {}, '/');
    assert.deepEqual([c.failureLimit, c.consecutiveErrorLimit], [3, 3]);
    const both = readConfig(
      inputs({ ...base, 'failure-threshold': '4', 'failure-limit': '7', 'consecutive-error-limit': '1' }),
      {},
      '/',
    );
    assert.deepEqual([both.failureLimit, both.consecutiveErrorLimit], [7, 1], 'the new inputs win');
  });

  test('an empty failure-limit grows with the planned rounds: 4 up to 40 rounds, then one per 10', () => {
    assert.equal(defaultFailureLimit(3, 120_000, 5000), 4, '2m bake at 5s: 27 rounds');
    assert.equal(defaultFailureLimit(3, 0, 5000), 4);
    assert.equal(defaultFailureLimit(3, 300_000, 5000), 7, '5m bake at 5s: 63 rounds');
    assert.equal(defaultFailureLimit(3, 120_000, 2000), 7, '2m bake at 2s: 63 rounds');
    const c = readConfig(inputs({ ...base, 'bake-time': '5m', deadline: '10m' }), {}, '/');
    assert.equal(c.failureLimit, 7);
    assert.equal(
      readConfig(inputs({ ...base, 'bake-time': '5m', deadline: '10m', 'failure-limit': '2' }), {}, '/')
        .failureLimit,
      2,
    );
  });

  test('bake-time must leave room in the deadline', () => {
    assert.throws(
      () => readConfig(inputs({ ...base, 'bake-time': '5m' }), {}, '/'),
      /^UserError: Input "deadline" \(5m00s\) leaves no time to reach the success streak before the 5m00s bake-time: raise deadline, or shorten bake-time\.$/,
    );
    assert.equal(readConfig(inputs({ ...base, 'bake-time': '0s' }), {}, '/').bakeMs, 0);
  });

  test('sentry-release defaults to expect-version', () => {
    const c = readConfig(
      inputs({
        ...base,
        'sentry-auth-token': 't',
        'sentry-org': 'o',
        'sentry-project': 'p',
        'expect-version': 'abc',
        'max-new-issues': '2',
      }),
      {},
      '/',
    );
    assert.equal(c.sentry?.release, 'abc');
    assert.equal(c.sentry?.baseUrl, 'https://sentry.io');
    assert.equal(c.sentry?.maxNewIssues, 2);
  });

  test('the smoke file is read relative to the workspace and validated against the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-config-'));
    writeFileSync(join(dir, 'smoke.yml'), 'steps:\n  - name: list\n    path: /api/projects?key=${API_KEY}\n');
    const allowing = { ...base, 'smoke-file': 'smoke.yml', 'smoke-variables': 'SMOKE_*\nAPI_KEY' };
    assert.equal(readConfig(inputs(allowing), { API_KEY: 'k' }, dir).smoke?.steps.length, 1);
    assert.throws(
      () => readConfig(inputs(allowing), {}, dir),
      /step "list" uses \$\{API_KEY\}, which no earlier step captures and the environment does not set/,
    );
    assert.throws(
      () => readConfig(inputs({ ...base, 'smoke-file': 'smoke.yml' }), { API_KEY: 'k' }, dir),
      /step "list" uses \$\{API_KEY\}, which no earlier step captures and smoke-variables does not allow/,
    );
  });

  test('headers: Name: value lines; a bad line is reported by number, never echoed', () => {
    assert.deepEqual(parseHeaders('Authorization: Bearer a:b\n\nX-Env:  prod \n# comment'), {
      authorization: 'Bearer a:b',
      'x-env': 'prod',
    });
    assert.throws(
      () => parseHeaders('X-Ok: 1\nBearer supersecret'),
      (e: Error) => /line 2 is not "Name: value"/.test(e.message) && !e.message.includes('supersecret'),
    );
  });
});
