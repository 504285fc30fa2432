/**
 * Standard Webhooks verification (https://www.standardwebhooks.com): HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<raw body>" with the base64-decoded whsec_ secret; the
 * webhook-signature header carries space-separated "v1,<base64>" entries, one match is enough.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerdict =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' };

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Longest webhook-id we store (it is a primary key); Standard Webhooks ids are short. */
export const MAX_ID_LENGTH = 256;

/**
 * The checks that need only the headers: present, id of sane length, timestamp within tolerance.
 * Runs before the body is read, so a delivery that can never verify costs no buffering.
 */
export function checkEnvelope(
  headers: WebhookHeaders,
  nowMs: number,
  toleranceSeconds = TOLERANCE_SECONDS,
): Extract<WebhookVerdict, { ok: false }> | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || id.length > MAX_ID_LENGTH)
    return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds)
    return { ok: false, reason: 'stale_timestamp' };
  return undefined;
}

export function verifyWebhook(
  key: Buffer,
  headers: WebhookHeaders,
  body: Buffer,
  nowMs: number,
  toleranceSeconds = TOLERANCE_SECONDS,
): WebhookVerdict {
  const rejected = checkEnvelope(headers, nowMs, toleranceSeconds);
  if (rejected) return rejected;
  const id = headers.id as string;
  const timestamp = headers.timestamp as string;
  const signature = headers.signature as string;
  const ts = Number(timestamp);
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  for (const entry of signature.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected))
      return { ok: true, id, timestamp: ts };
  }
  return { ok: false, reason: 'bad_signature' };
}
