/**
 * GET /api/health when the database is away: 503 unhealthy with the failing check, both when the
 * server refuses (database dropped) and when it never answers (a socket that accepts and stays silent).
 */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { buildApp } from '../../service/src/app.js';
import { openDatabase } from '../../service/src/db/database.js';
import { freshDatabase, memoryLogger, startApp, testConfig } from './helpers.js';

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
    const res = await app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 503);
    const body = res.json() as HealthBody;
    assert.equal(body.status, 'unhealthy');
    assert.match(body.checks.database.error ?? '', /no answer within 300 ms/);
    assert.equal(body.migrations.current, null);
  } finally {
    for (const s of sockets) s.destroy();
    await app.close();
    await db.close().catch(() => undefined);
    silent.close();
  }
});
