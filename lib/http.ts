import { request } from 'undici';
import { backoffMs } from './backoff.js';
import { formatDuration } from './duration.js';
import { UserError } from './errors.js';

/**
 * The one HTTP client every action uses: undici with explicit timeouts, retries with exponential
 * backoff and jitter on network errors and 5xx, and `Retry-After` honoured on 429/503.
 * It returns the final response whatever its status (callers turn 4xx bodies into sentences) and
 * throws a `NetworkError` only when no response arrived at all.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the 429 is returned to the caller. */
  maxRetryAfterMs: number;
  /** Retry 500/502/503/504 (off for requests that must not be repeated). */
  retryServerErrors: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  retryServerErrors: true,
};

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with the right content type. */
  json?: unknown;
  body?: string;
  /** Whole-request timeout per attempt (connect + headers + body). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Names the service in error messages, e.g. "Railway API". */
  service?: string;
  /** Called before each wait so actions can log what is happening. */
  onRetry?: (info: RetryInfo) => void;
  /** Largest response body kept, in bytes. */
  maxBodyBytes?: number;
  /**
   * The request changes something (deploy, rollback, post, record): it is re-sent only when it
   * provably never reached the server (connection refused, DNS failure) or the server refused it
   * unprocessed (429). A 5xx is returned as it is, and a timeout or reset throws a NetworkError with
   * `outcomeUnknown: true`, so the caller finds out what happened before trying again.
   */
  mutation?: boolean;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Time of the last attempt, from sending to the end of the body. */
  durationMs: number;
  attempts: number;
  json<T = unknown>(): T;
}

export class NetworkError extends UserError {
  /** What went wrong, without the service or URL, e.g. "connection refused (ECONNREFUSED)". */
  readonly detail: string;
  /** False only when the request provably never reached the server (refused, DNS). */
  readonly outcomeUnknown: boolean;

  constructor(
    message: string,
    readonly code: string,
    detail?: string,
  ) {
    super(message);
    this.detail = detail ?? message;
    this.outcomeUnknown = !NEVER_SENT.has(code);
  }
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Errors raised before a single byte of the request reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a failed attempt may be sent again: always for reads, for mutations only if never sent. */
export function mayResend(code: string, mutation: boolean): boolean {
  return !mutation || NEVER_SENT.has(code);
}

export async function http(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  if (opts.mutation) policy.retryServerErrors = false;
  const service = opts.service ?? new URL(url).host;
  const headers: Record<string, string> = { 'user-agent': 'decisionlog-deploy-suite', ...opts.headers };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] ??= 'application/json';
  }
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(url, { ...opts, headers, body }, attempt);
    const last = attempt > policy.retries;
    if ('response' in outcome) {
      const res = outcome.response;
      const delay = retryDelayMs(res.status, res.headers, attempt, policy);
      if (last || delay === undefined || opts.signal?.aborted) return res;
      opts.onRetry?.({ attempt, delayMs: delay, reason: `HTTP ${res.status}` });
      await sleep(delay, opts.signal);
      continue;
    }
    const { code, detail } = outcome;
    const attempts = `${attempt} attempt${attempt > 1 ? 's' : ''}`;
    if (code === 'ABORTED' || opts.signal?.aborted) {
      // The caller stopped it (e.g. the run is being cancelled): nothing is wrong with the URL or host.
      throw new NetworkError(
        `Stopped the request to ${service} (${new URL(url).origin}) after ${attempts}: the request was cancelled, so its result is unknown.`,
        'ABORTED',
        'the request was cancelled',
      );
    }
    if (!mayResend(code, opts.mutation ?? false)) {
      throw new NetworkError(
        `${service} (${new URL(url).origin}) did not answer the request that changes something: ${detail}; it may or may not have been applied, so it was not sent again.`,
        code,
        detail,
      );
    }
    if (last) {
      throw new NetworkError(
        `Could not reach ${service} (${new URL(url).origin}): ${detail} after ${attempts}; check the URL and that the host is up.`,
        code,
        detail,
      );
    }
    const delay = backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs);
    opts.onRetry?.({ attempt, delayMs: delay, reason: detail });
    await sleep(delay, opts.signal);
  }
}

type Attempt = { response: HttpResponse } | { code: string; detail: string };

async function attemptOnce(
  url: string,
  opts: HttpOptions & { headers: Record<string, string>; body: string | undefined },
  attempt: number,
): Promise<Attempt> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const started = performance.now();
  try {
    const res = await request(url, {
      method: (opts.method ?? (opts.body === undefined ? 'GET' : 'POST')) as 'GET',
      headers: opts.headers,
      body: opts.body,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await readLimited(res.body, opts.maxBodyBytes ?? 5_000_000);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    return {
      response: {
        status: res.statusCode,
        headers,
        text,
        durationMs: performance.now() - started,
        attempts: attempt,
        json<T>(): T {
          return JSON.parse(text) as T;
        },
      },
    };
  } catch (err) {
    if (opts.signal?.aborted) return { code: 'ABORTED', detail: 'the request was cancelled' };
    if (timeout.aborted) return { code: 'TIMEOUT', detail: `no answer within ${formatDuration(timeoutMs)}` };
    return describeNetworkError(err);
  }
}

async function readLimited(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Turns a low-level socket error into a code and a phrase people understand. */
export function describeNetworkError(err: unknown): { code: string; detail: string } {
  const e = err as { code?: string; cause?: { code?: string }; name?: string; message?: string };
  const code = e?.code ?? e?.cause?.code ?? e?.name ?? 'ERROR';
  const phrases: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host name not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed',
    ECONNRESET: 'connection reset by the server',
    EPIPE: 'connection closed by the server',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'connection closed unexpectedly',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
    UND_ERR_BODY_TIMEOUT: 'response body stalled',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  };
  return { code, detail: `${phrases[code] ?? e?.message ?? 'network error'} (${code})` };
}

/**
 * How long to wait before retrying a response, or undefined when it must not be retried.
 * 429 (and 503 with Retry-After) follow the server's word; 5xx back off with jitter.
 */
export function retryDelayMs(
  status: number,
  headers: Record<string, string>,
  attempt: number,
  policy: RetryPolicy,
  now = Date.now(),
  random = Math.random,
): number | undefined {
  const told = serverDelayMs(headers, now);
  if (status === 429) {
    const wait = told ?? backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
    return wait > policy.maxRetryAfterMs ? undefined : wait;
  }
  if (policy.retryServerErrors && RETRYABLE_STATUS.has(status)) {
    if (told !== undefined) return told > policy.maxRetryAfterMs ? undefined : told;
    return backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
  }
  return undefined;
}

/** Reads Retry-After (seconds or HTTP date), or a reset time given as epoch seconds. */
export function serverDelayMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers['x-sentry-rate-limit-reset'] ?? headers['x-ratelimit-reset'];
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim())) {
    const value = Number(reset);
    // Epoch seconds when large, otherwise seconds from now.
    return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.ceil(value * 1000);
  }
  return undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A short, single-line excerpt of a response body for error messages. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
