/**
 * Slack stand-in: incoming webhooks (200 "ok", or an error string with 400/403/404/410/500) and the
 * Web API methods chat.postMessage / chat.update / conversations.history (HTTP 200 with
 * {"ok":false,"error":…} on errors, Bearer tokens, channel IDs vs names, `ts` + `channel` in the
 * answer). Web API requests are checked against the Slack contract extract
 * (test/contracts/slack.json, from slackapi/slack-api-specs): an undocumented method or argument, a
 * wrong type, a missing required argument or Authorization header is a violation (answered
 * `invalid_arguments` / `not_authed`, and the test fails). Block Kit's limits (50 blocks, section
 * text 3,000, 10 fields of 2,000, header 150) are enforced the way Slack does — invalid_blocks — and
 * a message over them is a violation too.
 */
import { extractContract } from '../contracts/openapi.js';
import { type RecordedRequest, type Reply, StandIn } from './server.js';

const contract = extractContract('slack');
const LIMITS = contract.extract.blockKit ?? {
  maxBlocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
};

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
  /** Answers given *after* the next chat.postMessage was stored (a 502 or a reset once it is posted). */
  readonly afterApplying: Reply[] = [];
  #seq = 0;

  constructor() {
    super();
    this.route('POST', '/services/:team/:bot/:secret', (req) => this.#webhook(req));
    this.route('POST', '/api/chat.postMessage', (req) => this.#postMessage(req));
    this.route('POST', '/api/chat.update', (req) => this.#update(req));
    this.route('GET', '/api/conversations.history', (req) => this.#history(req));
  }

  protected override checkRequest(req: RecordedRequest): Reply | undefined {
    if (!req.path.startsWith('/api/')) {
      const body = req.json as Payload | undefined;
      const over = body && typeof body === 'object' ? checkPayload(body) : undefined;
      if (over === 'invalid_blocks') this.violations.push(`webhook: the message breaks Block Kit's limits`);
      return undefined;
    }
    const path = req.path.slice('/api'.length);
    const problems = contract.checkRequest(req, path);
    const auth = req.headers.authorization;
    if (!auth) problems.push(`${req.method} ${path}: no Authorization header (Slack wants "Bearer <token>")`);
    const body = req.json as Payload | undefined;
    if (
      req.method === 'POST' &&
      body &&
      typeof body === 'object' &&
      checkPayload(body) === 'invalid_blocks'
    ) {
      problems.push(`${req.method} ${path}: the message breaks Block Kit's limits`);
    }
    if (problems.length === 0) return undefined;
    this.violations.push(...problems);
    if (!contract.match(req.method, path)) return { status: 404, text: 'unknown_method' };
    return apiError(auth ? 'invalid_arguments' : 'not_authed');
  }

  protected override checkAnswer(req: RecordedRequest, reply: Reply): void {
    if (!req.path.startsWith('/api/')) return;
    const json = reply.json as { messages?: unknown[] } | undefined;
    // The archived spec's minItems 1 on history messages cannot hold for an empty time window.
    if (Array.isArray(json?.messages) && json.messages.length === 0) return;
    // Errors come as HTTP 200 with ok:false: held to the method's error schema; the archived enum of
    // error strings predates some Slack documents today (invalid_blocks), so it is not enforced.
    const failed = (json as { ok?: unknown } | undefined)?.ok === false;
    const problems = contract.checkResponse(
      req.method,
      req.path.slice(4),
      failed ? 400 : (reply.status ?? 200),
      reply.json,
    );
    this.violations.push(...problems.filter((p) => !(failed && /\.error: .* is not one of/.test(p))));
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
    return (
      this.afterApplying.shift() ?? {
        json: {
          ok: true,
          channel,
          ts: message.ts,
          message: { type: 'message', text: message.text, ts: message.ts },
        },
      }
    );
  }

  #history(req: RecordedRequest): Reply {
    const authError = this.#auth(req);
    if (authError) return apiError(authError);
    const channel = this.#resolve(req.query.get('channel') ?? undefined, false);
    if (!channel) return apiError('channel_not_found');
    const oldest = Number(req.query.get('oldest') ?? 0);
    const limit = Number(req.query.get('limit') ?? 100);
    const messages = this.messages
      .filter((m) => m.channel === channel && m.via === 'api' && Number(m.ts) >= oldest)
      .reverse()
      .slice(0, limit)
      .map((m) => ({ type: 'message', ts: m.ts, text: m.text }));
    return {
      json: {
        ok: true,
        messages,
        has_more: false,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
      },
    };
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
    return {
      json: { ok: true, channel, ts: message.ts, text: message.text, message: { text: message.text } },
    };
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

/** Slack's checks on a message: some text and Block Kit's limits (see LIMITS). */
export function checkPayload(body: Payload): string | undefined {
  const attachments = Array.isArray(body.attachments)
    ? (body.attachments as Array<{ blocks?: unknown }>)
    : [];
  if (!body.text && !body.blocks && attachments.length === 0) return 'no_text';
  const blocks = [
    ...(Array.isArray(body.blocks) ? body.blocks : []),
    ...attachments.flatMap((a) => (Array.isArray(a.blocks) ? a.blocks : [])),
  ] as Array<{ type?: string; text?: { text?: string }; fields?: Array<{ text?: string }> }>;
  if (blocks.length > LIMITS.maxBlocks) return 'invalid_blocks';
  for (const block of blocks) {
    if (block.type === 'header' && (block.text?.text?.length ?? 0) > LIMITS.headerText)
      return 'invalid_blocks';
    if (block.type === 'section') {
      if ((block.text?.text?.length ?? 0) > LIMITS.sectionText) return 'invalid_blocks';
      if ((block.fields?.length ?? 0) > LIMITS.sectionFields) return 'invalid_blocks';
      if (block.fields?.some((f) => (f.text?.length ?? 0) > LIMITS.fieldText)) return 'invalid_blocks';
    }
  }
  if ((body.text?.length ?? 0) > 40_000) return 'msg_too_long';
  return undefined;
}
