/** service/src/extraction/anthropic.ts: reading the model's answer into decisions. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { ExtractionError, parseDecisions } from '../../service/src/extraction/anthropic.js';

describe('parseDecisions', () => {
  test('answers: JSON text, fenced JSON, tool_use; prose and wrong shapes are ExtractionErrors worth retrying', () => {
    const d = { title: 'Ship', rationale: null, owner: 'Ana', confidence: 1.4, quote: '' };
    assert.deepEqual(parseDecisions([{ type: 'text', text: JSON.stringify({ decisions: [d] }) }]), [
      { title: 'Ship', rationale: null, owner: 'Ana', confidence: 1, quote: null },
    ]);
    assert.equal(parseDecisions([{ type: 'text', text: '```json\n{"decisions": []}\n```' }]).length, 0);
    assert.equal(
      parseDecisions([
        { type: 'thinking', thinking: '…' },
        { type: 'tool_use', input: { decisions: [d] } },
      ]).length,
      1,
    );
    for (const bad of [
      [{ type: 'text', text: 'We decided to ship.' }],
      [],
      [{ type: 'text', text: '{"decisions": "none"}' }],
    ]) {
      assert.throws(
        () => parseDecisions(bad),
        (e: unknown) => e instanceof ExtractionError && e.retryable,
      );
    }
  });
});
