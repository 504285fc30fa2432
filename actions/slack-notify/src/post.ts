import type { RetryInfo } from '../../../lib/http.js';
import type { Transport } from './config.js';
import type { SlackMessage } from './message.js';
import { postMessage, updateMessage } from './webapi.js';
import { sendWebhook } from './webhook.js';

export interface PostResult {
  /** What happened, for the log. */
  action: 'posted' | 'updated';
  ts: string;
  channelId: string;
}

/** The one switch between the two ways of talking to Slack. Throws SlackError or NetworkError. */
export async function post(
  transport: Transport,
  message: SlackMessage,
  onRetry?: (info: RetryInfo) => void,
  log?: (message: string) => void,
): Promise<PostResult> {
  switch (transport.kind) {
    case 'webhook':
      await sendWebhook(transport.url, message, onRetry);
      return { action: 'posted', ts: '', channelId: '' };
    case 'api':
      if (transport.messageTs) {
        const updated = await updateMessage(transport, transport.messageTs, message, onRetry);
        return { action: 'updated', ...updated };
      }
      return { action: 'posted', ...(await postMessage(transport, message, onRetry, log)) };
  }
}
