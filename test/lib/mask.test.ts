/** lib/mask.ts: secrets, the parts of them that leak on their own, scrubbing. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { Secrets, secretParts } from '../../lib/mask.js';

describe('secrets', () => {
  test('URL secrets register the whole URL and the password, decoded too', () => {
    const parts = secretParts('postgres://app:p%40ss%2Fword@db.example.com:5432/app?sslmode=require');
    assert.ok(parts.includes('p%40ss%2Fword'));
    assert.ok(parts.includes('p@ss/word'));
  });
  test('webhook URLs register their path', () => {
    assert.ok(
      secretParts('https://hooks.slack.com/services/T000/B000/XXXXXXXX').includes(
        '/services/T000/B000/XXXXXXXX',
      ),
    );
  });
  test('scrub replaces every registered value and tells the runner once', () => {
    const masked: string[] = [];
    const s = new Secrets((v) => masked.push(v));
    s.register('tok_123456');
    s.register('tok_123456');
    s.register('ab'); // too short to mask meaningfully
    assert.deepEqual(masked, ['tok_123456']);
    assert.equal(s.scrub('Bearer tok_123456 failed'), 'Bearer *** failed');
  });
});
