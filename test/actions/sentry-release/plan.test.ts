import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { readConfig } from '../../../actions/sentry-release/src/config.js';
import {
  createBody,
  deployBody,
  releasePath,
  releaseUpdate,
  releaseUrl,
} from '../../../actions/sentry-release/src/plan.js';
import { sentryErrorSentence } from '../../../actions/sentry-release/src/sentry.js';
import { Inputs } from '../../../lib/inputs.js';

const inputs = (values: Record<string, string>) => new Inputs((name) => values[name] ?? '');
const minimal = { 'auth-token': 'tok', org: 'acme', projects: 'api web', release: '1.4.2' };
const config = (extra: Record<string, string> = {}) => readConfig(inputs({ ...minimal, ...extra }), {});
const now = new Date('2025-03-01T12:00:00Z');

describe('readConfig', () => {
  test('splits projects, normalises the base URL, builds refs only with a repository', () => {
    const c = config({
      url: 'https://sentry.example.com/api/0/',
      repository: 'acme/decisionlog',
      commit: 'abc',
    });
    assert.deepEqual(c.projects, ['api', 'web']);
    assert.equal(c.baseUrl, 'https://sentry.example.com');
    assert.deepEqual(c.refs, [{ repository: 'acme/decisionlog', commit: 'abc' }]);
    assert.equal(config({ commit: 'abc' }).refs, undefined);
    assert.deepEqual(config({ repository: 'r', commit: 'b', 'previous-commit': 'a' }).refs, [
      { repository: 'r', commit: 'b', previousCommit: 'a' },
    ]);
    assert.equal(config().baseUrl, 'https://sentry.io');
    assert.equal(config({ 'started-at': '1740830400' }).startedAt, '2025-03-01T12:00:00.000Z');
  });

  test('url: the root, the API URL or a self-hosted prefix all give the web root (lib/sentry.ts)', () => {
    for (const [url, want] of [
      ['https://sentry.example.com/', 'https://sentry.example.com'],
      ['https://sentry.example.com/api/0', 'https://sentry.example.com'],
      ['https://tools.example.com/sentry/api/0/', 'https://tools.example.com/sentry'],
      ['https://tools.example.com/sentry', 'https://tools.example.com/sentry'],
    ]) {
      assert.equal(config({ url: url as string }).baseUrl, want, url);
    }
  });

  test('started-at: ISO 8601 with an offset or Unix milliseconds, as ISO for Sentry (lib/time.ts)', () => {
    assert.equal(config({ 'started-at': '2025-03-01T14:00:00+02:00' }).startedAt, '2025-03-01T12:00:00.000Z');
    assert.equal(config({ 'started-at': '1740830400123' }).startedAt, '2025-03-01T12:00:00.123Z');
    assert.throws(
      () => config({ 'started-at': 'soon' }),
      /^UserError: Input "started-at" is "soon", which is not a time: use an ISO 8601 time \(2025-01-31T12:00:00Z\) or Unix seconds \(date \+%s\)\.$/,
    );
  });

  test('release defaults to GITHUB_SHA', () => {
    const { release: _r, ...rest } = minimal;
    assert.equal(readConfig(inputs(rest), { GITHUB_SHA: 'deadbeef' }).release, 'deadbeef');
  });

  test('bad inputs fail with one sentence each', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'auth-token': '' }, /"auth-token" is required/],
      [{ org: '' }, /"org" is required/],
      [{ projects: ' ' }, /"projects" is required/],
      [{ release: 'feature/x' }, /not a valid Sentry version/],
      [{ release: 'latest' }, /not a valid Sentry version/],
      [{ url: 'sentry.example.com' }, /not a valid URL/],
      [{ finalize: 'yes' }, /true or false/],
      [{ 'started-at': 'soon' }, /not a time/],
    ];
    for (const [extra, re] of cases) assert.throws(() => config(extra), re, JSON.stringify(extra));
  });
});

describe('release plan', () => {
  test('create body carries projects, refs and, when finalizing, dateReleased', () => {
    assert.deepEqual(createBody(config(), now), {
      version: '1.4.2',
      projects: ['api', 'web'],
      dateReleased: '2025-03-01T12:00:00.000Z',
    });
    assert.deepEqual(createBody(config({ finalize: 'false', repository: 'r', commit: 'c' }), now), {
      version: '1.4.2',
      projects: ['api', 'web'],
      refs: [{ repository: 'r', commit: 'c' }],
    });
  });

  test('an unreleased release is finalized; a released one keeps its date; finalize=false never touches it', () => {
    assert.deepEqual(releaseUpdate(config(), { version: '1.4.2', dateReleased: null }, now), {
      dateReleased: '2025-03-01T12:00:00.000Z',
    });
    assert.equal(
      releaseUpdate(config(), { version: '1.4.2', dateReleased: '2025-02-01T00:00:00Z' }, now),
      undefined,
    );
    assert.equal(
      releaseUpdate(config({ finalize: 'false' }), { version: '1.4.2', dateReleased: null }, now),
      undefined,
    );
  });

  test('deploy body', () => {
    const c = config({
      'deploy-name': 'run 7',
      'deploy-url': 'https://x.test',
      'started-at': '2025-03-01T11:58:00Z',
    });
    assert.deepEqual(deployBody(c, 'production', now), {
      environment: 'production',
      projects: ['api', 'web'],
      name: 'run 7',
      url: 'https://x.test',
      dateStarted: '2025-03-01T11:58:00.000Z',
      dateFinished: '2025-03-01T12:00:00.000Z',
    });
  });

  test('paths and links encode the version', () => {
    assert.equal(releasePath('acme', '1.0+build 5'), '/api/0/organizations/acme/releases/1.0%2Bbuild%205/');
    assert.equal(
      releaseUrl('https://sentry.io', 'acme', 'v1'),
      'https://sentry.io/organizations/acme/releases/v1/',
    );
  });
});

describe('sentryErrorSentence', () => {
  const ctx = { what: 'create release v1', org: 'acme', projects: ['api'], baseUrl: 'https://sentry.io' };
  const say = (status: number, text: string) => sentryErrorSentence({ status, text, attempts: 4 }, ctx);
  test('names the scope, the org, the project or the repository', () => {
    assert.match(
      say(401, '{"detail":"Invalid token"}'),
      /HTTP 401: Invalid token.*project:releases and org:read/,
    );
    assert.match(say(403, '{"detail":"You do not have permission"}'), /lacks the project:releases scope/);
    assert.match(
      say(404, '{"detail":"The requested resource does not exist"}'),
      /no organization "acme".*url input/,
    );
    assert.match(say(400, '{"projects":["Invalid project slugs"]}'), /no project "api"/);
    assert.match(
      say(400, '{"refs":["Invalid repository names: x/y"]}'),
      /refs: Invalid repository names: x\/y.*GitHub integration/,
    );
    assert.match(say(502, 'Bad Gateway'), /HTTP 502: Bad Gateway\) after 4 attempts.*status\.sentry\.io/);
    assert.match(say(429, ''), /rate limiting/);
    assert.match(
      say(403, '{"detail":{"code":"org-disabled","message":"Organization is disabled"}}'),
      /HTTP 403: Organization is disabled\)/,
    );
  });
});
