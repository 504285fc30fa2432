import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { backupFileName, pgDumpMajor, pgDumpProblem } from '../../../actions/migrate/src/backup.js';
import { describeConnectError } from '../../../actions/migrate/src/connect.js';
import { checksumOf, versionOf } from '../../../actions/migrate/src/files.js';
import { type LintRule, lintMigrations, normaliseName } from '../../../actions/migrate/src/lint.js';
import { planMigrations } from '../../../actions/migrate/src/plan.js';
import { renderReport } from '../../../actions/migrate/src/report.js';
import { historyTableName } from '../../../actions/migrate/src/runner.js';
import { isNoTransaction, splitStatements } from '../../../actions/migrate/src/sql.js';
import { UserError } from '../../../lib/errors.js';
import { libpqUrl, pgConfigFromUrl, redactDatabaseUrl, sslModeOf } from '../../../lib/pg.js';

describe('splitStatements', () => {
  test('splits on top-level semicolons; each statement starts at its first keyword, with that line', () => {
    const sql = '-- header\nCREATE TABLE a (id int);\n\n  INSERT INTO a VALUES (1);\n/* c; */ SELECT 1';
    const st = splitStatements(sql);
    assert.deepEqual(
      st.map((s) => [s.line, s.text]),
      [
        [2, 'CREATE TABLE a (id int)'],
        [4, 'INSERT INTO a VALUES (1)'],
        [5, 'SELECT 1'],
      ],
    );
  });

  test('semicolons inside strings, identifiers, comments and dollar quotes do not split', () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine', E'x\\';y');",
      'SELECT "we;ird" FROM t;',
      '/* outer /* nested; */ still; */ SELECT 2;',
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      'SELECT $1::int;',
    ].join('\n');
    const st = splitStatements(sql);
    assert.equal(st.length, 6);
    assert.deepEqual(
      st.map((s) => s.line),
      [1, 2, 3, 4, 5, 6],
    );
    for (const s of st)
      assert.equal(s.code.length, s.text.length, `masked code keeps offsets for: ${s.text}`);
    assert.doesNotMatch(st[3]!.code, /SELECT 1/, 'dollar-quoted bodies are blanked in code');
    assert.match(st[3]!.text, /SELECT 1; \$body\$/);
  });

  test('drops empty and comment-only statements; unterminated quotes run to the end', () => {
    assert.deepEqual(splitStatements(';; -- nothing\n;'), []);
    assert.equal(splitStatements("SELECT 'open; string").length, 1);
  });

  test('no-transaction header only counts in the leading comment block', () => {
    assert.equal(isNoTransaction('-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);'), true);
    assert.equal(isNoTransaction('\n-- adds an index\n--   migrate:no-transaction\nSELECT 1;'), true);
    assert.equal(isNoTransaction('SELECT 1;\n-- migrate:no-transaction'), false);
    assert.equal(isNoTransaction('-- migrate:no-transactional\nSELECT 1;'), false);
  });
});

describe('files', () => {
  test('versions come from NNNN_name.sql names, numerically', () => {
    assert.equal(versionOf('0002_add_users.sql'), 2);
    assert.equal(versionOf('10_x.sql'), 10);
    assert.equal(versionOf('add_users.sql'), undefined);
    assert.equal(versionOf('0002-add.sql'), undefined);
  });
  test('checksums ignore CRLF vs LF but see any other change', () => {
    assert.equal(checksumOf('a\r\nb\r\n'), checksumOf('a\nb\n'));
    assert.notEqual(checksumOf('a\nb\n'), checksumOf('a\nb \n'));
    assert.match(checksumOf(''), /^[0-9a-f]{64}$/);
  });
});

describe('planMigrations (drift)', () => {
  const f = (version: number, sql = `v${version}`) => ({
    version,
    name: `${String(version).padStart(4, '0')}_m.sql`,
    checksum: checksumOf(sql),
  });
  const h = (version: number, sql = `v${version}`) => ({
    ...f(version, sql),
    appliedAt: '2025-01-01T00:00:00Z',
  });

  test('pending are the never-applied versions; current is the newest applied', () => {
    const plan = planMigrations([f(1), f(2), f(3)], [h(1)]);
    assert.deepEqual(
      plan.pending.map((p) => p.version),
      [2, 3],
    );
    assert.equal(plan.current, 1);
    assert.deepEqual(plan.drift, []);
  });
  test('an edited applied file is drift naming the file', () => {
    const plan = planMigrations([f(1, 'changed'), f(2)], [h(1)]);
    assert.equal(plan.drift.length, 1);
    assert.equal(plan.drift[0]!.kind, 'edited');
    assert.match(plan.drift[0]!.message, /0001_m\.sql was edited after it was applied/);
  });
  test('a missing applied file is drift', () => {
    const plan = planMigrations([f(2)], [h(1), h(2)], 'db/migrations');
    assert.deepEqual(
      plan.drift.map((d) => [d.kind, d.version]),
      [['missing', 1]],
    );
    assert.match(plan.drift[0]!.message, /missing from db\/migrations/);
  });
  test('a new file older than the newest applied is drift; a renamed applied file too', () => {
    const plan = planMigrations([f(1), f(2), { ...f(5), name: '0005_new_name.sql' }], [h(1), h(5)]);
    assert.deepEqual(plan.drift.map((d) => d.kind).sort(), ['out-of-order', 'renamed']);
  });
  test('empty history: everything pending, current null', () => {
    const plan = planMigrations([f(3), f(7)], []);
    assert.equal(plan.current, null);
    assert.equal(plan.pending.length, 2);
  });
});

describe('lint', () => {
  const lint = (sql: string, opts: { noTransaction?: boolean; before?: string } = {}) =>
    lintMigrations([
      ...(opts.before ? [{ name: '0001_before.sql', sql: opts.before, noTransaction: false }] : []),
      { name: '0002_x.sql', sql, noTransaction: opts.noTransaction ?? false },
    ]);
  const rules = (sql: string, opts?: Parameters<typeof lint>[1]) => lint(sql, opts).map((f) => f.rule);

  const cases: Array<[string, LintRule[]]> = [
    ['DROP TABLE users;', ['drop-table']],
    ['drop table if exists public.users cascade;', ['drop-table']],
    ['DROP SCHEMA legacy CASCADE;', ['drop-schema']],
    ['ALTER TABLE users DROP COLUMN email;', ['drop-column']],
    ['ALTER TABLE users DROP email;', ['drop-column']],
    ['ALTER TABLE users DROP CONSTRAINT users_email_key;', []],
    ['ALTER TABLE users ALTER COLUMN email DROP DEFAULT, ALTER COLUMN email DROP NOT NULL;', []],
    ['ALTER TABLE users RENAME COLUMN email TO mail;', ['rename-column']],
    ['ALTER TABLE users RENAME email TO mail;', ['rename-column']],
    ['ALTER TABLE users RENAME TO people;', ['rename-table']],
    ['ALTER TABLE users RENAME CONSTRAINT a TO b;', []],
    ['ALTER TABLE users ALTER COLUMN id TYPE bigint;', ['column-type-change']],
    ['ALTER TABLE users ALTER id SET DATA TYPE bigint;', ['column-type-change']],
    ['ALTER TABLE users ALTER COLUMN email SET NOT NULL;', ['set-not-null']],
    ['ALTER TABLE users ADD COLUMN age int NOT NULL;', ['add-not-null-column']],
    ['ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;', []],
    ['ALTER TABLE users ADD COLUMN age int;', []],
    ['ALTER TABLE users ADD CONSTRAINT c CHECK (age IS NOT NULL) NOT VALID;', []],
    ['ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int NOT NULL;', ['add-not-null-column']],
    ['CREATE INDEX users_email ON users (email);', ['index-not-concurrent']],
    [
      'CREATE UNIQUE INDEX IF NOT EXISTS users_email ON ONLY public.users USING btree (email);',
      ['index-not-concurrent'],
    ],
    ['TRUNCATE users;', ['truncate']],
    ['CREATE INDEX CONCURRENTLY users_email ON users (email);', ['concurrently-in-transaction']],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY stats;', []],
    ['BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;', ['transaction-control', 'transaction-control']],
    ["INSERT INTO notes VALUES ('DROP TABLE users; TRUNCATE x');", []],
    ['-- DROP TABLE users;\nSELECT 1;', []],
    ['CREATE FUNCTION f() RETURNS void AS $$ TRUNCATE t; $$ LANGUAGE sql;', []],
  ];
  for (const [sql, expected] of cases) {
    test(`${sql.replace(/\n/g, ' ')} → ${expected.join(', ') || 'no finding'}`, () => {
      assert.deepEqual(rules(sql), expected);
    });
  }

  test('CONCURRENTLY is fine in a no-transaction file', () => {
    assert.deepEqual(
      rules('-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON users (email);', {
        noTransaction: true,
      }),
      [],
    );
  });

  test('tables created earlier in the pending set count as new', () => {
    const before = 'CREATE TABLE IF NOT EXISTS "Accounts" (id int);\nCREATE TABLE public.orders (id int);';
    assert.deepEqual(
      rules(
        'CREATE INDEX i ON "Accounts" (id);\nALTER TABLE orders ADD COLUMN total int NOT NULL;\nCREATE INDEX j ON accounts (id);',
        { before },
      ),
      ['index-not-concurrent'],
      'only the index on accounts (a different, unquoted table) is flagged',
    );
  });

  test('findings carry the file, the exact line and a why with a way out; errors vs warnings', () => {
    const found = lint(
      'CREATE TABLE t (id int);\n\nALTER TABLE users\n  ADD COLUMN a int,\n  DROP COLUMN email;\nCREATE INDEX CONCURRENTLY i ON users (a);',
    );
    assert.deepEqual(
      found.map((f) => [f.file, f.line, f.rule, f.severity]),
      [
        ['0002_x.sql', 5, 'drop-column', 'warning'],
        ['0002_x.sql', 6, 'concurrently-in-transaction', 'error'],
      ],
    );
    assert.match(found[0]!.message, /roll back/);
  });

  test('normaliseName folds case and the public schema', () => {
    assert.equal(normaliseName('Public.Users'), 'users');
    assert.equal(normaliseName('"Users"'), 'Users');
    assert.equal(normaliseName('ops."A.b"'), 'ops.A.b');
  });
});

describe('lib/pg', () => {
  const url = 'postgres://app:s%40cret@db.example.com:6543/main';
  test('sslmode=require: TLS without verification, and the sslmode never reaches node-postgres', () => {
    const config = pgConfigFromUrl(`${url}?sslmode=require&application_name=x`);
    assert.deepEqual(config.ssl, { rejectUnauthorized: false });
    assert.doesNotMatch(String(config.connectionString), /ssl/);
    assert.match(String(config.connectionString), /application_name=x/);
  });
  test('disable, allow, prefer and no sslmode: no TLS requirement', () => {
    for (const q of ['?sslmode=disable', '?sslmode=allow', '?sslmode=prefer', '']) {
      assert.equal(pgConfigFromUrl(url + q).ssl, false, q);
    }
  });
  test('verify-full verifies; verify-ca needs a root certificate; no-verify is require', () => {
    assert.deepEqual(pgConfigFromUrl(`${url}?sslmode=verify-full`).ssl, { rejectUnauthorized: true });
    assert.throws(() => pgConfigFromUrl(`${url}?sslmode=verify-ca`), /sslrootcert/);
    assert.equal(sslModeOf(`${url}?sslmode=no-verify`), 'require');
    assert.equal(sslModeOf(`${url}?ssl=true`), 'verify-full');
  });
  test('unknown sslmode and non-postgres URLs fail with a sentence that hides the password', () => {
    assert.throws(
      () => pgConfigFromUrl(`${url}?sslmode=bogus`),
      (e: Error) => e instanceof UserError && /bogus/.test(e.message) && !e.message.includes('cret'),
    );
    assert.throws(
      () => pgConfigFromUrl('mysql://u:s%40cret@h/db'),
      (e: Error) => e instanceof UserError && !e.message.includes('cret'),
    );
    assert.throws(
      () => pgConfigFromUrl('not a url s@cret'),
      (e: Error) => !e.message.includes('cret'),
    );
  });
  test('redactDatabaseUrl hides the password and secret-looking parameters', () => {
    assert.equal(redactDatabaseUrl(url), 'postgres://app:***@db.example.com:6543/main');
    assert.equal(redactDatabaseUrl('postgres://h/db?password=hunter2'), 'postgres://h/db?password=***');
    assert.equal(redactDatabaseUrl('postgres://u:p@ss@h/db'), 'postgres://u:***@h/db');
  });
  test('libpqUrl moves the password out and drops node-postgres-only parameters', () => {
    const out = libpqUrl(`${url}?sslmode=no-verify&uselibpqcompat=true`);
    assert.equal(out.password, 's@cret');
    assert.equal(out.url, 'postgres://app@db.example.com:6543/main?sslmode=require');
  });
});

describe('backup decisions', () => {
  test('pg_dump version parsing and the older-than-server rule', () => {
    assert.equal(pgDumpMajor('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)'), 15);
    assert.equal(pgDumpMajor('pg_dump (PostgreSQL) 9.6.24'), 9);
    assert.equal(pgDumpMajor('garbage'), undefined);
    assert.equal(pgDumpProblem(15, 150020), undefined);
    assert.equal(pgDumpProblem(16, 150020), undefined);
    assert.match(
      pgDumpProblem(15, 160004) ?? '',
      /pg_dump 15 is older than the server \(PostgreSQL 16\).*postgresql-client-16/,
    );
    assert.match(pgDumpProblem(undefined, 150020) ?? '', /version/);
  });
  test('backup file names are safe and say what they precede', () => {
    assert.equal(
      backupFileName('my db', 12, new Date('2025-03-04T05:06:07.891Z')),
      'my_db-20250304T050607Z-v12.dump',
    );
    assert.equal(backupFileName('db', null, new Date('2025-03-04T05:06:07Z')), 'db-20250304T050607Z-v0.dump');
  });
});

describe('connection errors', () => {
  const url = 'postgres://app:hunter2@db.example.com:6543/main';
  const cases: Array<[object, RegExp]> = [
    [{ code: 'ECONNREFUSED' }, /db\.example\.com:6543 \(connection refused\)/],
    [{ code: 'ENOTFOUND' }, /host name db\.example\.com was not found/],
    [
      { code: '28P01', message: 'password authentication failed for user "app"' },
      /rejected the password for user app/,
    ],
    [{ code: '3D000' }, /database main does not exist/],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, /sslmode=require/],
    [{ message: 'The server does not support SSL connections' }, /does not offer TLS/],
    [{ message: 'Connection terminated due to connection timeout' }, /within 15s/],
    [{ message: 'weird failure' }, /postgres:\/\/app:\*\*\*@db\.example\.com:6543\/main: weird failure\./],
  ];
  for (const [err, expected] of cases) {
    test(`${JSON.stringify(err)} → one sentence without the password`, () => {
      const text = describeConnectError(err, url);
      assert.match(text, expected);
      assert.doesNotMatch(text, /hunter2/);
      assert.doesNotMatch(text, /\n/);
    });
  }
});

describe('report and names', () => {
  test('report lists applied and pending files with durations, drift, findings and the error', () => {
    const md = renderReport({
      command: 'apply',
      database: 'postgres://u:***@h/db',
      dir: 'migrations',
      applied: [{ version: 1, name: '0001_a.sql', durationMs: 12 }],
      pending: [{ version: 2, name: '0002_b.sql', noTransaction: true }],
      current: 1,
      findings: [
        { file: '0002_b.sql', line: 3, rule: 'truncate', severity: 'warning', message: 'why | pipe' },
      ],
      drift: ['0001_a.sql was edited'],
      backupPath: '/tmp/b.dump',
      error: 'boom',
    });
    assert.match(md, /\| 1 \| `0001_a\.sql` \| applied \| 12ms \|/);
    assert.match(md, /\| 2 \| `0002_b\.sql` \| pending \(no transaction\) \|/);
    assert.match(md, /`0002_b\.sql:3` \| truncate \| why \\\| pipe/);
    assert.match(md, /\*\*Failed:\*\* boom/);
    assert.match(md, /- 0001_a\.sql was edited/);
    assert.match(md, /Backup: `\/tmp\/b\.dump`/);
  });
  test('history table names are validated and quoted', () => {
    assert.equal(historyTableName(), '"schema_migrations"');
    assert.equal(historyTableName('ops.history'), '"ops"."history"');
    assert.throws(() => historyTableName('x; DROP TABLE y'), UserError);
  });
});
