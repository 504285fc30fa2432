/** service/src/extraction/cost.ts: the cost of an extraction from the model's usage and price. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { costUsd, priceOf } from '../../service/src/extraction/cost.js';

describe('extraction cost', () => {
  test('cost from usage: input, output, cache writes (1.25×) and reads (0.1×)', () => {
    assert.equal(costUsd({ input_tokens: 1_000_000, output_tokens: 0 }, [2, 10]), 2);
    assert.equal(costUsd({ input_tokens: 1000, output_tokens: 500 }, [2, 10]), 0.007);
    assert.equal(
      costUsd(
        {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 1_000_000,
          cache_read_input_tokens: 1_000_000,
        },
        [2, 10],
      ),
      2.7,
    );
    assert.equal(costUsd({ input_tokens: 10, output_tokens: 10 }, undefined), null);
  });

  test('prices by model id, including dated ids; unknown models have none', () => {
    assert.deepEqual(priceOf('claude-sonnet-5-5'), [2, 10]);
    assert.deepEqual(priceOf('claude-haiku-4-5-20251001'), [1, 5]);
    assert.equal(priceOf('claude-unknown-9'), undefined);
  });
});
