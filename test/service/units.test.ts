/** Pure parts of the service: config, Standard Webhooks verification, cost, backoff, cursors, answer parsing. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import { backoffMs } from '../../lib/backoff.js';
import { loadConfig } from '../../service/src/config.js';
import { ExtractionError, parseDecisions } from '../../service/src/extraction/anthropic.js';
import { costUsd, priceOf } from '../../service/src/extraction/cost.js';
import { decodeCursor, encodeCursor } from '../../service/src/pagination.js';
import { checkEnvelope, verifySignature } from '../../service/src/webhooks/standard-webhooks.js';

describe('config', () => {
  test('development defaults: embedded database, port 8000, generated JWT secret with a warning', () => {
    const r = loadConfig({});
    assert.ok(r.ok);
    assert.equal(r.config.port, 8000);
    assert.equal(r.config.databaseUrl, undefined);
    assert.equal(r.config.jwt.algorithm, 'HS256');
    assert.equal(r.config.jwt.expirationHours, 12);
    assert.equal(r.config.jwt.generated, true);
    assert.equal(r.config.jwt.secret.length, 64);
    assert.equal(r.config.version, 'dev');
    assert.equal(r.config.extraction.enabled, false);
    assert.ok(r.warnings.some((w) => w.startsWith('JWT_SECRET_KEY is not set')));
  });

  test('seed variables are read: LOG_LEVEL=INFO, CORS_ORIGINS JSON list, release from RAILWAY_GIT_COMMIT_SHA', () => {
    const r = loadConfig({
      LOG_LEVEL: 'INFO',
      CORS_ORIGINS: '["https://app.decisionlog.io"]',
      RAILWAY_GIT_COMMIT_SHA: 'f00dfeed',
      GIT_SHA: 'ignored',
      SENTRY_TRACES_SAMPLE_RATE: '0.25',
      PORT: '9000',
    });
    assert.ok(r.ok);
    assert.equal(r.config.logLevel, 'info');
    assert.deepEqual(r.config.corsOrigins, ['https://app.decisionlog.io']);
    assert.equal(r.config.version, 'f00dfeed');
    assert.equal(r.config.sentry.tracesSampleRate, 0.25);
    assert.equal(r.config.port, 9000);
  });

  test('production requires DATABASE_URL, a strong JWT secret and the Anthropic key: one line each', () => {
    const r = loadConfig({ ENVIRONMENT: 'production' });
    assert.ok(!r.ok);
    assert.equal(r.problems.length, 3);
    for (const name of ['JWT_SECRET_KEY', 'DATABASE_URL', 'ANTHROPIC_API_KEY']) {
      assert.equal(r.problems.filter((p) => p.startsWith(name)).length, 1, name);
    }
  });

  test('outside local development the JWT secret is required: replicas must share it', () => {
    const staging = loadConfig({ ENVIRONMENT: 'staging', DATABASE_URL: 'postgres://app@db/app' });
    assert.ok(!staging.ok);
    assert.equal(staging.problems.filter((p) => p.startsWith('JWT_SECRET_KEY is required')).length, 1);
    const local = loadConfig({ ENVIRONMENT: 'development' });
    assert.ok(local.ok, 'development still generates a key with a warning');
  });

  test('invalid values are reported one line per variable and never echo the value', () => {
    const secretish = 'hunter2-super-secret';
    const r = loadConfig({
      PORT: 'eighty',
      JWT_ALGORITHM: 'RS256',
      CORS_ORIGINS: 'https://x.io',
      DATABASE_URL: `mysql://root:${secretish}@db/x`,
      TRUST_PROXY: secretish,
      SENTRY_TRACES_SAMPLE_RATE: '2',
      LOG_LEVEL: 'loud',
    });
    assert.ok(!r.ok);
    const names = r.problems.map((p) => p.split(/[ :]/)[0]);
    assert.deepEqual(
      [...names].sort(),
      [
        'CORS_ORIGINS',
        'DATABASE_URL',
        'JWT_ALGORITHM',
        'LOG_LEVEL',
        'PORT',
        'SENTRY_TRACES_SAMPLE_RATE',
        'TRUST_PROXY',
      ].sort(),
    );
    assert.ok(r.problems.every((p) => !p.includes(secretish)));
  });

  test('an Anthropic timeout as long as the extraction lease is refused with one line', () => {
    for (const [timeout, lease] of [
      ['300000', '300000'],
      ['400000', undefined],
      [undefined, '120000'],
    ]) {
      const r = loadConfig({ ANTHROPIC_TIMEOUT_MS: timeout, EXTRACTION_LEASE_MS: lease });
      assert.ok(!r.ok, `timeout ${timeout} lease ${lease}`);
      assert.equal(r.problems.length, 1);
      assert.match(
        r.problems[0]!,
        /^ANTHROPIC_TIMEOUT_MS \(\d+\) must be less than EXTRACTION_LEASE_MS \(\d+\)/,
      );
      assert.match(r.problems[0]!, /pay for it twice/);
    }
    const ok = loadConfig({ ANTHROPIC_TIMEOUT_MS: '299999', EXTRACTION_LEASE_MS: '300000' });
    assert.ok(ok.ok);
    assert.equal(ok.config.anthropic.timeoutMs, 299_999);
  });

  test('empty variables count as unset', () => {
    const r = loadConfig({ DATABASE_URL: '', PORT: ' ', SENTRY_DSN: '' });
    assert.ok(r.ok);
    assert.equal(r.config.databaseUrl, undefined);
    assert.equal(r.config.port, 8000);
  });

  test('the old global TACTIQ_WEBHOOK_SECRET is ignored with a warning (each project has its own)', () => {
    const r = loadConfig({ TACTIQ_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    assert.ok(r.ok);
    assert.ok(r.warnings.some((w) => w.startsWith('TACTIQ_WEBHOOK_SECRET is no longer used')));
  });
});

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

describe('cost and backoff', () => {
  test('cost from usage: input, output, cache writes (1.25×) and reads (0.1×)', () => {
    assert.equal(costUsd({ input_tokens: 1_000_000, output_tokens: 0 }, [2, 10]), 2);
    assert.equal(costUsd({ input_tokens: 1000, output_tokens: 500 }, [2, 10]), 0.007);
    assert.equal(
      costUsd(
        {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 1_000_000,
          cache_read_input_tokens: 1_000_000,
        },
        [2, 10],
      ),
      2.7,
    );
    assert.equal(costUsd({ input_tokens: 10, output_tokens: 10 }, undefined), null);
  });

  test('prices by model id, including dated ids; unknown models have none', () => {
    assert.deepEqual(priceOf('claude-sonnet-5-5'), [2, 10]);
    assert.deepEqual(priceOf('claude-haiku-4-5-20251001'), [1, 5]);
    assert.equal(priceOf('claude-unknown-9'), undefined);
  });

  test('backoff doubles per attempt, stays within [ceiling/2, ceiling], and is capped', () => {
    assert.equal(
      backoffMs(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      backoffMs(1, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(3, 1000, 60_000, () => 1),
      4000,
    );
    assert.equal(
      backoffMs(20, 1000, 60_000, () => 1),
      60_000,
    );
    assert.equal(
      backoffMs(2, 0, 0, () => 1),
      0,
    );
  });
});

describe('cursors and answers', () => {
  test('cursors round-trip and reject anything we did not issue', () => {
    const c = { createdAt: '2026-01-01T00:00:00.123456Z', id: '0b7e8c9a-1234-4abc-8def-0123456789ab' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    for (const bad of [
      '',
      'x',
      "' OR 1=1",
      Buffer.from('["2026-01-01", "x"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      assert.equal(decodeCursor(bad), undefined, bad);
    }
  });

  test('answers: JSON text, fenced JSON, tool_use; prose and wrong shapes are ExtractionErrors worth retrying', () => {
    const d = { title: 'Ship', rationale: null, owner: 'Ana', confidence: 1.4, quote: '' };
    assert.deepEqual(parseDecisions([{ type: 'text', text: JSON.stringify({ decisions: [d] }) }]), [
      { title: 'Ship', rationale: null, owner: 'Ana', confidence: 1, quote: null },
    ]);
    assert.equal(parseDecisions([{ type: 'text', text: '```json\n{"decisions": []}\n```' }]).length, 0);
    assert.equal(
      parseDecisions([
        { type: 'thinking', thinking: '…' },
        { type: 'tool_use', input: { decisions: [d] } },
      ]).length,
      1,
    );
    for (const bad of [
      [{ type: 'text', text: 'We decided to ship.' }],
      [],
      [{ type: 'text', text: '{"decisions": "none"}' }],
    ]) {
      assert.throws(
        () => parseDecisions(bad),
        (e: unknown) => e instanceof ExtractionError && e.retryable,
      );
    }
  });
});
