// slack-notify's main() in process, against the Slack stand-in: the error and fallback branches
// (fail-on-error false, Web API HTTP errors, answers that are not JSON, unreachable Slack, the
// truncated-details summary) that the bundle tests in action.test.ts reach only through a child process.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { main } from '../../../actions/slack-notify/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { type MainResult, runMain } from '../../harness/io.js';
import { freePort } from '../../harness/net.js';
import type { RunOptions } from '../../harness/run-action.js';
import { SlackStandIn } from '../../standins/slack.js';

const slack = new SlackStandIn();
beforeAll(() => slack.start());
afterAll(() => slack.stop());
beforeEach(() => {
  slack.queue.length = 0;
  slack.requests.length = 0;
  slack.messages.length = 0;
});

const notify = (inputs: RunOptions['inputs'], opts: Omit<RunOptions, 'inputs'> = {}) =>
  runMain('slack-notify', main, { inputs, ...opts });
const bot = (inputs: RunOptions['inputs'] = {}) =>
  notify({ token: slack.token, channel: 'C0DEPLOYS', 'api-url': slack.apiUrl, status: 'started', ...inputs });
const webhook = (inputs: RunOptions['inputs'] = {}) =>
  notify({ 'webhook-url': slack.webhookUrl, status: 'deploying', ...inputs });

function assertNoLeaks(r: MainResult): void {
  for (const secret of [slack.token, slack.webhookUrl, slack.webhookPath]) {
    assert.deepEqual(r.io.leaks(secret), [], `leaked ${secret}`);
  }
  for (const secret of [slack.token, slack.webhookPath]) {
    assert.ok(!(r.failure ?? '').includes(secret), `failure sentence leaks ${secret}`);
  }
}

describe('slack-notify main() through the Web API', () => {
  test('posts: ok, ts and channel-id outputs, one info line naming the channel; token registered first', async () => {
    const r = await bot({ environment: 'production' });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.ok, 'true');
    assert.match(r.io.outputs.ts ?? '', /^\d+\.\d{6}$/);
    assert.equal(r.io.outputs['channel-id'], 'C0DEPLOYS');
    assert.match(
      r.io.infos.at(-1) ?? '',
      /Slack message posted via bot token, channel C0DEPLOYS \(channel C0DEPLOYS, ts /,
    );
    assert.ok(r.io.masks.includes(slack.token));
    assert.equal(r.io.summaryText, '', 'nothing truncated, no summary');
    assertNoLeaks(r);
  });

  test('message-ts updates the posted message in place: "updated", still one message', async () => {
    const posted = await bot();
    const r = await bot({ status: 'succeeded', 'message-ts': posted.io.outputs.ts });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(slack.messages.length, 1);
    assert.equal(slack.messages[0]?.updates, 1);
    assert.match(r.io.infos.at(-1) ?? '', /Slack message updated via bot token/);
  });

  test('a 4xx from the Web API (wrong api-url) fails with a sentence about api-url, not retried', async () => {
    slack.queue.push({ status: 404, text: 'Not Found' });
    const r = await bot();
    assert.ok(r.error instanceof UserError);
    assert.match(
      r.failure ?? '',
      /chat\.postMessage answered HTTP 404 \(Not Found\): check that api-url points at the Slack Web API/,
    );
    assert.equal(slack.requests.length, 1);
    assertNoLeaks(r);
  });

  test('an answer that is not JSON fails with one sentence', async () => {
    slack.queue.push({ status: 200, text: '<html>captive portal</html>' });
    const r = await bot();
    assert.match(
      r.failure ?? '',
      /answered with something that is not JSON \(<html>captive portal<\/html>\)/,
    );
  });

  test('429 that outlasts the retries: "kept rate limiting", with the number of attempts', async () => {
    for (let i = 0; i < 4; i++) slack.queue.push({ status: 429, headers: { 'retry-after': '0' }, text: '' });
    const r = await bot();
    assert.match(r.failure ?? '', /Slack kept rate limiting chat\.postMessage \(HTTP 429\) after 4 attempts/);
    assert.equal(r.io.infos.filter((l) => /Slack answered HTTP 429; trying again/.test(l)).length, 3);
  });

  test('a post Slack applied but answered 502: found in the history, not posted twice', async () => {
    slack.afterApplying.push({ status: 502, text: 'Bad Gateway' });
    const r = await bot();
    assert.equal(r.error, undefined, r.failure);
    assert.equal(slack.messages.length, 1);
    assert.equal(slack.calls('POST', '/api/chat.postMessage').length, 1);
    assert.equal(slack.calls('GET', '/api/conversations.history').length, 1);
    assert.equal(r.io.outputs.ts, slack.messages[0]?.ts);
    assert.ok(
      r.io.infos.some((l) => /Looking for it in the channel's history before posting again\.$/.test(l)),
    );
    assert.ok(
      r.io.infos.includes(`The message was posted (ts ${slack.messages[0]?.ts}); not posting it again.`),
    );
    assertNoLeaks(r);
  });

  test('a post answered 503 before Slack applied it: not in the history, so posted once more', async () => {
    slack.queue.push({ status: 503, text: 'Service Unavailable' });
    const r = await bot();
    assert.equal(r.error, undefined, r.failure);
    assert.equal(slack.messages.length, 1, 'exactly one message');
    assert.equal(slack.calls('POST', '/api/chat.postMessage').length, 2);
    assert.ok(r.io.infos.includes('The message is not in the channel; posting it once more.'), r.io.log);
    assert.equal(r.io.outputs.ts, slack.messages[0]?.ts);
  });

  test('an unconfirmed post whose history cannot be read is not posted again, and the sentence says so', async () => {
    slack.queue.push(
      { status: 502, text: 'Bad Gateway' },
      { status: 200, json: { ok: false, error: 'missing_scope', needed: 'channels:history' } },
    );
    const r = await bot();
    assert.ok(r.error instanceof UserError);
    assert.match(
      r.failure ?? '',
      /^Slack did not confirm chat\.postMessage and its history could not be read \(missing_scope\): the message may or may not be in C0DEPLOYS, so it was not posted again\.$/,
    );
    assert.equal(slack.calls('POST', '/api/chat.postMessage').length, 1);
    assertNoLeaks(r);
  });

  test('unknown Web API error strings link to the method docs', async () => {
    slack.queue.push({ status: 200, json: { ok: false, error: 'team_added_to_org' } });
    const r = await bot();
    assert.match(
      r.failure ?? '',
      /Slack answered "team_added_to_org"; see https:\/\/api\.slack\.com\/methods\/chat\.postMessage#errors/,
    );
  });
});

describe('slack-notify main() through an incoming webhook', () => {
  test('oversized details and a failed post (fail-on-error false): the summary still keeps the whole text', async () => {
    const details = `${'line of details\n'.repeat(3000)}THE END`;
    slack.queue.push({ status: 400, text: 'invalid_blocks' });
    const r = await webhook({ details, 'fail-on-error': 'false' });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.outputs.ok, 'false');
    assert.match(r.io.warnings[0]?.message ?? '', /invalid_blocks.*fail-on-error is false/);
    assert.match(r.io.summaryText, /Slack message details \(deploying\), in full/);
    assert.ok(r.io.summaryText.includes('THE END'), 'the summary keeps the end of the details');
    assert.ok(!(slack.requests[0]?.body ?? '').includes('THE END'), 'Slack was sent the cut version');
    assertNoLeaks(r);
  });

  test('an unknown 4xx error says to check the webhook secret; the URL never shows', async () => {
    slack.queue.push({ status: 403, text: 'forbidden_by_proxy' });
    const r = await webhook();
    assert.match(
      r.failure ?? '',
      /Slack did not post the message \(HTTP 403: forbidden_by_proxy\); check the webhook URL secret\./,
    );
    assertNoLeaks(r);
  });

  test('a webhook 429 that outlasts the retries says to space messages out', async () => {
    for (let i = 0; i < 4; i++) slack.queue.push({ status: 429, headers: { 'retry-after': '0' }, text: '' });
    const r = await webhook();
    assert.match(r.failure ?? '', /kept rate limiting the webhook \(HTTP 429\) after 4 attempts/);
  });

  test('Slack unreachable: a NetworkError sentence (a UserError), honoured by fail-on-error false', async () => {
    const port = await freePort();
    const r = await notify({
      'webhook-url': `http://127.0.0.1:${port}/services/T0/B0/unreachableSecret1`,
      status: 'failed',
      'fail-on-error': 'false',
    });
    assert.equal(r.error, undefined);
    assert.equal(r.io.outputs.ok, 'false');
    assert.match(
      r.io.warnings[0]?.message ?? '',
      /Could not reach Slack incoming webhook .*connection refused/,
    );
    assert.deepEqual(r.io.leaks('unreachableSecret1'), []);
  });
});

describe('slack-notify main() input errors', () => {
  test('both webhook-url and token: one sentence, nothing sent, both secrets masked first', async () => {
    const r = await notify({ 'webhook-url': slack.webhookUrl, token: slack.token, status: 'started' });
    assert.match(r.failure ?? '', /^Both webhook-url and token are set/);
    assert.equal(slack.requests.length, 0);
    assert.ok(r.io.masks.includes(slack.token));
    assert.ok(r.io.masks.includes(slack.webhookUrl));
  });

  test('no destination at all', async () => {
    const r = await notify({ status: 'started' });
    assert.match(r.failure ?? '', /^No Slack destination: set webhook-url/);
  });

  test('a token without a channel, and a malformed message-ts', async () => {
    const noChannel = await notify({ token: slack.token, status: 'started' });
    assert.match(noChannel.failure ?? '', /^Input "channel" is required with a bot token/);
    const badTs = await bot({ 'message-ts': 'yesterday' });
    assert.match(badTs.failure ?? '', /^message-ts "yesterday" is not a Slack message timestamp/);
    assert.equal(slack.requests.length, 0);
  });

  test('fail-on-error false does not soften an input error', async () => {
    const r = await notify({ status: 'started', 'fail-on-error': 'false' });
    assert.ok(r.error instanceof UserError);
    assert.equal(r.io.outputs.ok, undefined);
  });
});
