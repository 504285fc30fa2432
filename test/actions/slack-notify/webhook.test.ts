/** slack-notify webhook.ts: one sentence per incoming-webhook error. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { webhookErrorSentence } from '../../../actions/slack-notify/src/webhook.js';

describe('webhookErrorSentence', () => {
  test('names the Slack error and what to do', () => {
    assert.match(webhookErrorSentence(404, 'no_service', 1), /no_service.*create a new incoming webhook/);
    assert.match(
      webhookErrorSentence(500, 'rollup_error', 1, 'rollup_error'),
      /HTTP 500.*may or may not have been posted, so it was not sent again/,
    );
    assert.match(webhookErrorSentence(429, 'rate_limited', 1), /rate limiting this webhook \(rate_limited\)/);
  });
});
