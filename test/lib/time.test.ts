// lib/time.ts: one parser for instants given as input text (slack-notify and sentry-release started-at).
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { UserError } from '../../lib/errors.js';
import { parseInstant } from '../../lib/time.js';

const at = (text: string) => parseInstant(text, 'started-at').toISOString();

describe('parseInstant', () => {
  test('ISO 8601 with Z, an offset (hh:mm, hhmm, hh), a fraction, or a space for T', () => {
    assert.equal(at('2025-03-01T12:00:00Z'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('2025-03-01T14:00:00+02:00'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('2025-03-01T14:00:00+0200'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('2025-03-01T07:00:00-05'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('2025-03-01T12:00:00.250Z'), '2025-03-01T12:00:00.250Z');
    assert.equal(at('2025-03-01 12:00:00Z'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('2025-03-01T12:00Z'), '2025-03-01T12:00:00.000Z');
  });

  test('a time without a zone and a date alone are UTC, whatever the machine zone', () => {
    assert.equal(at('2025-03-01T12:00:00'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('2025-03-01'), '2025-03-01T00:00:00.000Z');
  });

  test('Unix seconds (date +%s), with a fraction, and milliseconds (Date.now())', () => {
    assert.equal(at('1740830400'), '2025-03-01T12:00:00.000Z');
    assert.equal(at('1740830400.5'), '2025-03-01T12:00:00.500Z');
    assert.equal(at('1740830400123'), '2025-03-01T12:00:00.123Z');
    assert.equal(parseInstant(' 1740830400 ', 'x').getTime(), 1_740_830_400_000);
  });

  test('anything else is one UserError sentence naming the input and the accepted forms', () => {
    for (const bad of [
      'soon',
      'yesterday',
      '',
      '2025-02-30T00:00:00Z',
      '2025-13-01',
      '2025-03-01T25:00:00Z',
      '03/01/2025',
      'Sat, 01 Mar 2025 12:00:00 GMT',
      '-5',
      '1e9',
    ]) {
      assert.throws(
        () => parseInstant(bad, 'started-at'),
        (err: unknown) =>
          err instanceof UserError &&
          err.message ===
            `Input "started-at" is "${bad}", which is not a time: use an ISO 8601 time (2025-01-31T12:00:00Z) or Unix seconds (date +%s).`,
        bad,
      );
    }
  });
});
