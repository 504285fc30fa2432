/** slack-notify webapi.ts: one sentence per Web API error string. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { apiErrorSentence } from '../../../actions/slack-notify/src/webapi.js';

describe('apiErrorSentence', () => {
  test('names the Slack error and what to do', () => {
    assert.match(apiErrorSentence('chat.update', 'channel_not_found', 'deploys'), /channel-id output/);
    assert.match(apiErrorSentence('chat.postMessage', 'channel_not_found', 'x'), /invite the bot/);
    assert.match(
      apiErrorSentence('chat.postMessage', 'missing_scope', 'x', 'chat:write'),
      /needs chat:write/,
    );
    assert.match(apiErrorSentence('chat.postMessage', 'weird_new_error', 'x'), /"weird_new_error"/);
  });
});
