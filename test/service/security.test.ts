/**
 * What an attacker tries against the HTTP API, on real PostgreSQL: revoked and orphaned tokens,
 * weak stored password hashes, password guessing (rate limits per client address, behind a proxy
 * only as configured), missing security headers, and slow-header connections (server timeouts).
 */
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { buildApp } from '../../service/src/app.js';
import {
  bearer,
  freshDatabase,
  login,
  memoryLogger,
  register,
  startApp,
  type TestDatabase,
  type TestService,
  testConfig,
} from './helpers.js';

let database: TestDatabase;
let svc: TestService;

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
});
afterAll(async () => {
  await svc?.close();
  await database?.drop();
});

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

describe('tokens', () => {
  test('logout revokes every token of the user at once; a new login works', async () => {
    const first = await register(svc.app, 'logout@example.com');
    const second = await login(svc.app, 'logout@example.com');
    const out = await svc.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(first) });
    assert.equal(out.statusCode, 204);
    for (const token of [first, second]) {
      const res = await svc.app.inject({ url: '/api/projects', headers: bearer(token) });
      assert.equal(res.statusCode, 401);
      assert.equal(errorOf(res.body).code, 'token_revoked');
    }
    const again = await login(svc.app, 'logout@example.com');
    assert.equal((await svc.app.inject({ url: '/api/projects', headers: bearer(again) })).statusCode, 200);
  });

  test('a token of a deleted user no longer authenticates', async () => {
    const token = await register(svc.app, 'deleted@example.com');
    assert.equal((await svc.app.inject({ url: '/api/projects', headers: bearer(token) })).statusCode, 200);
    await svc.db.query("DELETE FROM users WHERE email = 'deleted@example.com'");
    const res = await svc.app.inject({ url: '/api/projects', headers: bearer(token) });
    assert.equal(res.statusCode, 401);
  });
});

describe('password hashes', () => {
  test('by default new hashes use N=2^17; an old N=2^14 hash still logs in and is replaced', async () => {
    // The default cost, as production runs (the other tests lower it for speed).
    const config = testConfig({ DATABASE_URL: database.url, PASSWORD_HASH_COST: undefined });
    assert.equal(config.passwordHashCost, 17);
    const app = buildApp({ config, db: svc.db, log: memoryLogger().log });
    await app.ready();
    try {
      const salt = randomBytes(16);
      const key = scryptSync('old-password-123', salt, 32, { N: 16384, r: 8, p: 1 });
      const old = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
      await svc.db.query("INSERT INTO users (email, password_hash) VALUES ('legacy@example.com', $1)", [old]);
      assert.ok(await login(app, 'legacy@example.com', 'old-password-123'));
      const stored = async () =>
        (
          await svc.db.query<{ password_hash: string }>(
            "SELECT password_hash FROM users WHERE email = 'legacy@example.com'",
          )
        ).rows[0]!.password_hash;
      assert.match(await stored(), /^scrypt\$131072\$8\$1\$/);
      assert.ok(await login(app, 'legacy@example.com', 'old-password-123'), 'the new hash verifies');
      assert.equal(
        (
          await svc.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: 'legacy@example.com', password: 'wrong-password' },
          })
        ).statusCode,
        401,
      );
    } finally {
      await app.close();
    }
  });

  test('a cost below 2^17 is refused outside local development', () => {
    assert.throws(
      () => testConfig({ ENVIRONMENT: 'staging', PASSWORD_HASH_COST: '14' }),
      /PASSWORD_HASH_COST below 17/,
    );
  });
});

describe('security headers', () => {
  test('every answer says nosniff and HSTS, errors included', async () => {
    for (const url of ['/api/health', '/api/projects', '/api/nope']) {
      const res = await svc.app.inject({ url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.match(
        String(res.headers['strict-transport-security']),
        /^max-age=\d{8,}; includeSubDomains$/,
        url,
      );
    }
  });
});

describe('rate limits', () => {
  /** An app on the same database with its own limits and proxy trust. */
  async function limitedApp(env: Record<string, string>) {
    const config = testConfig({ DATABASE_URL: database.url, ...env });
    const app = buildApp({ config, db: svc.db, log: memoryLogger().log });
    await app.ready();
    return app;
  }
  const attempt = (
    app: Awaited<ReturnType<typeof limitedApp>>,
    remoteAddress: string,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers,
      // An incomplete body (400) counts like a guess and spares the test a password hash per attempt.
      payload: { email: 'nobody@example.com' },
    });

  test('login guesses per client address: 429 with Retry-After after the limit; other clients unaffected', async () => {
    const app = await limitedApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await attempt(app, '203.0.113.7')).statusCode, 400);
      const limited = await attempt(app, '203.0.113.7');
      assert.equal(limited.statusCode, 429);
      assert.equal(errorOf(limited.body).code, 'rate_limited');
      assert.match(String(limited.headers['retry-after']), /^\d+$/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await attempt(app, '203.0.113.8')).statusCode, 400, 'another address has its own count');
      // Register is limited too, on its own counter.
      const reg = () =>
        app.inject({
          method: 'POST',
          url: '/api/auth/register',
          remoteAddress: '203.0.113.9',
          payload: { email: 'x', password: 'y' },
        });
      for (let i = 0; i < 3; i++) assert.equal((await reg()).statusCode, 400);
      assert.equal((await reg()).statusCode, 429);
    } finally {
      await app.close();
    }
  });

  test('X-Forwarded-For is ignored unless TRUST_PROXY says how many proxies to believe', async () => {
    const direct = await limitedApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      // Without a trusted proxy, a client cannot escape its count by inventing addresses.
      for (let i = 0; i < 2; i++) await attempt(direct, '198.51.100.1', { 'x-forwarded-for': `10.0.0.${i}` });
      const res = await attempt(direct, '198.51.100.1', { 'x-forwarded-for': '10.0.0.99' });
      assert.equal(res.statusCode, 429);
    } finally {
      await direct.close();
    }
    const behindRailway = await limitedApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '1' });
    try {
      // The proxy (one hop) appends the real client: that address counts, whatever the client prepends.
      const viaProxy = (spoof: string, client: string) =>
        attempt(behindRailway, '100.64.0.2', { 'x-forwarded-for': `${spoof}, ${client}` });
      await viaProxy('1.1.1.1', '192.0.2.10');
      await viaProxy('2.2.2.2', '192.0.2.10');
      assert.equal(
        (await viaProxy('3.3.3.3', '192.0.2.10')).statusCode,
        429,
        'spoofed first entries do not help',
      );
      assert.equal(
        (await viaProxy('3.3.3.3', '192.0.2.11')).statusCode,
        400,
        'each real client counts apart',
      );
    } finally {
      await behindRailway.close();
    }
  });

  test('TRUST_PROXY=true (trust everyone) is refused at start', () => {
    assert.throws(() => testConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY/);
  });

  test('a generous global limit covers every route', async () => {
    const app = await limitedApp({ RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++)
        codes.push((await app.inject({ url: '/api/projects', remoteAddress: '192.0.2.50' })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 401, 401, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('server timeouts', () => {
  test('a client that never finishes its headers is cut off (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const config = testConfig({
      DATABASE_URL: database.url,
      HTTP_HEADERS_TIMEOUT_MS: '300',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
    const app = buildApp({ config, db: svc.db, log: memoryLogger().log });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      assert.equal(app.server.headersTimeout, 300);
      assert.equal(app.server.requestTimeout, 1000);
      assert.equal(app.server.keepAliveTimeout, config.http.keepAliveTimeoutMs);
      assert.equal(app.server.timeout, config.http.connectionTimeoutMs);
      const { port } = app.server.address() as { port: number };
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d));
      // Half a request line, then silence: a slowloris connection.
      socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
      await new Promise<void>((resolve) => socket.on('close', () => resolve()));
      assert.match(answer, /^HTTP\/1\.1 408/);
    } finally {
      await app.close();
    }
  });
});
