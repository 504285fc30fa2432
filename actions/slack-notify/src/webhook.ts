import { excerpt, http, type RetryInfo } from '../../../lib/http.js';
import { SlackError } from './errors.js';
import type { SlackMessage } from './message.js';

/** What each incoming-webhook error string means and what to do about it. */
const WEBHOOK_ERRORS: Record<string, string> = {
  invalid_payload:
    'Slack could not read the message (invalid_payload); this is a bug in slack-notify, please report it',
  invalid_blocks:
    'Slack rejected the message layout (invalid_blocks); shorten "details" or report this as a bug',
  no_text: 'Slack says the message has no text (no_text); this is a bug in slack-notify, please report it',
  user_not_found:
    'the webhook points at a user that no longer exists (user_not_found); create a new incoming webhook',
  action_prohibited:
    'the workspace does not let this webhook post here (action_prohibited); ask a Slack admin or create a webhook for another channel',
  channel_not_found:
    "the webhook's channel no longer exists (channel_not_found); create a new incoming webhook",
  channel_is_archived:
    "the webhook's channel is archived (channel_is_archived); unarchive it or create a new webhook",
  posting_to_general_channel_denied:
    'only admins may post to this channel (posting_to_general_channel_denied); pick another channel for the webhook',
  no_service:
    'the webhook URL is unknown to Slack or was revoked (no_service); create a new incoming webhook and update the secret',
  no_team: 'the workspace of this webhook no longer exists (no_team); create a new incoming webhook',
  invalid_token:
    'the webhook URL is invalid (invalid_token); copy it again from the Slack app settings into the secret',
  rate_limited:
    'Slack is rate limiting this webhook (rate_limited): it allows about one message per second; space the deploy messages out or re-run the job in a minute',
  too_many_attachments:
    'the message has more attachments than Slack allows (too_many_attachments, at most 100); this is a bug in slack-notify, please report it',
  no_permission:
    'the workspace does not let this webhook post there (no_permission); ask a Slack admin or create a webhook for another channel',
};

/** Posts through an incoming webhook: 200 "ok" or an error string with a 4xx/5xx status. */
export async function sendWebhook(
  url: string,
  message: SlackMessage,
  onRetry?: (info: RetryInfo) => void,
): Promise<void> {
  const res = await http(url, {
    method: 'POST',
    // A webhook post cannot be looked up afterwards: sent at most once (re-sent only if it never
    // reached Slack, or after a 429), so a 5xx or a reset fails rather than risking a duplicate.
    mutation: true,
    json: message,
    service: 'Slack incoming webhook',
    timeoutMs: 15_000,
    ...(onRetry ? { onRetry } : {}),
  });
  if (res.status >= 200 && res.status < 300) return;
  const code = res.text.trim().split(/\s/)[0] || `HTTP ${res.status}`;
  throw new SlackError(webhookErrorSentence(res.status, code, res.attempts, res.text), code, res.status);
}

export function webhookErrorSentence(status: number, code: string, attempts: number, body = ''): string {
  const known = WEBHOOK_ERRORS[code];
  if (known) return `Slack did not post the message (HTTP ${status}): ${known}.`;
  if (status === 429) {
    return `Slack kept rate limiting the webhook (HTTP 429) after ${attempts} attempts: too many messages go to this webhook; space them out or re-run the job.`;
  }
  if (status >= 500) {
    return `Slack answered HTTP ${status} (${excerpt(body, 80) || 'no body'}): the message may or may not have been posted, so it was not sent again; check the channel, and slack-status.com.`;
  }
  return `Slack did not post the message (HTTP ${status}: ${excerpt(body, 120) || 'no body'}); check the webhook URL secret.`;
}
