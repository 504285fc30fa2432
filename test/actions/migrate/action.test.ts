/** The migrate action's behaviour: the committed bundle run through the harness against real PostgreSQL. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { describe, test } from 'vitest';
import { LOCK_CLASS, lockKey } from '../../../lib/migrations/runner.js';
import { commentMarker } from '../../../lib/summary.js';
import { leaks, runAction, startAction } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';
import {
  adminQuery,
  createDb,
  type MigrationDir,
  migrationDir,
  type TestDb,
  WrongPasswordServer,
} from './helpers.js';

/** An age public key (the example in age's README); backup-action.test.ts decrypts with an identity of its own. */
const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const THREE = {
  '0001_users.sql':
    "CREATE TABLE users (id int PRIMARY KEY, email text);\nINSERT INTO users VALUES (1, 'a@example.com');\n",
  '0002_posts.sql': 'CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);\n',
  '0010_tags.sql': 'CREATE TABLE tags (name text PRIMARY KEY);\n',
};

async function withDb(files: Record<string, string>, fn: (db: TestDb, dir: MigrationDir) => Promise<void>) {
  const db = await createDb();
  const dir = migrationDir(files);
  try {
    await fn(db, dir);
  } finally {
    dir.cleanup();
    await db.drop();
  }
}

const run = (
  db: { url: string },
  dir: MigrationDir,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
) =>
  runAction('migrate', {
    inputs: { 'database-url': db.url, dir: dir.path, ...inputs },
    env,
    timeoutMs: 60_000,
  });

const history = (db: TestDb) =>
  db.query<{ version: string; name: string; checksum: string; execution_ms: number; applied_by: string }>(
    'SELECT * FROM schema_migrations ORDER BY version',
  );
const tableExists = async (db: TestDb, name: string) =>
  (await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]))[0]?.t != null;

describe('migrate action', () => {
  test('fresh apply records every file; a re-run applies nothing', async () => {
    await withDb(THREE, async (db, dir) => {
      const first = await run(db, dir);
      assert.equal(first.exitCode, 0, first.log);
      assert.deepEqual(
        [first.outputs.applied, first.outputs.pending, first.outputs.current, first.outputs.findings],
        ['3', '3', '10', '0'],
      );
      const rows = await history(db);
      assert.deepEqual(
        rows.map((r) => [Number(r.version), r.name]),
        [
          [1, '0001_users.sql'],
          [2, '0002_posts.sql'],
          [10, '0010_tags.sql'],
        ],
      );
      assert.match(rows[0]!.checksum, /^[0-9a-f]{64}$/);
      assert.equal(rows[0]!.applied_by, 'octocat https://github.com/acme/decisionlog/actions/runs/4242');
      assert.ok(rows.every((r) => Number.isInteger(r.execution_ms)));
      assert.match(first.summary, /\| 10 \| `0010_tags\.sql` \| applied \|/);
      assert.equal(first.outputs.report, first.summary.trim());

      const again = await run(db, dir);
      assert.equal(again.exitCode, 0, again.log);
      assert.deepEqual(
        [again.outputs.applied, again.outputs.pending, again.outputs.current],
        ['0', '0', '10'],
      );
      assert.equal((await history(db)).length, 3);
      assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM users'), [{ n: 1 }]);
    });
  });

  test('a failure in the 2nd of 3 files keeps the 1st and leaves no trace of the 2nd', async () => {
    const files = {
      ...THREE,
      '0002_posts.sql':
        'CREATE TABLE posts (id int PRIMARY KEY);\n\nINSERT INTO posts\n  SELECT id FROM no_such_table;\n',
    };
    await withDb(files, async (db, dir) => {
      const res = await run(db, dir);
      assert.equal(res.exitCode, 1);
      assert.equal(res.errors.length, 1, res.log);
      assert.match(
        res.errors[0]!,
        /0002_posts\.sql failed at line 4: relation "no_such_table" does not exist/,
      );
      assert.match(res.errors[0]!, /Nothing from this file was applied/);
      assert.deepEqual(
        (await history(db)).map((r) => r.name),
        ['0001_users.sql'],
      );
      assert.equal(await tableExists(db, 'users'), true);
      assert.equal(
        await tableExists(db, 'posts'),
        false,
        'the first statement of the failed file was rolled back',
      );
      assert.equal(await tableExists(db, 'tags'), false);
      assert.deepEqual([res.outputs.applied, res.outputs.pending, res.outputs.current], ['1', '3', '1']);
      assert.match(res.summary, /\*\*Failed:\*\* 0002_posts\.sql failed at line 4/);
    });
  });

  test('a -- migrate:no-transaction file runs CREATE INDEX CONCURRENTLY', async () => {
    await withDb(
      {
        '0001_users.sql': THREE['0001_users.sql'],
        '0002_index.sql':
          '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n',
      },
      async (db, dir) => {
        const res = await run(db, dir);
        assert.equal(res.exitCode, 0, res.log);
        const idx = await db.query<{ valid: boolean }>(
          "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'users_email'::regclass",
        );
        assert.deepEqual(idx, [{ valid: true }]);
        assert.equal((await history(db)).length, 2);
        assert.equal(res.outputs.findings, '0');
      },
    );
  });

  test('CONCURRENTLY in a transactional file stops before anything is applied', async () => {
    await withDb(
      { ...THREE, '0011_index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n' },
      async (db, dir) => {
        const res = await run(db, dir);
        assert.equal(res.exitCode, 1);
        assert.match(
          res.errors.at(-1)!,
          /Nothing was applied.*0011_index\.sql:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction/,
        );
        assert.equal(await tableExists(db, 'users'), false);
      },
    );
  });

  test('a no-transaction file with BEGIN but no COMMIT is refused before apply (it used to vanish with exit 0)', async () => {
    await withDb(
      {
        ...THREE,
        '0011_lost.sql': '-- migrate:no-transaction\nBEGIN;\nCREATE TABLE lost (id int);\n',
      },
      async (db, dir) => {
        const res = await run(db, dir);
        assert.equal(res.exitCode, 1, res.log);
        assert.match(
          res.errors.at(-1)!,
          /^Nothing was applied because a pending file cannot run as written: 0011_lost\.sql:2: The transaction opened at line 2 \(BEGIN\) is never committed/,
        );
        assert.doesNotMatch(res.log, /Applied 0011_lost/);
        assert.equal(await tableExists(db, 'users'), false, 'nothing at all was applied');
        assert.equal(await tableExists(db, 'lost'), false);
      },
    );
  });

  test('CONCURRENTLY inside BEGIN … COMMIT of a no-transaction file is refused before apply (not SQLSTATE 25001 halfway)', async () => {
    await withDb(
      {
        '0001_users.sql': THREE['0001_users.sql'],
        '0002_index.sql':
          '-- migrate:no-transaction\nBEGIN;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nCOMMIT;\n',
      },
      async (db, dir) => {
        const res = await run(db, dir);
        assert.equal(res.exitCode, 1, res.log);
        assert.match(
          res.errors.at(-1)!,
          /0002_index\.sql:3: CREATE INDEX CONCURRENTLY inside the transaction opened at line 2: PostgreSQL rejects it there \(SQLSTATE 25001\)/,
        );
        assert.equal(await tableExists(db, 'users'), false);
        const lint = await run(db, dir, { command: 'lint' });
        assert.equal(lint.exitCode, 1, 'lint refuses it too');
      },
    );
  });

  test('a file PostgreSQL cannot parse fails plan with the parser message and line, and apply applies nothing', async () => {
    await withDb(
      { ...THREE, '0011_bad.sql': 'CREATE TABLE ok (id int);\n\nALTER TABLE ok ADD COLUMN;\n' },
      async (db, dir) => {
        const plan = await run(db, dir, { command: 'plan' });
        assert.equal(plan.exitCode, 1);
        assert.match(
          plan.errors.at(-1)!,
          /0011_bad\.sql:3: PostgreSQL cannot parse this file: syntax error at or near ";"/,
        );
        assert.ok(
          plan.annotations.some((a) => a.properties.title === 'syntax-error' && a.properties.line === '3'),
          plan.log,
        );
        const apply = await run(db, dir);
        assert.equal(apply.exitCode, 1);
        assert.equal(
          await tableExists(db, 'users'),
          false,
          'the good files before it were not applied either',
        );
      },
    );
  });

  test('a lint error stops apply; -- migrate:allow with a reason lets it run and the report says why', async () => {
    await withDb(THREE, async (db, dir) => {
      assert.equal((await run(db, dir)).exitCode, 0);
      dir.write('0011_index.sql', 'CREATE INDEX users_email ON users (email);\n');
      const refused = await run(db, dir);
      assert.equal(refused.exitCode, 1);
      assert.match(refused.errors.at(-1)!, /0011_index\.sql:1 \[index-not-concurrent\]/);
      assert.equal((await history(db)).length, 3);
      dir.write(
        '0011_index.sql',
        '-- migrate:allow index-not-concurrent: users has 1 row\nCREATE INDEX users_email ON users (email);\n',
      );
      const allowed = await run(db, dir);
      assert.equal(allowed.exitCode, 0, allowed.log);
      assert.equal(allowed.outputs.findings, '0');
      assert.match(allowed.summary, /`0011_index\.sql:2` index-not-concurrent: users has 1 row/);
    });
  });

  test("PostgreSQL's DETAIL (table data) stays out of errors, summary and comment unless show-error-detail", async () => {
    const files = {
      '0001_users.sql': THREE['0001_users.sql'],
      '0002_dup.sql': "INSERT INTO users VALUES (1, 'ceo@customer.example');\n",
    };
    await withDb(files, async (db, dir) => {
      const res = await run(db, dir);
      assert.equal(res.exitCode, 1);
      assert.match(
        res.errors.at(-1)!,
        /0002_dup\.sql failed at line 1: duplicate key value violates unique constraint "users_pkey"/,
      );
      for (const text of [res.errors.join('\n'), res.summary, res.outputs.report ?? '']) {
        assert.doesNotMatch(text, /Key \(id\)=\(1\)/);
      }
      assert.match(res.log, /DETAIL for this error is withheld/);
      // Summaries name the database only: not the user, not the host.
      assert.doesNotMatch(res.summary, /127\.0\.0\.1|postgres@/);

      const shown = await run(db, dir, { 'show-error-detail': 'true' });
      assert.equal(shown.exitCode, 1);
      assert.match(shown.errors.at(-1)!, /Detail: Key \(id\)=\(1\) already exists\./);
      assert.match(shown.summary, /Key \(id\)=\(1\) already exists/);
    });
  });

  test('an edited applied file stops the run before anything new is applied', async () => {
    await withDb(THREE, async (db, dir) => {
      assert.equal((await run(db, dir)).exitCode, 0);
      dir.write('0002_posts.sql', 'CREATE TABLE posts (id bigint PRIMARY KEY);\n');
      dir.write('0011_more.sql', 'CREATE TABLE more (id int);\n');
      const res = await run(db, dir);
      assert.equal(res.exitCode, 1);
      assert.equal(res.errors.length, 1);
      assert.match(res.errors[0]!, /Nothing was applied.*0002_posts\.sql was edited after it was applied/);
      assert.equal(await tableExists(db, 'more'), false);
      assert.equal((await history(db)).length, 3);
    });
  });

  test('CRLF line endings do not count as an edit', async () => {
    await withDb(THREE, async (db, dir) => {
      assert.equal((await run(db, dir)).exitCode, 0);
      dir.write('0001_users.sql', THREE['0001_users.sql'].replace(/\n/g, '\r\n'));
      const res = await run(db, dir);
      assert.equal(res.exitCode, 0, res.log);
    });
  });

  test('a missing applied file, and a new file older than the newest applied, stop the run', async () => {
    await withDb(THREE, async (db, dir) => {
      assert.equal((await run(db, dir)).exitCode, 0);
      dir.remove('0002_posts.sql');
      dir.write('0005_late.sql', 'CREATE TABLE late (id int);\n');
      const res = await run(db, dir);
      assert.equal(res.exitCode, 1);
      assert.match(res.errors[0]!, /0002_posts\.sql \(version 2\) was applied on .* but is missing from/);
      assert.match(res.errors[0]!, /0005_late\.sql is new but numbered below the newest applied version 10/);
      assert.equal(await tableExists(db, 'late'), false);
    });
  });

  test('two migrators started together: each file is applied once and both exit cleanly', async () => {
    const files = { ...THREE, '0003_slow.sql': 'SELECT pg_sleep(1);\nCREATE TABLE slow (id int);\n' };
    await withDb(files, async (db, dir) => {
      const [a, b] = await Promise.all([run(db, dir), run(db, dir)]);
      assert.equal(a.exitCode, 0, a.log);
      assert.equal(b.exitCode, 0, b.log);
      assert.deepEqual([a.outputs.applied, b.outputs.applied].map(Number).sort(), [0, 4]);
      const waited = [a, b].find((r) => r.outputs.applied === '0')!;
      assert.match(
        waited.log,
        /Another migrator holds the migration lock \(held by pid \d+, application "decisionlog-migrate \(octocat run 4242\)"/,
      );
      const rows = await history(db);
      assert.deepEqual(
        rows.map((r) => Number(r.version)),
        [1, 2, 3, 10],
      );
    });
  });

  test('lock-wait runs out: the error names who holds the lock', async () => {
    await withDb(THREE, async (db, dir) => {
      const holder = new pg.Client({ connectionString: db.url, application_name: 'manual-fix by alice' });
      await holder.connect();
      try {
        await holder.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, lockKey('"schema_migrations"')]);
        const res = await run(db, dir, { 'lock-wait': '1s' });
        assert.equal(res.exitCode, 1);
        assert.equal(res.errors.length, 1);
        assert.match(
          res.errors[0]!,
          /Another migrator still holds the migration lock after 1\.0s \(held by pid \d+, application "manual-fix by alice", user postgres, from 127\.0\.0\.1/,
        );
        assert.equal(await tableExists(db, 'schema_migrations'), false);
      } finally {
        await holder.end();
      }
    });
  });

  test('a migrator killed mid-file leaves no history row and releases the lock', async () => {
    await withDb(
      { '0001_slow.sql': 'CREATE TABLE half (id int);\nSELECT pg_sleep(30);\n' },
      async (db, dir) => {
        const running = startAction('migrate', { inputs: { 'database-url': db.url, dir: dir.path } });
        const seen = await poll(async () => {
          const rows = await adminQuery(
            "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(30)%'",
            [db.name],
          );
          return rows.length > 0;
        }, 20_000);
        assert.ok(seen, 'the migration reached pg_sleep');
        running.child.kill('SIGKILL');
        const result = await running.result;
        assert.equal(result.signal, 'SIGKILL');
        const released = await poll(async () => {
          const rows = await adminQuery(
            "SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1",
            [db.name],
          );
          return rows.length === 0;
        }, 15_000);
        assert.ok(released, 'the advisory lock was released after the kill');
        assert.deepEqual(await history(db), []);
        assert.equal(await tableExists(db, 'half'), false);
        // And the next run applies it from scratch (with a quick file).
        dir.write('0001_slow.sql', 'CREATE TABLE half (id int);\n');
        assert.equal((await run(db, dir)).exitCode, 0);
      },
    );
  });

  test('plan lists pending files and changes nothing; drift makes plan fail', async () => {
    await withDb(THREE, async (db, dir) => {
      const res = await run(db, dir, { command: 'plan' });
      assert.equal(res.exitCode, 0, res.log);
      assert.deepEqual([res.outputs.applied, res.outputs.pending, res.outputs.current], ['0', '3', '']);
      assert.match(res.summary, /plan \(nothing was changed\)/);
      assert.match(res.summary, /\| 2 \| `0002_posts\.sql` \| pending \|/);
      assert.equal(await tableExists(db, 'schema_migrations'), false);
      assert.equal(await tableExists(db, 'users'), false);

      assert.equal((await run(db, dir)).exitCode, 0);
      dir.write('0001_users.sql', 'CREATE TABLE users (id bigint);\n');
      const drift = await run(db, dir, { command: 'plan' });
      assert.equal(drift.exitCode, 1);
      assert.match(drift.errors[0]!, /0001_users\.sql was edited/);
    });
  });

  test('lint findings are counted, annotated and posted as one PR comment, updated in place', async () => {
    const github = await new GitHubStandIn().start();
    try {
      await withDb(THREE, async (db, dir) => {
        assert.equal((await run(db, dir)).exitCode, 0);
        dir.write(
          '0011_risky.sql',
          'ALTER TABLE users DROP COLUMN email;\n\nCREATE INDEX posts_user ON posts (user_id);\n',
        );
        const opts = {
          inputs: { 'database-url': db.url, dir: dir.path, command: 'lint', 'github-token': github.token },
          env: { GITHUB_API_URL: github.url },
          event: { pull_request: { number: 17 } },
          eventName: 'pull_request',
        };
        const res = await runAction('migrate', opts);
        // index-not-concurrent is an error: lint fails, naming it and the way to allow it.
        assert.equal(res.exitCode, 1, res.log);
        assert.equal(res.outputs.findings, '2');
        assert.match(
          res.errors.at(-1)!,
          /^Lint found an error: 0011_risky\.sql:3 \[index-not-concurrent\]; .*-- migrate:allow <rule>: <reason>/,
        );
        // Findings are annotations on the migration file and line, titled with the rule.
        const rel = relative(process.cwd(), join(dir.path, '0011_risky.sql'));
        assert.deepEqual(
          res.annotations
            .filter((a) => a.properties.title)
            .map((a) => [a.level, a.properties.file, a.properties.line, a.properties.title]),
          [
            ['warning', rel, '1', 'drop-column'],
            ['error', rel, '3', 'index-not-concurrent'],
          ],
        );
        assert.match(res.warnings[0]!, /Dropping column users\.email deletes the column and its data/);
        const comments = github.comments.get(17) ?? [];
        assert.equal(comments.length, 1);
        assert.ok(comments[0]!.body.startsWith(commentMarker('migrate')));
        assert.match(comments[0]!.body, /`0011_risky\.sql:1` \| ⚠️ drop-column/);
        assert.deepEqual(leaks(res, github.token), []);

        dir.write('0012_more.sql', 'TRUNCATE tags;\n');
        const second = await runAction('migrate', { ...opts, inputs: { ...opts.inputs, command: 'plan' } });
        assert.equal(second.exitCode, 1, second.log);
        assert.equal(second.outputs.findings, '3');
        assert.equal((github.comments.get(17) ?? []).length, 1, 'the comment was edited, not duplicated');
        assert.match(github.comments.get(17)![0]!.body, /0012_more\.sql:1` \| ⚠️ truncate/);
        assert.equal(await tableExists(db, 'schema_migrations'), true);
        assert.equal((await history(db)).length, 3, 'lint and plan applied nothing');
      });
    } finally {
      await github.stop();
    }
  });

  test('a wrong password gives one clear line and the password appears nowhere', async () => {
    const server = await new WrongPasswordServer().start();
    const password = 'Sup3r-Secret-Pw';
    try {
      const dir = migrationDir(THREE);
      const res = await run({ url: `postgres://app:${password}@127.0.0.1:${server.port}/prod` }, dir);
      dir.cleanup();
      assert.equal(res.exitCode, 1);
      assert.deepEqual(res.errors, [
        `The database at 127.0.0.1:${server.port} rejected the password for user app: update the database-url secret with the current password.`,
      ]);
      assert.deepEqual(server.passwords, [password], 'the password really was sent to the server');
      assert.deepEqual(leaks(res, password), []);
      assert.doesNotMatch(res.log, /\n\s+at /, 'no stack trace');
    } finally {
      await server.stop();
    }
  });

  test('an unreachable host gives one clear line without the password', async () => {
    const dir = migrationDir(THREE);
    const res = await run({ url: 'postgres://app:An0ther-Secret@127.0.0.1:1/prod?sslmode=require' }, dir);
    dir.cleanup();
    assert.equal(res.exitCode, 1);
    assert.deepEqual(res.errors, [
      'Could not connect to the database at 127.0.0.1:1 (connection refused): check the host and port in database-url and that the server accepts connections from this runner.',
    ]);
    assert.deepEqual(leaks(res, 'An0ther-Secret'), []);
    assert.equal(res.outputs.applied, '0', 'outputs are set even when the database cannot be reached');
    assert.match(res.summary, /Could not connect to the database at 127\.0\.0\.1:1/, 'the summary says why');
  });

  test('bad inputs fail in one sentence before connecting', async () => {
    const dir = migrationDir(THREE);
    try {
      const bad = await run({ url: 'postgres://u:Pw-abcdef@127.0.0.1:1/db' }, dir, { command: 'destroy' });
      assert.deepEqual(bad.errors, ['Input "command" must be one of apply, plan, lint, not "destroy".']);
      const wait = await run({ url: 'postgres://u:Pw-abcdef@127.0.0.1:1/db' }, dir, { 'lock-wait': 'soon' });
      assert.match(wait.errors[0]!, /Input "lock-wait" "soon" is not a duration/);
      const url = await run({ url: 'mysql://u:Pw-abcdef@127.0.0.1/db' }, dir);
      assert.match(url.errors[0]!, /must start with postgres:\/\//);
      assert.deepEqual(leaks(url, 'Pw-abcdef'), []);
    } finally {
      dir.cleanup();
    }
  });

  test('pg_dump missing: a clear error and nothing applied', async () => {
    const backups = mkdtempSync(join(tmpdir(), 'backups-'));
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-pg-dump-'));
    await withDb(THREE, async (db, dir) => {
      const res = await run(
        db,
        dir,
        { 'backup-dir': backups, 'backup-recipients': RECIPIENT },
        { PATH: emptyPath },
      );
      assert.equal(res.exitCode, 1);
      assert.match(
        res.errors[0]!,
        /^pg_dump was not found on PATH, so the backup requested by backup-dir cannot be taken and nothing was applied/,
      );
      assert.deepEqual(await history(db), []);
      assert.equal(await tableExists(db, 'users'), false);
    });
    rmSync(backups, { recursive: true, force: true });
    rmSync(emptyPath, { recursive: true, force: true });
  });
});

async function poll(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
