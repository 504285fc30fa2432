import { UserError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `500ms`, `5s`, `1m30s`, `2h`, or a bare number of seconds into milliseconds.
 * `what` names the input in the error message.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = re.exec(value); match; match = re.exec(value)) {
    total += Number(match[1]) * (UNITS[match[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (value === '' || consumed !== value.length) {
    throw new UserError(`${what} "${text}" is not a duration: write it like 500ms, 5s, 2m or 1h30m.`);
  }
  return Math.round(total);
}

/** Formats milliseconds for people: 850ms, 4.2s, 3m05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
