/** lib/duration.ts: durations as people write and read them. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { formatDuration, parseDuration } from '../../lib/duration.js';
import { UserError } from '../../lib/errors.js';

describe('durations', () => {
  test('parses the forms people write', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('15'), 15_000);
    assert.equal(parseDuration('0.5s'), 500);
  });
  test('rejects anything else with the input named', () => {
    assert.throws(
      () => parseDuration('5 minutes', 'Input "deadline"'),
      /Input "deadline" "5 minutes" is not a duration/,
    );
    assert.throws(() => parseDuration('', 'x'), UserError);
    assert.throws(() => parseDuration('5s!'), UserError);
  });
  test('formats for people', () => {
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(4200), '4.2s');
    assert.equal(formatDuration(185_000), '3m05s');
  });
});
