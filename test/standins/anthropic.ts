/**
 * Anthropic Messages API stand-in: POST /v1/messages with the real response shape (content blocks,
 * stop_reason, usage tokens), the real error envelope ({type:"error", error:{type, message}}), and
 * scripted trouble: 529 overloaded_error, 429 with retry-after, malformed (non-JSON) answers,
 * answers cut off at max_tokens.
 * By default each transcript line containing "DECISION:" becomes one decision.
 */
import { type RecordedRequest, type Reply, StandIn } from './server.js';

export interface StandInDecision {
  title: string;
  rationale: string | null;
  owner: string | null;
  confidence: number;
  quote: string | null;
}

export class AnthropicStandIn extends StandIn {
  /** The only key accepted; others get 401 authentication_error. */
  apiKey = 'sk-ant-test-standin-0000';
  /** Answer as a JSON text block (structured outputs) or as a tool_use block. */
  mode: 'json' | 'tool_use' = 'json';
  /** How decisions are "extracted" from the user message. */
  decide: (transcript: string) => StandInDecision[] = defaultDecide;
  #n = 0;

  constructor() {
    super();
    this.route('POST', '/v1/messages', (req) => this.#messages(req));
  }

  /** Calls made to POST /v1/messages. */
  messageCalls(): RecordedRequest[] {
    return this.calls('POST', '/v1/messages');
  }

  static overloaded(): Reply {
    return AnthropicStandIn.error(529, 'overloaded_error', 'Overloaded');
  }

  static rateLimited(retryAfterS = 1): Reply {
    return {
      ...AnthropicStandIn.error(
        429,
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit',
      ),
      headers: { 'retry-after': String(retryAfterS), 'request-id': 'req_standin_429' },
    };
  }

  /** 200 with prose instead of the JSON the schema asked for. */
  static malformed(): Reply {
    return {
      status: 200,
      json: message(
        'claude-standin',
        [{ type: 'text', text: 'Sure! The team decided a few things, mainly about the launch.' }],
        120,
        14,
      ),
    };
  }

  /** 200 cut off at the output limit: stop_reason max_tokens, the JSON unfinished. */
  static truncated(): Reply {
    return {
      status: 200,
      json: message(
        'claude-standin',
        [{ type: 'text', text: '{"decisions": [{"title": "Ship on Monday", "rationale": "The team agre' }],
        3000,
        8192,
        'max_tokens',
      ),
    };
  }

  static error(status: number, type: string, text: string): Reply {
    return {
      status,
      headers: { 'request-id': `req_standin_${status}` },
      json: { type: 'error', error: { type, message: text }, request_id: `req_standin_${status}` },
    };
  }

  #messages(req: RecordedRequest): Reply {
    // The API takes the key as x-api-key or, as SDK 1.x sends it, Authorization: Bearer.
    if (req.headers['x-api-key'] !== this.apiKey && req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return AnthropicStandIn.error(401, 'authentication_error', 'invalid x-api-key');
    }
    if (!req.headers['anthropic-version']) {
      return AnthropicStandIn.error(400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    const body = req.json as {
      model?: string;
      max_tokens?: number;
      messages?: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
    };
    if (
      !body?.model ||
      typeof body.max_tokens !== 'number' ||
      !Array.isArray(body.messages) ||
      body.messages.length === 0
    ) {
      return AnthropicStandIn.error(
        400,
        'invalid_request_error',
        'model, max_tokens and messages are required',
      );
    }
    const user = body.messages.at(-1)!;
    const text =
      typeof user.content === 'string'
        ? user.content
        : user.content.map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('');
    const decisions = this.decide(text);
    const answer = { decisions };
    const content =
      this.mode === 'tool_use'
        ? [{ type: 'tool_use', id: `toolu_standin_${++this.#n}`, name: 'record_decisions', input: answer }]
        : [{ type: 'text', text: JSON.stringify(answer) }];
    const inputTokens = Math.ceil(req.body.length / 4);
    const outputTokens = Math.ceil(JSON.stringify(answer).length / 4);
    return {
      status: 200,
      headers: { 'request-id': `req_standin_${++this.#n}` },
      json: message(
        body.model,
        content,
        inputTokens,
        outputTokens,
        this.mode === 'tool_use' ? 'tool_use' : 'end_turn',
      ),
    };
  }
}

function message(model: string, content: unknown[], input: number, output: number, stopReason = 'end_turn') {
  return {
    id: `msg_standin_${Math.random().toString(36).slice(2, 10)}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: input,
      output_tokens: output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: null,
      service_tier: 'standard',
    },
  };
}

function defaultDecide(transcript: string): StandInDecision[] {
  const out: StandInDecision[] = [];
  for (const line of transcript.split('\n')) {
    const m = /^(?:([^:\n]+):\s*)?DECISION:\s*(.+)$/.exec(line.trim());
    if (m)
      out.push({
        title: m[2]!.trim(),
        rationale: null,
        owner: m[1]?.trim() ?? null,
        confidence: 0.9,
        quote: line.trim(),
      });
  }
  return out;
}
