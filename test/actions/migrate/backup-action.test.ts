// The migrate bundle's backup policy under Node 24, as the runner starts it: an encrypted backup that
// restores with the matching identity (lib/backup restoreBackup on real PostgreSQL), and every way a
// readable dump is refused before anything is applied — a public repository without recipients, a
// private one without the opt-in, a secret key pasted where public keys belong. A private repository
// that opted in gets its plaintext backup and a summary that says who can read it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { restoreBackup } from '../../../lib/backup.js';
import { leaks, runAction } from '../../harness/run-action.js';
import { createDb, type MigrationDir, type TestDb, withAppliedThenPending } from './helpers.js';

const MARKER = 'backup-marker-7c1e@example.com';
const FILES = {
  '0001_users.sql': `CREATE TABLE users (id int PRIMARY KEY, email text);\nINSERT INTO users VALUES (1, '${MARKER}');\n`,
};
const PUBLIC = { repository: { full_name: 'acme/decisionlog', private: false, visibility: 'public' } };
const PRIVATE = { repository: { full_name: 'acme/decisionlog', private: true, visibility: 'private' } };

let scratch: string;
let identity: string;
let recipient: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'migrate-backup-'));
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A fresh database with v1 applied, a second pending file, and its own backup folder. */
async function withPending(fn: (db: TestDb, dir: MigrationDir, backups: string) => Promise<void>) {
  const backups = mkdtempSync(join(scratch, 'backups-'));
  await withAppliedThenPending(FILES, (db, dir) => fn(db, dir, backups));
}

const migrate = (
  db: TestDb,
  dir: MigrationDir,
  inputs: Record<string, string>,
  event: Record<string, unknown>,
) =>
  runAction('migrate', {
    inputs: { 'database-url': db.url, dir: dir.path, ...inputs },
    event,
    timeoutMs: 60_000,
  });

const history = async (db: TestDb) =>
  (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) =>
    Number(r.version),
  );

describe('migrate bundle: the pre-migration backup', () => {
  test('public repository with recipients: only a .dump.age, which restores with the matching identity', async () => {
    await withPending(async (db, dir, backups) => {
      const res = await migrate(db, dir, { 'backup-dir': backups, 'backup-recipients': recipient }, PUBLIC);
      assert.equal(res.exitCode, 0, res.log);
      const path = res.outputs['backup-path'] ?? '';
      assert.match(path, new RegExp(`^${backups}/${db.name}-\\d{8}T\\d{6}Z-v1\\.dump\\.age$`));
      assert.equal(res.outputs['backup-encrypted'], 'true');
      assert.deepEqual(readdirSync(backups), [path.slice(backups.length + 1)], 'nothing else on disk');
      const bytes = readFileSync(path);
      assert.equal(bytes.subarray(0, 21).toString(), 'age-encryption.org/v1');
      assert.equal(bytes.includes(Buffer.from(MARKER)), false, 'no row in the clear');
      assert.equal(bytes.includes(Buffer.from('PGDMP')), false, 'no pg_dump header in the clear');
      assert.match(
        res.summary,
        /Backup: `[^`]+\.dump\.age` — encrypted to 1 age recipient: only the holder of the matching secret key can read it\./,
      );
      assert.deepEqual(await history(db), [1, 2], 'applied after the backup');

      const restored = await createDb();
      try {
        await restoreBackup({
          file: path,
          identities: identity,
          targetUrl: restored.url,
          countTables: async () => 0,
        });
        assert.deepEqual(await restored.query('SELECT email FROM users'), [{ email: MARKER }]);
        assert.deepEqual(await history(restored), [1], 'the backup is the database before 0002');
      } finally {
        await restored.drop();
      }
    });
  });

  test('public repository without recipients: refused in one sentence before anything is applied', async () => {
    await withPending(async (db, dir, backups) => {
      const res = await migrate(db, dir, { 'backup-dir': backups, 'allow-plaintext-backup': 'true' }, PUBLIC);
      assert.equal(res.exitCode, 1);
      assert.deepEqual(res.errors, [
        'Nothing was applied: this repository is public, so an unencrypted database backup would be readable by anyone signed in to GitHub: set backup-recipients to one or more age public keys (age1…), or leave backup-dir empty.',
      ]);
      assert.deepEqual(await history(db), [1]);
      assert.deepEqual(readdirSync(backups), []);
      assert.equal(res.outputs['backup-path'], undefined, 'refused before any output');
    });
  });

  test('private repository without the opt-in: refused, nothing applied', async () => {
    await withPending(async (db, dir, backups) => {
      const res = await migrate(db, dir, { 'backup-dir': backups }, PRIVATE);
      assert.equal(res.exitCode, 1);
      assert.match(
        res.errors[0] ?? '',
        /^Nothing was applied: a database backup would be kept unencrypted: set backup-recipients .* or set allow-plaintext-backup: true/,
      );
      assert.deepEqual(await history(db), [1]);
      assert.deepEqual(readdirSync(backups), []);
    });
  });

  test('private repository that opted in: a plaintext dump, and the summary says who can read it', async () => {
    await withPending(async (db, dir, backups) => {
      const res = await migrate(
        db,
        dir,
        { 'backup-dir': backups, 'allow-plaintext-backup': 'true' },
        PRIVATE,
      );
      assert.equal(res.exitCode, 0, res.log);
      const path = res.outputs['backup-path'] ?? '';
      assert.match(path, /-v1\.dump$/);
      assert.equal(res.outputs['backup-encrypted'], 'false');
      assert.equal(readFileSync(path).subarray(0, 5).toString(), 'PGDMP');
      assert.match(
        res.summary,
        /Backup: `[^`]+\.dump` — \*\*not encrypted\*\*: everyone with read access to this private repository can download this backup in plaintext \(allow-plaintext-backup is true\)\./,
      );
      assert.match(
        res.warnings[0] ?? '',
        /is not encrypted: everyone with read access to this private repository/,
      );
      const restored = await createDb();
      try {
        await restoreBackup({ file: path, targetUrl: restored.url, countTables: async () => 0 });
        assert.deepEqual(await restored.query('SELECT email FROM users'), [{ email: MARKER }]);
      } finally {
        await restored.drop();
      }
    });
  });

  test('a secret key pasted into backup-recipients: refused, masked, nothing applied', async () => {
    await withPending(async (db, dir, backups) => {
      const res = await migrate(
        db,
        dir,
        { 'backup-dir': backups, 'backup-recipients': `${recipient}\n${identity}` },
        PUBLIC,
      );
      assert.equal(res.exitCode, 1);
      assert.match(res.errors[0] ?? '', /^backup-recipients holds an age SECRET key: .* rotate that key now/);
      assert.ok(res.masks.includes(identity), 'registered as a secret before anything is logged');
      assert.deepEqual(leaks(res, identity), []);
      assert.deepEqual(await history(db), [1]);
      assert.deepEqual(readdirSync(backups), []);
    });
  });
});
