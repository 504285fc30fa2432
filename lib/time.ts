/**
 * Instants given as input text: an ISO 8601 time (`2025-01-31T12:00:00Z`, an offset, or a date alone)
 * or Unix time (`date +%s` seconds, or milliseconds as JavaScript prints them).
 */
import { UserError } from './errors.js';

// Date, then optionally time (minutes, seconds, fraction) and a zone; `T` or a space between them.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Numbers above this are milliseconds: as seconds they would be after the year 33000. */
const MILLISECONDS_FROM = 1e12;

/**
 * `text` as a Date. A time without a zone is read as UTC (runners run in UTC; a local reading would
 * depend on the machine). `inputName` names the input in the error sentence.
 */
export function parseInstant(text: string, inputName: string): Date {
  const value = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(value) ? unixMs(Number(value)) : isoMs(value);
  if (ms === undefined || Number.isNaN(ms) || !Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) {
    throw new UserError(
      `Input "${inputName}" is "${text}", which is not a time: use an ISO 8601 time (2025-01-31T12:00:00Z) or Unix seconds (date +%s).`,
    );
  }
  return new Date(ms);
}

function unixMs(n: number): number {
  return Math.round(n >= MILLISECONDS_FROM ? n : n * 1000);
}

function isoMs(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map((p) => Number(p ?? 0));
  // Date.parse rolls 2025-02-30 over to March; a day the month does not have is a typo, not a time.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const hasTime = m[4] !== undefined;
  const zone = m[7];
  let iso = text.replace(' ', 'T').replace(',', '.');
  if (hasTime && zone === undefined) iso += 'Z';
  // Date.parse wants `+hh:mm`; ISO 8601 also allows `+hhmm` and `+hh`.
  if (zone && /^[+-]/.test(zone)) {
    const normal =
      zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    iso = iso.slice(0, iso.length - zone.length) + normal;
  }
  return Date.parse(hasTime ? iso : `${iso}T00:00:00Z`);
}
