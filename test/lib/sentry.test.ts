// lib/sentry.ts: one reading of sentry-url (root, API URL, self-hosted prefix) and of Sentry's error bodies.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { detailOf, sentryApiBase, sentryBase } from '../../lib/sentry.js';

describe('sentryApiBase / sentryBase', () => {
  test('sentry.io, with or without a trailing slash or the API path, reaches https://sentry.io/api/0', () => {
    for (const url of [
      'https://sentry.io',
      'https://sentry.io/',
      'https://sentry.io//',
      'https://sentry.io/api/0',
      'https://sentry.io/api/0/',
      'https://sentry.io/api/',
      ' https://sentry.io/api/0/ ',
    ]) {
      assert.equal(sentryApiBase(url), 'https://sentry.io/api/0', url);
      assert.equal(sentryBase(url), 'https://sentry.io', url);
    }
  });

  test('self-hosted: the origin and port are kept, and so is a path prefix', () => {
    assert.equal(sentryApiBase('https://sentry.example.com/api/0'), 'https://sentry.example.com/api/0');
    assert.equal(sentryApiBase('http://127.0.0.1:9000/'), 'http://127.0.0.1:9000/api/0');
    assert.equal(sentryApiBase('https://tools.example.com/sentry'), 'https://tools.example.com/sentry/api/0');
    assert.equal(
      sentryApiBase('https://tools.example.com/sentry/api/0/'),
      'https://tools.example.com/sentry/api/0',
    );
    assert.equal(sentryBase('https://tools.example.com/sentry/'), 'https://tools.example.com/sentry');
  });

  test('query and fragment are dropped (they are not part of the API root)', () => {
    assert.equal(sentryApiBase('https://sentry.io/?x=1#y'), 'https://sentry.io/api/0');
  });
});

describe('detailOf', () => {
  test('{"detail": "…"} and {"detail": {"message": "…"}}', () => {
    assert.equal(detailOf('{"detail":"Invalid token"}'), 'Invalid token');
    assert.equal(
      detailOf('{"detail":{"code":"x","message":"Organization is disabled"}}'),
      'Organization is disabled',
    );
  });

  test('field errors become "field: message" pairs', () => {
    assert.equal(
      detailOf('{"projects":["Invalid project slugs"],"version":["This field is required."]}'),
      'projects: Invalid project slugs; version: This field is required.',
    );
  });

  test('not JSON: the text, flattened and cut; empty: an empty string', () => {
    assert.equal(detailOf('<html>\n  Bad Gateway\n</html>'), '<html> Bad Gateway </html>');
    assert.equal(detailOf('x'.repeat(300), 50), `${'x'.repeat(50)}…`);
    assert.equal(detailOf(''), '');
    assert.equal(detailOf('  \n'), '');
    assert.equal(detailOf('["a"]'), '["a"]');
  });
});
