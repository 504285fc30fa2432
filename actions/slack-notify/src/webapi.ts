import { errorMessage, sendAtMostOnce } from '../../../lib/errors.js';
import { excerpt, http, type RetryInfo } from '../../../lib/http.js';
import { SlackError } from './errors.js';
import type { SlackMessage } from './message.js';

export interface ApiTarget {
  apiUrl: string;
  token: string;
  channel: string;
}

export interface PostedMessage {
  ts: string;
  channelId: string;
}

interface ApiAnswer {
  ok: boolean;
  error?: string;
  needed?: string;
  ts?: string;
  channel?: string;
}

/**
 * Posts a new message with chat.postMessage, at most once: it is re-sent only when it never reached
 * Slack or Slack refused it with 429. When Slack does not confirm it (5xx, reset, timeout) the
 * channel's recent history (conversations.history) is read for our message before posting again;
 * when the history cannot be read, the message is not posted again.
 */
export async function postMessage(
  target: ApiTarget,
  message: SlackMessage,
  onRetry?: (i: RetryInfo) => void,
  log: (m: string) => void = () => {},
): Promise<PostedMessage> {
  const sentAt = Date.now() / 1000;
  const body = { channel: target.channel, ...message };
  return sendAtMostOnce(() => call(target, 'chat.postMessage', body, onRetry, true), {
    find: () => findRecent(target, message.text, sentAt - 5),
    log,
    looking: "Looking for it in the channel's history before posting again.",
    found: (m) => `The message was posted (ts ${m.ts}); not posting it again.`,
    notFound: 'The message is not in the channel; posting it once more.',
    lookFailed: (lookErr) =>
      new SlackError(
        `Slack did not confirm chat.postMessage and its history could not be read (${errorMessage(lookErr)}): the message may or may not be in ${target.channel}, so it was not posted again.`,
        'unconfirmed',
      ),
  });
}

/** Our message (same text) posted to the channel since `oldest` (epoch seconds), newest first. */
async function findRecent(
  target: ApiTarget,
  text: string,
  oldest: number,
): Promise<PostedMessage | undefined> {
  const query = new URLSearchParams({ channel: target.channel, oldest: oldest.toFixed(6), limit: '20' });
  const res = await http(`${target.apiUrl}/conversations.history?${query}`, {
    service: 'Slack Web API',
    timeoutMs: 15_000,
    headers: { authorization: `Bearer ${target.token}` },
  });
  const answer = res.json<ApiAnswer & { messages?: Array<{ ts: string; text?: string }> }>();
  if (!answer.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
  const ours = answer.messages?.find((m) => m.text === text);
  return ours ? { ts: ours.ts, channelId: target.channel } : undefined;
}

/** Replaces the message `ts` in place with chat.update (channel must be the ID). */
export function updateMessage(
  target: ApiTarget,
  ts: string,
  message: SlackMessage,
  onRetry?: (i: RetryInfo) => void,
) {
  return call(target, 'chat.update', { channel: target.channel, ts, ...message }, onRetry);
}

async function call(
  target: ApiTarget,
  method: string,
  body: Record<string, unknown>,
  onRetry?: (i: RetryInfo) => void,
  mutation = false,
): Promise<PostedMessage> {
  const res = await http(`${target.apiUrl}/${method}`, {
    method: 'POST',
    mutation,
    json: body,
    service: 'Slack Web API',
    timeoutMs: 15_000,
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json; charset=utf-8' },
    ...(onRetry ? { onRetry } : {}),
  });
  if (res.status === 429) {
    throw new SlackError(
      `Slack kept rate limiting ${method} (HTTP 429) after ${res.attempts} attempts: this bot posts too often; space the messages out or re-run the job.`,
      'ratelimited',
      429,
    );
  }
  if (res.status >= 400 && res.status < 500) {
    throw new SlackError(
      `Slack ${method} answered HTTP ${res.status} (${excerpt(res.text, 80) || 'no body'}): check that api-url points at the Slack Web API (https://slack.com/api).`,
      `HTTP ${res.status}`,
      res.status,
    );
  }
  if (res.status < 200 || res.status >= 300) {
    throw new SlackError(
      `Slack ${method} answered HTTP ${res.status} (${excerpt(res.text, 80) || 'no body'}) after ${res.attempts} attempts: Slack may be having trouble (see slack-status.com); re-run the job.`,
      `HTTP ${res.status}`,
      res.status,
      mutation && res.status >= 500,
    );
  }
  let answer: ApiAnswer;
  try {
    answer = res.json<ApiAnswer>();
  } catch {
    throw new SlackError(
      `Slack ${method} answered with something that is not JSON (${excerpt(res.text, 80)}): check that api-url points at the Slack Web API (https://slack.com/api).`,
      'not_json',
      res.status,
    );
  }
  if (!answer.ok) {
    const code = answer.error ?? 'unknown_error';
    throw new SlackError(apiErrorSentence(method, code, target.channel, answer.needed), code, res.status);
  }
  return { ts: answer.ts ?? '', channelId: answer.channel ?? '' };
}

/** One sentence per Web API error string: what is wrong and what to do. */
export function apiErrorSentence(method: string, code: string, channel: string, needed?: string): string {
  const update = method === 'chat.update';
  const what: Record<string, string> = {
    channel_not_found: update
      ? `Slack has no channel "${channel}" for this bot (channel_not_found): chat.update needs the channel ID, so pass the channel-id output of the step that posted the message`
      : `Slack has no channel "${channel}" this bot can see (channel_not_found): use the channel ID (like C0123456789) and invite the bot to private channels`,
    not_in_channel: `the bot is not a member of "${channel}" (not_in_channel): invite it with /invite @your-bot`,
    is_archived: `channel "${channel}" is archived (is_archived): unarchive it or post to another channel`,
    invalid_auth:
      'Slack rejected the token (invalid_auth): use a bot token (xoxb-…) with the chat:write scope, stored as a secret',
    not_authed: 'Slack received no token (not_authed): set the token input to a bot token (xoxb-…)',
    account_inactive:
      'the token belongs to a deleted user or workspace (account_inactive): create a new bot token',
    token_revoked: 'the token was revoked (token_revoked): reinstall the Slack app and update the secret',
    token_expired: 'the token expired (token_expired): refresh it or use a non-expiring bot token',
    missing_scope: `the token lacks a scope (missing_scope${needed ? `, needs ${needed}` : ''}): add chat:write under OAuth & Permissions and reinstall the app`,
    message_not_found:
      'Slack has no such message to update (message_not_found): pass the ts and channel-id outputs of the step that posted it',
    cant_update_message:
      'this bot may not edit that message (cant_update_message): only messages posted by the same bot token can be updated',
    edit_window_closed:
      'the message is too old to edit (edit_window_closed): post a new message instead of passing message-ts',
    msg_too_long: 'the message is too long for Slack (msg_too_long): shorten "details"',
    invalid_blocks:
      'Slack rejected the message layout (invalid_blocks): shorten "details" or report this as a bug in slack-notify',
    restricted_action:
      'the workspace does not let this bot post there (restricted_action): ask a Slack admin',
    ratelimited: 'Slack is rate limiting this bot (ratelimited): space the messages out or re-run the job',
    rate_limited:
      'Slack is rate limiting this app (rate_limited): it allows about one message per second per channel; space the deploy messages out or re-run the job in a minute',
    too_many_attachments:
      'the message has more attachments than Slack allows (too_many_attachments, at most 100): this is a bug in slack-notify, please report it',
    no_permission:
      "the workspace does not let this token do that (no_permission): check the bot's scopes and channel permissions under OAuth & Permissions, or ask a Slack admin",
  };
  return `Slack ${method} failed: ${what[code] ?? `Slack answered "${code}"; see https://api.slack.com/methods/${method}#errors`}.`;
}
