/** The runner imported directly, as the DecisionLog service does: node-postgres and PGlite. */
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, test } from 'vitest';
import {
  applyMigrations,
  MigrationError,
  pgAdapter,
  planFromDatabase,
  type SqlClient,
  tryApplyMigrations,
  verifyNoOpenTransaction,
} from '../../../lib/migrations/runner.js';
import { createDb, migrationDir } from './helpers.js';

function pgliteAdapter(db: PGlite): SqlClient {
  return {
    async query<R>(text: string, params?: unknown[]) {
      return { rows: (await db.query<R>(text, params)).rows };
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}

describe('runner', () => {
  test('PGlite: applies, records, re-runs idempotently and detects an edited file', async () => {
    const dir = migrationDir({
      '0001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1);\n',
      '0002_b.sql': "CREATE TABLE b (note text DEFAULT 'x;y');\n",
    });
    const db = await PGlite.create();
    try {
      const client = pgliteAdapter(db);
      const seen: string[] = [];
      const first = await applyMigrations(client, {
        dir: dir.path,
        appliedBy: 'service boot',
        beforeApply: async (pending) => void seen.push(`before ${pending.length}`),
        onApplied: (m) => seen.push(m.name),
      });
      assert.deepEqual(
        first.applied.map((a) => a.name),
        ['0001_a.sql', '0002_b.sql'],
      );
      assert.deepEqual([first.pending, first.current], [2, 2]);
      assert.deepEqual(seen, ['before 2', '0001_a.sql', '0002_b.sql']);
      const rows = await db.query<{ applied_by: string }>('SELECT applied_by FROM schema_migrations');
      assert.deepEqual(
        rows.rows.map((r) => r.applied_by),
        ['service boot', 'service boot'],
      );
      const again = await applyMigrations(client, { dir: dir.path });
      assert.deepEqual([again.applied.length, again.pending, again.current], [0, 0, 2]);

      dir.write('0001_a.sql', 'CREATE TABLE a (id bigint PRIMARY KEY);\n');
      await assert.rejects(applyMigrations(client, { dir: dir.path }), /0001_a\.sql was edited/);
      const plan = await planFromDatabase(client, { dir: dir.path });
      assert.equal(plan.drift.length, 1);
    } finally {
      await db.close();
      dir.cleanup();
    }
  });

  test('tryApplyMigrations: a failed run returns where it stopped, from the plan it made under the lock', async () => {
    const dir = migrationDir({ '0001_a.sql': 'CREATE TABLE a (id int);\n' });
    const db = await PGlite.create();
    try {
      const client = pgliteAdapter(db);
      await applyMigrations(client, { dir: dir.path });
      dir.write('0002_b.sql', 'CREATE TABLE b (id int);\n');
      dir.write('0003_bad.sql', 'INSERT INTO nope VALUES (1);\n');
      dir.write('0004_c.sql', 'CREATE TABLE c (id int);\n');
      const seen: Array<number | null> = [];
      const outcome = await tryApplyMigrations(client, {
        dir: dir.path,
        beforeApply: async (_pending, current) => void seen.push(current),
      });
      if (outcome.ok) assert.fail('0003_bad.sql should have stopped the run');
      assert.ok(outcome.error instanceof MigrationError);
      assert.match(outcome.error.message, /0003_bad\.sql failed at line 1/);
      const result = outcome.result;
      assert.ok(result);
      assert.deepEqual(seen, [1], 'beforeApply is told the version before the run');
      assert.deepEqual(
        [result.pending, result.current, result.applied.map((a) => a.name)],
        [3, 2, ['0002_b.sql']],
      );
      assert.deepEqual(
        result.remaining.map((f) => f.name),
        ['0003_bad.sql', '0004_c.sql'],
      );
      assert.deepEqual(
        result.plan.parsed.map((f) => f.name),
        ['0002_b.sql', '0003_bad.sql', '0004_c.sql'],
      );
      // The same state a fresh plan reads from the database.
      const plan = await planFromDatabase(client, { dir: dir.path });
      assert.deepEqual(
        [plan.current, plan.pending.map((f) => f.name)],
        [result.current, result.remaining.map((f) => f.name)],
      );
    } finally {
      await db.close();
      dir.cleanup();
    }
  });

  test('node-postgres: a syntax error points at the line inside a multi-line statement', async () => {
    const db = await createDb();
    const dir = migrationDir({
      '0001_ok.sql': 'CREATE TABLE t (id int);\n',
      '0002_bad.sql': '-- header\nCREATE TABLE u (\n  id int,\n  name txet\n);\n',
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const err = await applyMigrations(pgAdapter(client), {
        dir: dir.path,
        historyTable: 'ops_history',
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof MigrationError);
      assert.equal(err.file, '0002_bad.sql');
      assert.equal(err.line, 4);
      assert.match(
        err.message,
        /0002_bad\.sql failed at line 4: type "txet" does not exist \[SQLSTATE 42704\]/,
      );
      const rows = await db.query<{ name: string }>('SELECT name FROM ops_history');
      assert.deepEqual(
        rows.map((r) => r.name),
        ['0001_ok.sql'],
      );
      // The session is usable afterwards and the lock was released.
      const locks = await client.query(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
      );
      assert.equal(locks.rowCount, 0);
    } finally {
      await client.end();
      dir.cleanup();
      await db.drop();
    }
  });

  test('a failing statement in a no-transaction file says which earlier statements stayed applied', async () => {
    const db = await createDb();
    const dir = migrationDir({
      '0001_t.sql': 'CREATE TABLE t (id int);\n',
      '0002_idx.sql':
        '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n',
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await assert.rejects(
        applyMigrations(pgAdapter(client), { dir: dir.path }),
        /0002_idx\.sql failed at line 3: column "x" does not exist.*its first 1 statement stayed applied/,
      );
      assert.deepEqual(await db.query("SELECT to_regclass('t_id')::text AS i"), [{ i: 't_id' }]);
      assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM schema_migrations'), [{ n: 1 }]);
    } finally {
      await client.end();
      dir.cleanup();
      await db.drop();
    }
  });

  test('after a no-transaction file, an open transaction is found (protocol status or SAVEPOINT probe) and rolled back', async () => {
    const db = await createDb();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const withStatus = pgAdapter(client);
      const probeOnly: SqlClient = { query: withStatus.query, exec: withStatus.exec };
      for (const adapter of [withStatus, probeOnly]) {
        await verifyNoOpenTransaction(adapter, 'idle.sql');
        await client.query('BEGIN');
        await client.query('CREATE TABLE half (id int)');
        await assert.rejects(
          verifyNoOpenTransaction(adapter, '0002_open.sql'),
          (e: unknown) =>
            e instanceof MigrationError &&
            /0002_open\.sql left a transaction open.*not recorded as applied/.test(e.message),
        );
        assert.equal(client.getTransactionStatus(), 'I', 'the open transaction was rolled back');
        assert.deepEqual(await db.query("SELECT to_regclass('half')::text AS t"), [{ t: null }]);
      }
    } finally {
      await client.end();
      await db.drop();
    }
  });

  test('a failure inside BEGIN … COMMIT of a no-transaction file leaves the session usable and counts only committed statements', async () => {
    const db = await createDb();
    const dir = migrationDir({
      '0001_t.sql':
        '-- migrate:no-transaction\nCREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE b (id int);\nINSERT INTO nope VALUES (1);\nCOMMIT;\n',
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await assert.rejects(
        applyMigrations(pgAdapter(client), { dir: dir.path }),
        /0001_t\.sql failed at line 5: relation "nope" does not exist.*its first 1 statement stayed applied/,
      );
      assert.equal(client.getTransactionStatus(), 'I');
      assert.deepEqual(await db.query("SELECT to_regclass('a')::text AS a, to_regclass('b')::text AS b"), [
        { a: 'a', b: null },
      ]);
      const locks = await client.query(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
      );
      assert.equal(locks.rowCount, 0, 'the lock was released');
    } finally {
      await client.end();
      dir.cleanup();
      await db.drop();
    }
  });

  test('COMMIT AND CHAIN in a no-transaction file: what follows it is uncommitted until the next COMMIT', async () => {
    const db = await createDb();
    const dir = migrationDir({
      '0001_t.sql':
        '-- migrate:no-transaction\nCREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT AND CHAIN;\nCREATE TABLE c (id int);\nINSERT INTO nope VALUES (1);\nCOMMIT;\n',
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await assert.rejects(
        applyMigrations(pgAdapter(client), { dir: dir.path }),
        /0001_t\.sql failed at line 7: relation "nope" does not exist.*its first 4 statements stayed applied/,
      );
      assert.deepEqual(
        await db.query(
          "SELECT to_regclass('a')::text AS a, to_regclass('b')::text AS b, to_regclass('c')::text AS c",
        ),
        [{ a: 'a', b: 'b', c: null }],
      );
    } finally {
      await client.end();
      dir.cleanup();
      await db.drop();
    }
  });

  test('PGlite: a file that does not parse is refused before anything runs', async () => {
    const dir = migrationDir({
      '0001_a.sql': 'CREATE TABLE a (id int);\n',
      '0002_b.sql': 'CREATE TABLE b (id int;\n',
    });
    const db = await PGlite.create();
    try {
      await assert.rejects(
        applyMigrations(pgliteAdapter(db), { dir: dir.path }),
        /Nothing was applied because a pending file cannot run as written: 0002_b\.sql:1: PostgreSQL cannot parse this file: syntax error at or near ";"/,
      );
      assert.deepEqual((await db.query<{ a: string | null }>("SELECT to_regclass('a')::text AS a")).rows, [
        { a: null },
      ]);
    } finally {
      await db.close();
      dir.cleanup();
    }
  });
});
