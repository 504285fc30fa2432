/** service/src/pagination.ts: opaque cursors. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { decodeCursor, encodeCursor } from '../../service/src/pagination.js';

describe('cursors', () => {
  test('cursors round-trip and reject anything we did not issue', () => {
    const c = { createdAt: '2026-01-01T00:00:00.123456Z', id: '0b7e8c9a-1234-4abc-8def-0123456789ab' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    for (const bad of [
      '',
      'x',
      "' OR 1=1",
      Buffer.from('["2026-01-01", "x"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      assert.equal(decodeCursor(bad), undefined, bad);
    }
  });
});
