import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { type ActionResult, leaks, runAction } from '../../harness/run-action.js';
import { SlackStandIn } from '../../standins/slack.js';

const slack = new SlackStandIn();
beforeAll(() => slack.start());
afterAll(() => slack.stop());
beforeEach(() => {
  slack.queue.length = 0;
  slack.requests.length = 0;
  slack.messages.length = 0;
});

const webhook = (inputs: Record<string, string> = {}) =>
  runAction('slack-notify', { inputs: { 'webhook-url': slack.webhookUrl, status: 'deploying', ...inputs } });
const bot = (inputs: Record<string, string> = {}) =>
  runAction('slack-notify', {
    inputs: {
      token: slack.token,
      channel: 'C0DEPLOYS',
      'api-url': slack.apiUrl,
      status: 'started',
      ...inputs,
    },
  });

/** Neither the token, the webhook URL nor its secret path part may show anywhere. */
function assertNoLeaks(result: ActionResult): void {
  const secretPart = slack.webhookPath.split('/').at(-1) as string;
  for (const secret of [slack.token, slack.webhookUrl, slack.webhookPath, secretPart]) {
    assert.deepEqual(leaks(result, secret), [], `leaked ${secret}`);
  }
}

describe('slack-notify through an incoming webhook', () => {
  test('posts one Block Kit message; ok=true and no ts (webhooks return none)', async () => {
    const result = await webhook({ environment: 'production', url: 'https://decisionlog.up.railway.app' });
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(result.outputs.ok, 'true');
    assert.equal(result.outputs.ts, '');
    assert.equal(slack.messages.length, 1);
    const stored = slack.messages[0];
    assert.match(stored?.text ?? '', /📦 acme\/decisionlog → production: Deploying/);
    const body = JSON.stringify(stored?.attachments);
    assert.match(body, /commit\/0123456789abcdef0123456789abcdef01234567\|`0123456`/);
    assert.match(body, /decisionlog\.up\.railway\.app/);
    assert.ok(
      result.masks.some((m) => slack.webhookUrl.includes(m)),
      'webhook URL registered as a mask',
    );
    assertNoLeaks(result);
  });

  test('invalid_payload fails the step with one sentence', async () => {
    slack.queue.push({ status: 400, text: 'invalid_payload' });
    const result = await webhook();
    assert.equal(result.exitCode, 1);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0] ?? '', /HTTP 400.*invalid_payload/);
    assert.doesNotMatch(result.log, /\n\s+at /, 'no stack trace');
    assert.equal(slack.requests.length, 1, '4xx is not retried');
    assertNoLeaks(result);
  });

  test('a revoked webhook (404 no_service) says to create a new one', async () => {
    const result = await runAction('slack-notify', {
      inputs: { 'webhook-url': `${slack.url}/services/T0/B0/revokedSecret99`, status: 'failed' },
    });
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /no_service.*create a new incoming webhook/);
    assert.deepEqual(leaks(result, 'revokedSecret99'), []);
  });

  test('429 waits Retry-After, then posts', async () => {
    slack.queue.push({ status: 429, headers: { 'retry-after': '1' }, text: 'rate_limited' });
    const result = await webhook();
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(slack.requests.length, 2);
    assert.equal(slack.messages.length, 1);
    assert.match(result.log, /HTTP 429; trying again in 1\.0s/);
    assertNoLeaks(result);
  });

  test('500: not sent again (a webhook post may have gone through and cannot be looked up)', async () => {
    slack.queue.push({ status: 500, text: 'rollup_error' });
    const result = await webhook();
    assert.equal(result.exitCode, 1);
    assert.equal(slack.requests.length, 1, 'sent once');
    assert.match(
      result.errors[0] ?? '',
      /HTTP 500.*may or may not have been posted, so it was not sent again/,
    );
    assertNoLeaks(result);
  });

  test('500 with fail-on-error false: the step passes with ok=false and a warning', async () => {
    slack.queue.push({ status: 500, text: 'rollup_error' });
    const result = await webhook({ 'fail-on-error': 'false' });
    assert.equal(result.exitCode, 0);
    assert.equal(result.outputs.ok, 'false');
    assert.equal(result.errors.length, 0);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? '', /HTTP 500.*fail-on-error is false/);
    assertNoLeaks(result);
  });

  test('message-ts with a webhook fails at once and says a bot token is needed', async () => {
    const result = await webhook({ 'message-ts': '1712345678.000100' });
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /webhook cannot update a message: use a bot token/);
    assert.equal(slack.requests.length, 0);
  });

  test('oversized details are truncated to Slack limits; the full text goes to the job summary', async () => {
    const details = `## Gate report\n${'- p95 latency 182ms, error rate 0.02%\n'.repeat(2000)}`;
    const result = await webhook({ status: 'failed', details });
    assert.equal(result.exitCode, 0, result.errors.join('\n'));
    const blocks = (
      slack.messages[0]!.attachments as Array<{ blocks: Array<{ text?: { text: string } }> }>
    )[0]?.blocks;
    assert.ok(blocks && blocks.length <= 50, `${blocks?.length} blocks`);
    for (const b of blocks ?? []) assert.ok((b.text?.text.length ?? 0) <= 3000);
    assert.ok(blocks?.some((b) => b.text?.text.includes('…truncated')));
    assert.match(result.summary, /Slack message details \(failed\), in full/);
    assert.equal(result.summary.split('p95 latency').length - 1, 2000);
  });
});

describe('slack-notify with a bot token', () => {
  test('posts, then updates the same message in place using the ts and channel-id outputs', async () => {
    const first = await bot({ channel: '#deploys', status: 'started' });
    assert.equal(first.exitCode, 0, first.log);
    assert.equal(first.outputs.ok, 'true');
    assert.equal(first.outputs['channel-id'], 'C0DEPLOYS');
    assert.match(first.outputs.ts ?? '', /^\d+\.\d{6}$/);
    assertNoLeaks(first);

    const second = await bot({
      channel: first.outputs['channel-id'] as string,
      'message-ts': first.outputs.ts as string,
      status: 'succeeded',
    });
    assert.equal(second.exitCode, 0, second.log);
    assert.equal(second.outputs.ts, first.outputs.ts);
    assert.equal(slack.messages.length, 1, 'still one message');
    assert.equal(slack.messages[0]?.updates, 1);
    assert.match(slack.messages[0]?.text ?? '', /✅.*Deploy succeeded/);
    assert.equal(slack.calls('POST', '/api/chat.update').length, 1);
    assert.equal(slack.calls('POST', '/api/chat.update')[0]?.headers.authorization, `Bearer ${slack.token}`);
    assert.match(second.log, /Slack message updated/);
    assertNoLeaks(second);
  });

  test('updating by channel name fails with channel_not_found and points to the channel-id output', async () => {
    const first = await bot();
    const result = await bot({ channel: 'deploys', 'message-ts': first.outputs.ts as string });
    assert.equal(result.exitCode, 1);
    assert.match(result.errors[0] ?? '', /chat\.update failed: .*channel_not_found.*channel-id output/);
  });

  test('channel_not_found on post fails with one sentence', async () => {
    const result = await bot({ channel: 'C0MISSING' });
    assert.equal(result.exitCode, 1);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0] ?? '', /no channel "C0MISSING".*channel_not_found/);
    assert.equal(slack.requests.length, 1, 'ok:false is not retried');
  });

  test('invalid_auth fails, and with fail-on-error false passes with ok=false', async () => {
    const badToken = 'xoxb-9999-wrongSecretToken';
    const failed = await bot({ token: badToken });
    assert.equal(failed.exitCode, 1);
    assert.match(failed.errors[0] ?? '', /invalid_auth.*bot token/);
    assert.deepEqual(leaks(failed, badToken), []);

    const soft = await bot({ token: badToken, 'fail-on-error': 'false' });
    assert.equal(soft.exitCode, 0);
    assert.equal(soft.outputs.ok, 'false');
    assert.match(soft.warnings[0] ?? '', /invalid_auth/);
    assert.deepEqual(leaks(soft, badToken), []);
  });

  test('a chat.postMessage Slack applied but answered 502 is found in the history, not posted twice', async () => {
    slack.afterApplying.push({ status: 502, text: 'Bad Gateway' });
    const result = await bot();
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(slack.messages.length, 1, 'exactly one message');
    assert.equal(slack.calls('POST', '/api/chat.postMessage').length, 1);
    assert.equal(slack.calls('GET', '/api/conversations.history').length, 1);
    assert.equal(result.outputs.ts, slack.messages[0]?.ts);
    assert.match(result.log, /Looking for it in the channel's history before posting again/);
    assert.match(result.log, /The message was posted \(ts \d+\.\d+\); not posting it again/);
  });

  test('a chat.postMessage reset after Slack applied it is not posted twice', async () => {
    slack.afterApplying.push({ reset: true });
    const result = await bot();
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(slack.messages.length, 1);
    assert.equal(slack.calls('POST', '/api/chat.postMessage').length, 1);
  });

  test('rate_limited, too_many_attachments and no_permission each get their own sentence', async () => {
    const said: Record<string, RegExp> = {
      rate_limited: /rate limiting this app \(rate_limited\).*one message per second/,
      too_many_attachments: /more attachments than Slack allows \(too_many_attachments/,
      no_permission: /does not let this token do that \(no_permission\).*scopes/,
    };
    for (const [error, pattern] of Object.entries(said)) {
      slack.queue.push({ status: 200, json: { ok: false, error } });
      const result = await bot();
      assert.equal(result.exitCode, 1);
      assert.match(result.errors[0] ?? '', pattern, error);
      assert.doesNotMatch(
        result.errors[0] ?? '',
        /api\.slack\.com\/methods/,
        `${error} has its own sentence`,
      );
    }
  });

  test('429 with Retry-After on chat.postMessage waits, then posts', async () => {
    slack.queue.push({
      status: 429,
      headers: { 'retry-after': '1' },
      json: { ok: false, error: 'ratelimited' },
    });
    const result = await bot();
    assert.equal(result.exitCode, 0, result.log);
    assert.equal(slack.calls('POST', '/api/chat.postMessage').length, 2);
    assert.equal(slack.messages.length, 1);
    assertNoLeaks(result);
  });
});
