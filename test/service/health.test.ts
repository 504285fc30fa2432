/**
 * GET /api/health when the database is away: 503 unhealthy with the failing check, both when the
 * server refuses (database dropped) and when it never answers (a socket that accepts and stays silent).
 */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { test } from 'vitest';
import { buildApp } from '../../service/src/app.js';
import { openDatabase } from '../../service/src/db/database.js';
import { bearer, freshDatabase, memoryLogger, register, startApp, testConfig } from './helpers.js';

interface HealthBody {
  status: string;
  version: string;
  checks: { database: { status: string; latency_ms: number; error?: string } };
  migrations: { current: number | null };
}

test('health answers 200, then 503 unhealthy once the database is gone', async () => {
  const database = await freshDatabase();
  const svc = await startApp(database.url);
  try {
    assert.equal((await svc.app.inject({ url: '/api/health' })).statusCode, 200);
    await database.drop();
    const res = await svc.app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 503);
    assert.match(String(res.headers['cache-control']), /no-store/);
    const body = res.json() as HealthBody;
    assert.equal(body.status, 'unhealthy');
    assert.equal(body.checks.database.status, 'error');
    assert.match(body.checks.database.error ?? '', /refused/);
    assert.equal(body.version, 'abc1234def');
    assert.ok(svc.lines.some((l) => l.event === 'health_database_error'));
  } finally {
    await svc.close().catch(() => undefined);
    await database.drop();
  }
});

test('health answers 503 within the timeout when the database accepts connections but never answers', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  const url = `postgres://postgres@127.0.0.1:${port}/nothing`;
  const config = testConfig({ DATABASE_URL: url, HEALTH_DB_TIMEOUT_MS: '300' });
  const { log } = memoryLogger();
  const db = await openDatabase({
    databaseUrl: url,
    embeddedDbDir: 'memory://',
    poolMax: 2,
    slowQueryMs: 500,
    log,
  });
  const app = buildApp({ config, db, log });
  try {
    // More probes at once than the app pool has connections, then more after them.
    const burst = await Promise.all(Array.from({ length: 5 }, () => app.inject({ url: '/api/health' })));
    const later = [await app.inject({ url: '/api/health' }), await app.inject({ url: '/api/health' })];
    for (const res of [...burst, ...later]) {
      assert.equal(res.statusCode, 503);
      const body = res.json() as HealthBody;
      assert.equal(body.status, 'unhealthy');
      assert.match(body.checks.database.error ?? '', /no answer within 300 ms/);
      assert.equal(body.migrations.current, null);
    }
    // The probes ran on their own pool: the app pool opened nothing and nobody waits for it.
    assert.deepEqual(db.poolStats(), { total: 0, idle: 0, waiting: 0 });
  } finally {
    for (const s of sockets) s.destroy();
    await app.close();
    await db.close().catch(() => undefined);
    silent.close();
  }
});

test('probes against a hanging query never take the app pool: real requests are still served', async () => {
  const database = await freshDatabase();
  const svc = await startApp(database.url, { HEALTH_DB_TIMEOUT_MS: '300' });
  const locker = new pg.Client({ connectionString: database.url });
  try {
    const token = await register(svc.app, 'health-starve@example.com');
    assert.equal((await svc.app.inject({ url: '/api/health' })).statusCode, 200);
    // The health query reads schema_migrations: an exclusive lock makes it hang like a stuck database.
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE');

    // More concurrent probes than the app pool's 5 connections, then some more.
    const burst = await Promise.all(Array.from({ length: 8 }, () => svc.app.inject({ url: '/api/health' })));
    const later = [
      await svc.app.inject({ url: '/api/health' }),
      await svc.app.inject({ url: '/api/health' }),
    ];
    for (const res of [...burst, ...later]) {
      assert.equal(res.statusCode, 503, res.body);
      assert.match((res.json() as HealthBody).checks.database.error ?? '', /no answer within 300 ms/);
    }

    // Had the probes used app connections, they would hold them for statement_timeout (30 s) and
    // this request would wait for a connection and fail after connectionTimeoutMillis (5 s).
    assert.equal(svc.db.poolStats().waiting, 0);
    const projects = await svc.app.inject({ url: '/api/projects', headers: bearer(token) });
    assert.equal(projects.statusCode, 200, projects.body);
    assert.equal(svc.db.poolStats().waiting, 0);

    await locker.query('ROLLBACK');
    const recovered = await svc.app.inject({ url: '/api/health' });
    assert.equal(recovered.statusCode, 200, recovered.body);
    assert.equal((recovered.json() as HealthBody).checks.database.status, 'ok');
  } finally {
    await locker.end().catch(() => undefined);
    await svc.close().catch(() => undefined);
    await database.drop();
  }
});
