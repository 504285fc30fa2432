/** sentry-release sentry.ts: one sentence per Sentry failure. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { sentryErrorSentence } from '../../../actions/sentry-release/src/sentry.js';

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
