/** slack-notify config.ts: the transport and every input, checked before anything is sent. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { readConfig } from '../../../actions/slack-notify/src/config.js';
import { inputsFrom } from '../../harness/io.js';

describe('readConfig', () => {
  const hook = 'https://hooks.slack.com/services/T0/B0/secret';

  test('webhook, or token + channel', () => {
    assert.deepEqual(readConfig(inputsFrom({ 'webhook-url': hook, status: 'started' })).transport, {
      kind: 'webhook',
      url: hook,
    });
    const api = readConfig(
      inputsFrom({ token: 'xoxb-1', channel: 'C1', status: 'gating', 'message-ts': '1.2' }),
    ).transport;
    assert.deepEqual(api, {
      kind: 'api',
      apiUrl: 'https://slack.com/api',
      token: 'xoxb-1',
      channel: 'C1',
      messageTs: '1.2',
    });
  });

  test('each bad combination fails with one sentence', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ status: 'started' }, /No Slack destination/],
      [{ 'webhook-url': hook, token: 'xoxb-1', status: 'started' }, /not both/],
      [
        { 'webhook-url': hook, 'message-ts': '1.2', status: 'started' },
        /webhook cannot update a message: use a bot token/,
      ],
      [{ token: 'xoxb-1', status: 'started' }, /"channel" is required/],
      [
        { token: 'xoxb-1', channel: 'C1', 'message-ts': 'abc', status: 'started' },
        /not a Slack message timestamp/,
      ],
      [{ 'webhook-url': hook, status: 'done' }, /must be one of started, migrating/],
      [{ 'webhook-url': hook }, /"status" is required/],
      [{ 'webhook-url': hook, status: 'started', 'started-at': 'yesterday' }, /not a time/],
      [{ 'webhook-url': hook, status: 'started', 'fail-on-error': 'maybe' }, /true or false/],
    ];
    for (const [values, re] of cases)
      assert.throws(() => readConfig(inputsFrom(values)), re, JSON.stringify(values));
  });

  test('started-at takes ISO times and Unix seconds or milliseconds', () => {
    const at = (v: string) =>
      readConfig(inputsFrom({ 'webhook-url': hook, status: 'started', 'started-at': v })).startedAt;
    assert.equal(at('2025-03-01T12:00:00Z'), Date.parse('2025-03-01T12:00:00Z'));
    assert.equal(at('1740830400'), 1740830400_000);
    assert.equal(at('1740830400123'), 1740830400123);
    assert.equal(at('2025-03-01T14:00:00+02:00'), Date.parse('2025-03-01T12:00:00Z'));
    assert.equal(at('2025-03-01T12:00:00'), Date.parse('2025-03-01T12:00:00Z'), 'no zone: UTC');
    assert.throws(
      () => at('2025-02-30T12:00:00Z'),
      /^UserError: Input "started-at" is "2025-02-30T12:00:00Z", which is not a time: use an ISO 8601 time/,
    );
  });
});
