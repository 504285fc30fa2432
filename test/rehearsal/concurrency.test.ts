// Two services deploy to one environment side by side; two deploys of one service queue — three
// runs of the caller template through the executor's concurrency model (see concurrency.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { rehearseConcurrency } from './concurrency.js';

describe('deploy concurrency across services', () => {
  test('api and worker deploy side by side; the second deploy of api waits for the first', {
    timeout: 400_000,
  }, async () => {
    const r = await rehearseConcurrency();
    assert.ok(r.ok, r.lines.join('\n'));
    const groups = new Set(r.ledger.events.filter((e) => !e.who.includes('/')).map((e) => e.group));
    assert.ok(groups.size >= 2, 'one group per service');
  });
});
