/** sentry-release config.ts: every input read and checked before Sentry is called. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { readConfig } from '../../../actions/sentry-release/src/config.js';
import { inputsFrom } from '../../harness/io.js';

const minimal = { 'auth-token': 'tok', org: 'acme', projects: 'api web', release: '1.4.2' };
const config = (extra: Record<string, string> = {}) => readConfig(inputsFrom({ ...minimal, ...extra }), {});

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
    assert.equal(readConfig(inputsFrom(rest), { GITHUB_SHA: 'deadbeef' }).release, 'deadbeef');
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
