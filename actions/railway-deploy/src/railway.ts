import { outcomeUnknown, UserError } from '../../../lib/errors.js';
import { excerpt, http, NetworkError, type RetryInfo } from '../../../lib/http.js';
import { type RateLimit, readRateLimit } from './poll.js';

export type TokenType = 'project' | 'account';

export interface RailwayApiOptions {
  url: string;
  token: string;
  tokenType: TokenType;
  /** Aborts in-flight requests (cancellation). */
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

/** How one request may be cut short. */
export interface RequestOptions {
  /** Timeout of each attempt (default 30 s). */
  timeoutMs?: number;
  /** Ends the whole request, retries included, e.g. when the step's timeout runs out. */
  deadline?: AbortSignal;
  /**
   * false for mutations: the cancel signal never cuts them short, so we know whether Railway got
   * them and can say what may have happened.
   */
  cancellable?: boolean;
  /**
   * The request changes something (deploy, rollback, settings): it is sent at most once. A 5xx, a
   * reset or a timeout after sending throws `UnconfirmedMutation`, never a second request.
   */
  mutation?: boolean;
}

/** A GraphQL `errors` answer (or an HTTP failure) turned into the one sentence a user sees. */
export class RailwayError extends UserError {
  constructor(
    message: string,
    readonly railwayMessages: string[],
  ) {
    super(message);
  }
}

/**
 * Railway may or may not have applied a mutation: it answered 5xx, or the connection broke or timed
 * out after the request was sent. The caller finds out what happened instead of sending it again.
 */
export class UnconfirmedMutation extends RailwayError {
  readonly outcomeUnknown = true;

  constructor(
    doing: string,
    /** What went wrong, e.g. "HTTP 502" or "connection reset by the server (ECONNRESET)". */
    readonly detail: string,
  ) {
    super(
      `Railway did not confirm ${doing} (${detail}): it may or may not have been applied, so it was not sent again.`,
      [],
    );
  }
}

/** Railway's header for each kind of token: project tokens are not Bearer tokens. */
export function authHeaders(token: string, tokenType: TokenType): Record<string, string> {
  return tokenType === 'project' ? { 'project-access-token': token } : { authorization: `Bearer ${token}` };
}

/**
 * One sentence for Railway's GraphQL errors: "Not Authorized" gets a token-type hint, "not found"
 * points at the IDs, anything else is quoted. `doing` reads like "starting the deployment".
 */
export function explainGraphQLErrors(messages: string[], doing: string, tokenType: TokenType): string {
  const quoted = messages.map((m) => m.replace(/\.$/, '')).join('; ');
  if (messages.some((m) => /project token not found/i.test(m))) {
    return `Railway does not know this project token while ${doing} ("${quoted}"): it was deleted or is not a project token, so create one in the project's Settings → Tokens for this environment and update the secret (an account or workspace token needs token-type "account").`;
  }
  if (messages.some((m) => /commit not found/i.test(m))) {
    return `Railway could not find the commit in the service's connected GitHub repository while ${doing} ("${quoted}"): push the commit to that repository first and pass its full 40-character SHA, or connect the service to the repository the commit belongs to.`;
  }
  if (messages.some((m) => /not authori[sz]ed|unauthori[sz]ed|forbidden/i.test(m))) {
    const hint =
      tokenType === 'project'
        ? 'with token-type "project" it is sent as the Project-Access-Token header and must be a token of this project and environment (Project Settings → Tokens); an account or workspace token needs token-type "account"'
        : 'with token-type "account" it is sent as "Authorization: Bearer" and must be an account or workspace token with access to this project; a project token needs token-type "project"';
    return `Railway refused the token while ${doing} ("${quoted}"): ${hint}.`;
  }
  if (messages.some((m) => /not found|does not exist|no such/i.test(m))) {
    return `Railway found nothing to act on while ${doing} ("${quoted}"): check project-id, environment-id and service-id (the IDs from the service's settings, not names) and that the token can see them.`;
  }
  return `Railway rejected the request while ${doing}: ${quoted}.`;
}

/** Railway's public GraphQL API over the shared HTTP client (retries, Retry-After, timeouts). */
export class RailwayApi {
  /** Rate-limit headers of the last answer, so polling can slow down before Railway says 429. */
  rateLimit: RateLimit = {};

  constructor(private readonly opts: RailwayApiOptions) {}

  async request<T>(
    document: string,
    variables: Record<string, unknown>,
    doing: string,
    opts: RequestOptions = {},
  ): Promise<T> {
    const signals = [opts.cancellable === false ? undefined : this.opts.signal, opts.deadline].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    let res: Awaited<ReturnType<typeof http>>;
    try {
      res = await http(this.opts.url, {
        method: 'POST',
        json: { query: document, variables },
        headers: { ...authHeaders(this.opts.token, this.opts.tokenType), accept: 'application/json' },
        service: 'Railway API',
        timeoutMs: opts.timeoutMs ?? 30_000,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
        onRetry: this.opts.onRetry,
        mutation: opts.mutation,
      });
    } catch (err) {
      if (opts.mutation && err instanceof NetworkError && outcomeUnknown(err))
        throw new UnconfirmedMutation(doing, err.detail);
      throw err;
    }
    this.rateLimit = readRateLimit(res.headers);
    // A 5xx to a mutation says nothing about whether Railway applied it, whatever the body holds.
    if (opts.mutation && res.status >= 500) throw new UnconfirmedMutation(doing, `HTTP ${res.status}`);
    let body: { data?: T | null; errors?: Array<{ message?: string }> } | undefined;
    try {
      body = res.text ? res.json() : undefined;
    } catch {
      body = undefined;
    }
    const messages = (body?.errors ?? []).map((e) => String(e?.message ?? 'unknown error'));
    if (messages.length > 0)
      throw new RailwayError(explainGraphQLErrors(messages, doing, this.opts.tokenType), messages);
    if (res.status === 429) {
      throw new RailwayError(
        `Railway rate-limited this token while ${doing} (HTTP 429, retry after ${res.headers['retry-after'] ?? 'an unknown time'}): wait for the limit to reset or poll less often (raise poll-interval).`,
        [],
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new RailwayError(
        explainGraphQLErrors([`Not Authorized (HTTP ${res.status})`], doing, this.opts.tokenType),
        [],
      );
    }
    if (res.status < 200 || res.status >= 300 || !body || body.data == null) {
      throw new RailwayError(
        `Railway API answered HTTP ${res.status} without data while ${doing} (${excerpt(res.text, 200) || 'empty body'}): check api-url and Railway's status page, then re-run.`,
        [],
      );
    }
    return body.data;
  }
}
