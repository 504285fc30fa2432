/**
 * service/src/db/database.ts on real PostgreSQL: the probe pool, transactions that roll back,
 * connections that fail, and the slow-query log line. (The embedded PGlite default runs in
 * server.test.ts, in the service's own process.)
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type Db, openDatabase } from '../../service/src/db/database.js';
import { freePort } from '../harness/net.js';
import { freshDatabase, memoryLogger, type TestDatabase } from './helpers.js';

describe('on PostgreSQL', () => {
  let database: TestDatabase;
  let db: Db;
  const logs = memoryLogger();
  beforeAll(async () => {
    database = await freshDatabase();
    db = await openDatabase({
      databaseUrl: database.url,
      embeddedDbDir: 'unused',
      poolMax: 2,
      slowQueryMs: 0,
      log: logs.log,
    });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  test('answers queries, probes through a pool of its own, and logs slow ones (slowQueryMs 0: every one)', async () => {
    assert.equal(db.kind, 'postgres');
    assert.notEqual(db.probe, db, 'health probes never take the app pool');
    assert.equal((await db.probe.query<{ n: number }>('SELECT 2 AS n')).rows[0]?.n, 2);
    const res = await db.query<{ n: number }>('SELECT 1 + 1 AS n');
    assert.equal(res.rows[0]?.n, 2);
    assert.ok(logs.lines.some((l) => l.event === 'slow_query' && /SELECT 1 \+ 1/.test(String(l.query))));
  });

  test('a transaction that throws is rolled back; one that returns is committed', async () => {
    await db.query('CREATE TABLE tx_t (id int)');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_t VALUES (1)');
        throw new Error('stop');
      }),
      /stop/,
    );
    assert.equal((await db.query('SELECT * FROM tx_t')).rows.length, 0);
    await db.transaction((tx) => tx.query('INSERT INTO tx_t VALUES (2)'));
    assert.equal((await db.query('SELECT * FROM tx_t')).rows.length, 1);
  });

  test('settings given to a transaction hold inside it only, and a name that is not one is refused', async () => {
    const inside = await db.transaction(
      (tx) =>
        tx.query<{ s: string; t: string }>(
          `SELECT current_setting('enable_seqscan') AS s, current_setting('application_name') AS t`,
        ),
      { settings: { enable_seqscan: 'off', application_name: "it's local" } },
    );
    assert.deepEqual(inside.rows[0], { s: 'off', t: "it's local" });
    const after = await db.withClient((c) =>
      c.query<{ s: string }>(`SELECT current_setting('enable_seqscan') AS s`),
    );
    assert.equal(after.rows[0]?.s, 'on');
    await assert.rejects(
      db.transaction(() => Promise.resolve(), { settings: { 'x; DROP TABLE tx_t': 1 } }),
      /not a setting name/,
    );
  });

  test('a read-only transaction refuses writes, and its connection is usable at once after it', async () => {
    await assert.rejects(
      db.transaction((tx) => tx.query('INSERT INTO tx_t VALUES (3)'), { readOnly: true }),
      /read-only transaction/,
    );
    for (let i = 0; i < 20; i++) {
      const n = await db.transaction((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_t'), {
        readOnly: true,
      });
      assert.equal(n.rows[0]?.n, 1);
      // The COMMIT may still be on its way: the next statement on any connection sees no open transaction.
      const state = await db.query<{ open: boolean }>(`SELECT now() <> statement_timestamp() AS open`);
      assert.equal(state.rows[0]?.open, false, 'not inside the previous transaction');
    }
  });

  test('a SQL error inside withClient keeps its connection in the pool', async () => {
    await assert.rejects(
      db.withClient((c) => c.query('SELECT * FROM no_such_table')),
      /relation "no_such_table" does not exist/,
    );
    assert.equal(db.poolStats().total, db.poolStats().idle, 'the connection went back, idle');
    assert.ok(db.poolStats().total >= 1);
  });
});

describe('PostgreSQL that is not there', () => {
  test('a query fails with the connection error and no broken connection is kept', async () => {
    const port = await freePort();
    const db = await openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
      embeddedDbDir: 'unused',
      poolMax: 2,
      slowQueryMs: 10_000,
      log: memoryLogger().log,
    });
    try {
      assert.equal(db.kind, 'postgres');
      await assert.rejects(db.query('SELECT 1'), /ECONNREFUSED/);
      await assert.rejects(
        db.withClient(async () => undefined),
        /ECONNREFUSED/,
      );
      assert.deepEqual(db.poolStats(), { total: 0, idle: 0, waiting: 0 });
    } finally {
      await db.close();
    }
  });
});
