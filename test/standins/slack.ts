/**
 * Slack stand-in: incoming webhooks (200 "ok", or an error string with 400/403/404/410/500) and the
 * Web API methods chat.postMessage / chat.update (HTTP 200 with {"ok":false,"error":…} on errors,
 * Bearer tokens, channel IDs vs names, `ts` + `channel` in the answer). It enforces Block Kit's
 * limits (50 blocks, 3000 characters per section text) the way Slack does: invalid_blocks.
 */
import { type RecordedRequest, type Reply, StandIn } from './server.js';

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  attachments: unknown;
  blocks: unknown;
  via: 'webhook' | 'api';
  updates: number;
}

interface Payload {
  channel?: string;
  ts?: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
}

export class SlackStandIn extends StandIn {
  /** The only bot token accepted. */
  token = 'xoxb-1111-2222-standinSecretToken';
  /** Path of the only live incoming webhook; its channel is #deploys. */
  webhookPath = '/services/T0STANDIN/B0STANDIN/whSecretPart0123456789';
  /** Channel ID → name. */
  readonly channels = new Map<string, string>([
    ['C0DEPLOYS', 'deploys'],
    ['C0GENERAL', 'general'],
  ]);
  readonly messages: StoredMessage[] = [];
  #seq = 0;

  constructor() {
    super();
    this.route('POST', '/services/:team/:bot/:secret', (req) => this.#webhook(req));
    this.route('POST', '/api/chat.postMessage', (req) => this.#postMessage(req));
    this.route('POST', '/api/chat.update', (req) => this.#update(req));
  }

  get webhookUrl(): string {
    return `${this.url}${this.webhookPath}`;
  }

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  #webhook(req: RecordedRequest): Reply {
    if (req.path !== this.webhookPath) return { status: 404, text: 'no_service' };
    const body = req.json as Payload | undefined;
    if (!body || typeof body !== 'object') return { status: 400, text: 'invalid_payload' };
    const invalid = checkPayload(body);
    if (invalid) return { status: 400, text: invalid };
    this.messages.push({
      channel: 'C0DEPLOYS',
      ts: this.#ts(),
      ...content(body),
      via: 'webhook',
      updates: 0,
    });
    return { status: 200, headers: { 'content-type': 'text/html' }, text: 'ok' };
  }

  #auth(req: RecordedRequest): string | undefined {
    const header = req.headers.authorization;
    if (!header) return 'not_authed';
    if (header !== `Bearer ${this.token}`) return 'invalid_auth';
    return undefined;
  }

  #postMessage(req: RecordedRequest): Reply {
    const authError = this.#auth(req);
    if (authError) return apiError(authError);
    const body = (req.json ?? {}) as Payload;
    const channel = this.#resolve(body.channel, true);
    if (!channel) return apiError('channel_not_found');
    const invalid = checkPayload(body);
    if (invalid) return apiError(invalid);
    const message: StoredMessage = { channel, ts: this.#ts(), ...content(body), via: 'api', updates: 0 };
    this.messages.push(message);
    return { json: { ok: true, channel, ts: message.ts, message: { type: 'message', text: message.text } } };
  }

  #update(req: RecordedRequest): Reply {
    const authError = this.#auth(req);
    if (authError) return apiError(authError);
    const body = (req.json ?? {}) as Payload;
    // chat.update takes channel IDs only, like the real method.
    const channel = this.#resolve(body.channel, false);
    if (!channel) return apiError('channel_not_found');
    const message = this.messages.find((m) => m.channel === channel && m.ts === body.ts);
    if (!message) return apiError('message_not_found');
    if (message.via !== 'api') return apiError('cant_update_message');
    const invalid = checkPayload(body);
    if (invalid) return apiError(invalid);
    Object.assign(message, content(body));
    message.updates++;
    return { json: { ok: true, channel, ts: message.ts, text: message.text } };
  }

  #resolve(channel: string | undefined, byName: boolean): string | undefined {
    if (!channel) return undefined;
    if (this.channels.has(channel)) return channel;
    if (!byName) return undefined;
    const name = channel.replace(/^#/, '');
    for (const [id, n] of this.channels) if (n === name) return id;
    return undefined;
  }

  #ts(): string {
    this.#seq++;
    return `${Math.floor(Date.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`;
  }
}

function apiError(error: string): Reply {
  return { status: 200, json: { ok: false, error } };
}

function content(body: Payload): Pick<StoredMessage, 'text' | 'attachments' | 'blocks'> {
  return { text: body.text ?? '', attachments: body.attachments ?? null, blocks: body.blocks ?? null };
}

/** Slack's checks on a message: some text, ≤ 50 blocks, ≤ 3000 characters per section text. */
export function checkPayload(body: Payload): string | undefined {
  const attachments = Array.isArray(body.attachments)
    ? (body.attachments as Array<{ blocks?: unknown }>)
    : [];
  if (!body.text && !body.blocks && attachments.length === 0) return 'no_text';
  const blocks = [
    ...(Array.isArray(body.blocks) ? body.blocks : []),
    ...attachments.flatMap((a) => (Array.isArray(a.blocks) ? a.blocks : [])),
  ] as Array<{ type?: string; text?: { text?: string }; fields?: Array<{ text?: string }> }>;
  if (blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks) {
    if (block.type === 'section') {
      if ((block.text?.text?.length ?? 0) > 3000) return 'invalid_blocks';
      if ((block.fields?.length ?? 0) > 10) return 'invalid_blocks';
      if (block.fields?.some((f) => (f.text?.length ?? 0) > 2000)) return 'invalid_blocks';
    }
  }
  if ((body.text?.length ?? 0) > 40_000) return 'msg_too_long';
  return undefined;
}
