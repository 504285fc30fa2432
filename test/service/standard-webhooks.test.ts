/** service/src/webhooks/standard-webhooks.ts: Standard Webhooks signature and envelope checks. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import { checkEnvelope, verifySignature } from '../../service/src/webhooks/standard-webhooks.js';

describe('Standard Webhooks verification (the standardwebhooks library)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const ts = 1614265330;
  const body = Buffer.from('{"test": 2432232314}');
  // The Standard Webhooks reference test vector.
  const reference = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const now = ts * 1000;
  const headers = (h: Partial<{ id: string; timestamp: string; signature: string }> = {}) => ({
    id,
    timestamp: String(ts),
    signature: reference,
    ...h,
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
  });
  afterEach(() => vi.useRealTimers());

  test('the reference vector verifies', () => {
    assert.equal(verifySignature([secret], headers(), body), true);
    const mine = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
    assert.equal(`v1,${mine}`, reference);
  });

  test('rotation: one valid signature among several is enough, and either of two secrets', () => {
    const sig = `v2,${reference.slice(3)} v1,Zm9vYmFy ${reference}`;
    assert.equal(verifySignature([secret], headers({ signature: sig }), body), true);
    assert.equal(verifySignature([secret], headers({ signature: `v2,${reference.slice(3)}` }), body), false);
    assert.equal(verifySignature(['whsec_b3RoZXIta2V5LW90aGVyLWtleQ==', secret], headers(), body), true);
    assert.equal(verifySignature([], headers(), body), false, 'no secret: nothing verifies');
  });

  test('tolerance is 5 minutes either way', () => {
    for (const [deltaS, ok] of [
      [300, true],
      [-300, true],
      [301, false],
      [-301, false],
    ] as const) {
      vi.setSystemTime(now + deltaS * 1000);
      assert.equal(verifySignature([secret], headers(), body), ok, String(deltaS));
      assert.equal(checkEnvelope(headers(), now + deltaS * 1000), ok ? undefined : 'stale_timestamp');
    }
  });

  test('tampered body, id, timestamp, missing headers', () => {
    assert.equal(verifySignature([secret], headers(), Buffer.from('{"test": 2432232315}')), false);
    assert.equal(verifySignature([secret], headers({ id: 'msg_other' }), body), false);
    assert.equal(verifySignature([secret], headers({ timestamp: String(ts + 1) }), body), false);
    assert.equal(checkEnvelope(headers({ timestamp: '16142653e3' }), now), 'bad_timestamp');
    assert.equal(checkEnvelope(headers({ signature: '' }), now), 'missing_headers');
    assert.equal(checkEnvelope(headers({ id: '' }), now), 'missing_headers');
    assert.equal(checkEnvelope(headers({ id: 'x'.repeat(257) }), now), 'missing_headers');
  });
});
