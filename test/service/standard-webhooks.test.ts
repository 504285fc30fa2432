/** service/src/webhooks/standard-webhooks.ts: signature verification against the reference vector. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'vitest';
import { verifyWebhook } from '../../service/src/webhooks/standard-webhooks.js';

describe('Standard Webhooks verification', () => {
  const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const ts = 1614265330;
  const body = Buffer.from('{"test": 2432232314}');
  // The Standard Webhooks reference test vector.
  const reference = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const now = ts * 1000;

  test('the reference vector verifies', () => {
    assert.deepEqual(verifyWebhook(key, { id, timestamp: String(ts), signature: reference }, body, now), {
      ok: true,
      id,
      timestamp: ts,
    });
    const mine = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
    assert.equal(`v1,${mine}`, reference);
  });

  test('one valid signature among several is enough; other versions are ignored', () => {
    const sig = `v2,${reference.slice(3)} v1,Zm9vYmFy ${reference}`;
    assert.equal(verifyWebhook(key, { id, timestamp: String(ts), signature: sig }, body, now).ok, true);
    assert.equal(
      verifyWebhook(key, { id, timestamp: String(ts), signature: `v2,${reference.slice(3)}` }, body, now).ok,
      false,
    );
  });

  test('tolerance is 5 minutes either way', () => {
    const at = (deltaS: number) =>
      verifyWebhook(key, { id, timestamp: String(ts), signature: reference }, body, now + deltaS * 1000);
    assert.equal(at(300).ok, true);
    assert.equal(at(-300).ok, true);
    assert.deepEqual(at(301), { ok: false, reason: 'stale_timestamp' });
    assert.deepEqual(at(-301), { ok: false, reason: 'stale_timestamp' });
  });

  test('tampered body, id, timestamp, missing headers', () => {
    const v = (h: Partial<{ id: string; timestamp: string; signature: string }>, b = body) =>
      verifyWebhook(key, { id, timestamp: String(ts), signature: reference, ...h }, b, now);
    assert.deepEqual(v({}, Buffer.from('{"test": 2432232315}')), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(v({ id: 'msg_other' }), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(v({ timestamp: String(ts + 1) }), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(v({ timestamp: '16142653e3' }), { ok: false, reason: 'bad_timestamp' });
    assert.deepEqual(v({ signature: '' }), { ok: false, reason: 'missing_headers' });
    assert.deepEqual(v({ id: '' }), { ok: false, reason: 'missing_headers' });
  });
});
