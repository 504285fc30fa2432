/**
 * Standard Webhooks (https://www.standardwebhooks.com) verification with the specification's own
 * library, `standardwebhooks`: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>",
 * space-separated "v1,<base64>" entries in webhook-signature (any one may match, so a sender can
 * sign with old and new keys during a rotation), a 5-minute timestamp tolerance and a
 * constant-time compare. `checkEnvelope` is only a cheap filter that runs before the body is read.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** The library's tolerance; the pre-body filter uses the same. */
export const TOLERANCE_SECONDS = 5 * 60;

export type RejectReason = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature';

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Longest webhook-id we store (it is part of a key); Standard Webhooks ids are short. */
export const MAX_ID_LENGTH = 256;

/**
 * The checks that need only the headers: present, id of sane length, timestamp within tolerance.
 * Runs before the body is read, so a delivery that can never verify costs no buffering.
 */
export function checkEnvelope(headers: WebhookHeaders, nowMs: number): RejectReason | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || id.length > MAX_ID_LENGTH) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_timestamp';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return 'stale_timestamp';
  return undefined;
}

/**
 * True when `body` is signed with one of `secrets` (whsec_…; current and, after a rotation, the
 * previous one) and its timestamp is within tolerance.
 */
export function verifySignature(secrets: string[], headers: WebhookHeaders, body: Buffer): boolean {
  const given = {
    'webhook-id': headers.id ?? '',
    'webhook-timestamp': headers.timestamp ?? '',
    'webhook-signature': headers.signature ?? '',
  };
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, given, { jsonParse: false });
      return true;
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
    }
  }
  return false;
}
