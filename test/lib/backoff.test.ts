/** lib/backoff.ts: exponential backoff with jitter. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { backoffMs } from '../../lib/backoff.js';

describe('backoff', () => {
  test('backoff doubles per attempt, stays within [ceiling/2, ceiling], and is capped', () => {
    assert.equal(
      backoffMs(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      backoffMs(1, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(3, 1000, 60_000, () => 1),
      4000,
    );
    assert.equal(
      backoffMs(20, 1000, 60_000, () => 1),
      60_000,
    );
    assert.equal(
      backoffMs(2, 0, 0, () => 1),
      0,
    );
  });
});
