import { serverDelayMs } from '../../../lib/http.js';

/** Railway's rate-limit state, read from the last response's headers. */
export interface RateLimit {
  remaining?: number;
  /** Milliseconds until the window resets. */
  resetInMs?: number;
}

/** Below this many requests left in the window, polling slows down to spare the budget. */
const LOW_REMAINING = 10;

export function readRateLimit(headers: Record<string, string>, now = Date.now()): RateLimit {
  const remaining = headers['x-ratelimit-remaining'];
  const parsed = remaining !== undefined && /^\d+$/.test(remaining.trim()) ? Number(remaining) : undefined;
  const resetInMs =
    headers['x-ratelimit-reset'] !== undefined
      ? serverDelayMs({ 'x-ratelimit-reset': headers['x-ratelimit-reset'] }, now)
      : undefined;
  return { remaining: parsed, resetInMs };
}

/**
 * Wait before poll number `attempt` (1-based): starts at `baseMs` and grows ×1.5 per poll up to
 * 5 × base (2 s → 3 s → 4.5 s → 6.75 s → 10 s with the default base). With no requests left in
 * Railway's window it waits for the reset; with few left it doubles the wait (up to 10 × base). Never waits past
 * `remainingMs` (the time left before the step's timeout), and never less than 0.
 */
export function nextPollDelayMs(
  attempt: number,
  baseMs: number,
  rate: RateLimit = {},
  remainingMs = Infinity,
): number {
  const ceiling = baseMs * 5;
  let delay = Math.min(ceiling, Math.round(baseMs * 1.5 ** Math.max(0, attempt - 1)));
  if (rate.remaining !== undefined) {
    if (rate.remaining <= 0 && rate.resetInMs !== undefined) delay = Math.max(delay, rate.resetInMs);
    else if (rate.remaining < LOW_REMAINING) delay = Math.min(delay * 2, ceiling * 2);
  }
  return Math.max(0, Math.min(delay, remainingMs));
}
