/** service/src/config.ts: environment variables → the service's configuration, and the warnings and errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { loadConfig } from '../../service/src/config.js';

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
