// migrate's main() in process against real PostgreSQL: statement and lock timeouts, the migration
// lock held by someone else, every way the backup can fail (pg_dump missing, too old, failing),
// a wrong password with its report and PR comment, drift in plan and lint, a half-applied
// no-transaction file — the branches the bundle tests in action.test.ts reach slowly or not at all.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import pg from 'pg';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { main } from '../../../actions/migrate/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { LOCK_CLASS, lockKey } from '../../../lib/migrations/runner.js';
import { runMain } from '../../harness/io.js';
import type { RunOptions } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';
import { createDb, type MigrationDir, migrationDir, type TestDb, WrongPasswordServer } from './helpers.js';

let db: TestDb;
let scratch: string;
beforeAll(async () => {
  db = await createDb();
  scratch = mkdtempSync(join(tmpdir(), 'migrate-main-'));
});
afterAll(async () => {
  await db?.drop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Each test gets its own history table in the shared database, so tests stay independent. */
let tables = 0;
function migrate(
  dir: MigrationDir,
  inputs: RunOptions['inputs'] = {},
  opts: Omit<RunOptions, 'inputs'> = {},
) {
  return runMain('migrate', main, {
    inputs: { 'database-url': db.url, dir: dir.path, ...inputs },
    ...opts,
  });
}
function fresh(files: Record<string, string>): { dir: MigrationDir; table: string } {
  tables++;
  return { dir: migrationDir(files), table: `history_${tables}` };
}

/** An executable `pg_dump` stand-in in its own folder; returns that folder for PATH. */
function fakePgDump(script: string): string {
  const bin = mkdtempSync(join(scratch, 'bin-'));
  writeFileSync(join(bin, 'pg_dump'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, 'pg_dump'), 0o755);
  return bin;
}

describe('migrate main(): timeouts and the lock', () => {
  test('statement-timeout stops a slow statement: the sentence says so, the report still comes out', async () => {
    const { dir, table } = fresh({ '0001_slow.sql': 'CREATE TABLE slow_t (id int);\nSELECT pg_sleep(5);\n' });
    try {
      const r = await migrate(dir, { 'statement-timeout': '200ms', 'history-table': table });
      assert.ok(r.error instanceof UserError);
      assert.match(
        r.failure ?? '',
        /0001_slow\.sql failed at line 2: .*\(statement_timeout: .*\) \[SQLSTATE 57014\]\. Nothing from this file was applied\./,
      );
      assert.deepEqual([r.io.outputs.applied, r.io.outputs.pending], ['0', '1']);
      assert.equal(r.io.outputs.report, r.io.summaryText);
      assert.match(r.io.summaryText, /statement_timeout/);
    } finally {
      dir.cleanup();
    }
  });

  test('lock-timeout: a table locked by another session fails the statement with advice, not a hang', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS busy_t (id int)');
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    const { dir, table } = fresh({ '0001_alter.sql': 'ALTER TABLE busy_t ADD COLUMN note text;\n' });
    try {
      await holder.query('BEGIN; LOCK TABLE busy_t IN ACCESS EXCLUSIVE MODE');
      const r = await migrate(dir, { 'lock-timeout': '200ms', 'history-table': table });
      assert.match(
        r.failure ?? '',
        /\(lock_timeout: another session holds a lock on a table this statement needs; .*\) \[SQLSTATE 55P03\]/,
      );
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      dir.cleanup();
    }
  });

  test('lock-wait runs out while another migrator holds the lock: the sentence names the holder', async () => {
    const { dir, table } = fresh({ '0001_t.sql': 'CREATE TABLE locked_t (id int);\n' });
    const holder = new pg.Client({ connectionString: db.url, application_name: 'manual-fix by bob' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, lockKey(`"${table}"`)]);
      const r = await migrate(dir, { 'lock-wait': '300ms', 'history-table': table });
      assert.match(
        r.failure ?? '',
        /^Another migrator still holds the migration lock after 300ms \(held by pid \d+, application "manual-fix by bob"/,
      );
      assert.equal(r.io.outputs.applied, '0');
    } finally {
      await holder.end();
      dir.cleanup();
    }
  });

  test('a no-transaction file failing halfway says which statements stayed applied', async () => {
    const { dir, table } = fresh({
      '0001_partial.sql': '-- migrate:no-transaction\nCREATE TABLE partial_t (id int);\nSELECT 1/0;\n',
    });
    try {
      const r = await migrate(dir, { 'history-table': table });
      assert.match(
        r.failure ?? '',
        /0001_partial\.sql failed at line 3: division by zero .*its first 1 statement stayed applied/,
      );
    } finally {
      dir.cleanup();
    }
  });
});

describe('migrate main(): the backup', () => {
  const files = { '0001_b.sql': 'CREATE TABLE IF NOT EXISTS backed_up (id int);\n' };
  /** An age public key: these tests are about pg_dump, not decryption (backup-action.test.ts). */
  let RECIPIENT = '';
  beforeAll(async () => {
    RECIPIENT = await identityToRecipient(await generateIdentity());
  });
  const PRIVATE = { event: { repository: { private: true, visibility: 'private' } } };

  test('a real pg_dump writes the encrypted backup before applying; backup-path points at it', async () => {
    const { dir, table } = fresh(files);
    const backups = mkdtempSync(join(scratch, 'backups-'));
    try {
      const r = await migrate(dir, {
        'backup-dir': backups,
        'backup-recipients': `# ops\n${RECIPIENT}\n${RECIPIENT}`,
        'history-table': table,
      });
      assert.equal(r.error, undefined, r.failure);
      assert.equal(r.io.outputs.applied, '1');
      const path = r.io.outputs['backup-path'] ?? '';
      assert.ok(path.startsWith(backups) && path.endsWith('.dump.age') && existsSync(path), path);
      assert.equal(r.io.outputs['backup-encrypted'], 'true');
      assert.ok(r.io.infos.some((l) => l.startsWith(`Encrypted backup written to ${path} (`)));
      assert.match(
        r.io.summaryText,
        /encrypted to 2 age recipients: only the holders of the matching secret keys/,
      );
    } finally {
      dir.cleanup();
    }
  });

  test('no backup asked for: backup-path empty, backup-encrypted false', async () => {
    const { dir, table } = fresh(files);
    try {
      const r = await migrate(dir, { 'history-table': table });
      assert.equal(r.error, undefined, r.failure);
      assert.deepEqual([r.io.outputs['backup-path'], r.io.outputs['backup-encrypted']], ['', 'false']);
    } finally {
      dir.cleanup();
    }
  });

  test('the policy is checked before connecting: no repository in the payload counts as not opted in', async () => {
    const { dir, table } = fresh(files);
    try {
      const r = await migrate(dir, {
        'database-url': 'postgres://u:p@127.0.0.1:1/nowhere',
        'backup-dir': join(scratch, 'refused'),
        'history-table': table,
      });
      assert.match(r.failure ?? '', /^Nothing was applied: a database backup would be kept unencrypted/);
      assert.equal(r.io.outputs.applied, undefined, 'refused before the first output');
      assert.equal(existsSync(join(scratch, 'refused')), false);
    } finally {
      dir.cleanup();
    }
  });

  test('plan and lint take no backup, so recipients are not required there', async () => {
    const { dir, table } = fresh(files);
    try {
      const r = await migrate(dir, {
        command: 'plan',
        'backup-dir': join(scratch, 'p'),
        'history-table': table,
      });
      assert.equal(r.error, undefined, r.failure);
      assert.equal(r.io.outputs['backup-path'], '');
    } finally {
      dir.cleanup();
    }
  });

  test('a recipient that is not an age key is refused in one sentence', async () => {
    const { dir, table } = fresh(files);
    try {
      const r = await migrate(dir, {
        'backup-dir': join(scratch, 'x'),
        'backup-recipients': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA',
        'history-table': table,
      });
      assert.match(
        r.failure ?? '',
        /^backup-recipients has "ssh-ed25519 AAAAC3Nz…", which is not an age public key/,
      );
    } finally {
      dir.cleanup();
    }
  });

  test('pg_dump not on PATH: one sentence, nothing applied', async () => {
    const { dir, table } = fresh(files);
    try {
      const r = await migrate(
        dir,
        { 'backup-dir': join(scratch, 'never'), 'allow-plaintext-backup': true, 'history-table': table },
        { ...PRIVATE, env: { PATH: mkdtempSync(join(scratch, 'empty-')) } },
      );
      assert.match(
        r.failure ?? '',
        /^pg_dump was not found on PATH, so the backup requested by backup-dir cannot be taken and nothing was applied/,
      );
      assert.equal(r.io.outputs.applied, '0');
    } finally {
      dir.cleanup();
    }
  });

  test('a pg_dump older than the server says which client to install', async () => {
    const { dir, table } = fresh(files);
    const bin = fakePgDump('echo "pg_dump (PostgreSQL) 9.6.24"');
    try {
      const r = await migrate(
        dir,
        { 'backup-dir': join(scratch, 'old'), 'backup-recipients': RECIPIENT, 'history-table': table },
        {
          env: { PATH: `${bin}:${process.env.PATH}` },
        },
      );
      assert.match(
        r.failure ?? '',
        /^Cannot take the backup, so nothing was applied: pg_dump 9 is older than the server \(PostgreSQL 1\d\)/,
      );
    } finally {
      dir.cleanup();
    }
  });

  test('pg_dump failing: its last stderr line in the sentence, the password never', async () => {
    const { dir, table } = fresh(files);
    const bin = fakePgDump(
      'case "$1" in --version) echo "pg_dump (PostgreSQL) 99.0";; *) echo "pg_dump: error: disk full" >&2; exit 3;; esac',
    );
    const url = db.url.replace('postgres@', 'postgres:hunter2hunter2@');
    try {
      const r = await migrate(
        dir,
        {
          'database-url': url,
          'backup-dir': join(scratch, 'full'),
          'backup-recipients': RECIPIENT,
          'history-table': table,
        },
        {
          env: { PATH: `${bin}:${process.env.PATH}` },
        },
      );
      assert.match(
        r.failure ?? '',
        /^pg_dump failed \(exit 3\), so nothing was applied: pg_dump: error: disk full;/,
      );
      assert.deepEqual(readdirSync(join(scratch, 'full')), [], 'the truncated .dump.age is removed');
      assert.deepEqual(r.io.leaks('hunter2hunter2'), []);
      assert.ok(r.io.masks.includes('hunter2hunter2'));
    } finally {
      dir.cleanup();
    }
  });
});

describe('migrate main(): connection failures, drift and the PR comment', () => {
  const github = new GitHubStandIn();
  beforeAll(() => github.start());
  afterAll(() => github.stop());

  test('a wrong password: one sentence, zero outputs, the report posted on the PR with the error', async () => {
    const server = await new WrongPasswordServer().start();
    const dir = migrationDir({ '0001_t.sql': 'CREATE TABLE t (id int);\n' });
    try {
      const r = await migrate(
        dir,
        {
          'database-url': `postgres://app:s3cretPassw0rd@127.0.0.1:${server.port}/app`,
          'github-token': github.token,
        },
        {
          eventName: 'pull_request',
          event: { pull_request: { number: 5 } },
          env: { GITHUB_API_URL: github.url },
        },
      );
      assert.match(r.failure ?? '', /rejected the password for user app: update the database-url secret/);
      assert.deepEqual([r.io.outputs.applied, r.io.outputs.pending, r.io.outputs.current], ['0', '0', '']);
      const comment = github.comments.get(5)?.[0]?.body ?? '';
      assert.match(comment, /rejected the password/);
      assert.ok(r.io.infos.includes('Posted the migration report on pull request #5.'));
      for (const where of [
        r.io.leaks('s3cretPassw0rd'),
        comment.includes('s3cretPassw0rd') ? ['comment'] : [],
      ])
        assert.deepEqual(where, []);
    } finally {
      dir.cleanup();
      await server.stop();
    }
  });

  test('plan: pending files listed; an edited applied file makes plan fail, lint only warn', async () => {
    const { dir, table } = fresh({ '0001_p.sql': 'CREATE TABLE IF NOT EXISTS planned (id int);\n' });
    try {
      const plan = await migrate(dir, { command: 'plan', 'history-table': table });
      assert.equal(plan.error, undefined, plan.failure);
      assert.ok(plan.io.infos.includes('1 pending: 0001_p.sql; database at version none.'));
      assert.equal((await migrate(dir, { 'history-table': table })).error, undefined);
      dir.write('0001_p.sql', 'CREATE TABLE IF NOT EXISTS planned (id bigint);\n');
      const drift = await migrate(dir, { command: 'plan', 'history-table': table });
      assert.match(
        drift.failure ?? '',
        /^The migration history does not match the files, so apply would refuse to run: .*0001_p\.sql was edited/,
      );
      const lint = await migrate(dir, { command: 'lint', 'history-table': table });
      assert.equal(lint.error, undefined, lint.failure);
      assert.ok(lint.io.warnings.some((w) => /0001_p\.sql was edited/.test(w.message)));
    } finally {
      dir.cleanup();
    }
  });

  test('bad inputs fail before connecting: a URL that is not postgres, a history table that is not a name', async () => {
    const dir = migrationDir({});
    try {
      const url = await migrate(dir, { 'database-url': 'mysql://root:pw12345678@db/app' });
      assert.ok(url.error instanceof UserError);
      assert.deepEqual(url.io.leaks('pw12345678'), []);
      const table = await migrate(dir, { 'history-table': 'drop table users;' });
      assert.ok(table.error instanceof UserError);
      assert.equal(table.io.outputs.applied, undefined, 'nothing ran');
    } finally {
      dir.cleanup();
    }
  });
});
