/**
 * Exponential backoff with jitter, the one implementation for every retry loop we have (HTTP retries
 * in the actions, persisted extraction jobs in the service): the ceiling doubles per attempt from
 * `baseMs` up to `maxMs`, and the wait is random in [ceiling/2, ceiling] so retries spread out.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
