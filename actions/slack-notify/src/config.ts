import { UserError } from '../../../lib/errors.js';
import type { Inputs } from '../../../lib/inputs.js';
import { parseInstant } from '../../../lib/time.js';
import { type DeployStatus, STATUSES } from './message.js';

export type Transport =
  | { kind: 'webhook'; url: string }
  | { kind: 'api'; apiUrl: string; token: string; channel: string; messageTs: string | undefined };

export interface SlackConfig {
  transport: Transport;
  status: DeployStatus;
  title: string | undefined;
  environment: string | undefined;
  details: string | undefined;
  serviceUrl: string | undefined;
  /** Epoch milliseconds. */
  startedAt: number | undefined;
  failOnError: boolean;
}

/** Reads and checks every input before anything is sent. */
export function readConfig(inputs: Inputs): SlackConfig {
  const failOnError = inputs.bool('fail-on-error', true);
  inputs.required('status', { hint: `one of ${STATUSES.join(', ')}` });
  const status = inputs.choice<DeployStatus>('status', STATUSES, 'started');
  const startedAt = inputs.optional('started-at');
  return {
    transport: readTransport(inputs),
    status,
    title: inputs.optional('title'),
    environment: inputs.optional('environment'),
    details: inputs.optional('details'),
    serviceUrl: inputs.url('url'),
    startedAt: startedAt === undefined ? undefined : parseInstant(startedAt, 'started-at').getTime(),
    failOnError,
  };
}

function readTransport(inputs: Inputs): Transport {
  const webhook = inputs.optional('webhook-url');
  const token = inputs.optional('token');
  const channel = inputs.optional('channel');
  const messageTs = inputs.optional('message-ts');
  if (webhook && token) {
    throw new UserError(
      'Both webhook-url and token are set: give either webhook-url (post only) or token + channel (post and update in place), not both.',
    );
  }
  if (webhook) {
    if (messageTs) {
      throw new UserError(
        'message-ts is set but an incoming webhook cannot update a message: use a bot token (token + channel, scope chat:write) to update in place, or drop message-ts to post a new message.',
      );
    }
    return { kind: 'webhook', url: inputs.url('webhook-url', { required: true }) as string };
  }
  if (token) {
    if (!channel) {
      throw new UserError(
        'Input "channel" is required with a bot token: set it to the channel ID (like C0123456789) or, to update a message, the channel-id output of the step that posted it.',
      );
    }
    if (messageTs && !/^\d+\.\d+$/.test(messageTs)) {
      throw new UserError(
        `message-ts "${messageTs}" is not a Slack message timestamp (like 1712345678.123456): pass the ts output of the step that posted the message.`,
      );
    }
    const apiUrl = (inputs.url('api-url') ?? 'https://slack.com/api').replace(/\/+$/, '');
    return { kind: 'api', apiUrl, token, channel, messageTs };
  }
  throw new UserError(
    'No Slack destination: set webhook-url (an incoming webhook, stored as a secret) or token + channel (a bot token with chat:write).',
  );
}
