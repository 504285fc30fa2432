// lib/backup.ts on real PostgreSQL: dump → encrypt (streamed) → decrypt → restore gives the same rows;
// no plaintext on disk; wrong key, secret key as recipient and non-empty targets refused in a sentence.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  backupPlan,
  DumpFailed,
  dumpEncrypted,
  dumpPlaintext,
  parseRecipients,
  restoreBackup,
} from '../../lib/backup.js';
import { createDb, type TestDb } from '../actions/migrate/helpers.js';

describe('backup policy', () => {
  test('recipients: public keys only, one per line, comments allowed', async () => {
    const key = await identityToRecipient(await generateIdentity());
    assert.deepEqual(parseRecipients(`# ops team\n${key}\n\n`), [key]);
    assert.throws(
      () => parseRecipients('AGE-SECRET-KEY-1QQQ'),
      /SECRET key: only public keys .* rotate that key now/,
    );
    assert.throws(() => parseRecipients('ssh-ed25519 AAAA'), /not an age public key/);
    // Shaped like a key, but age's own decoding rejects its checksum: caught before any dump.
    assert.throws(
      () => parseRecipients(`age1${'q'.repeat(58)}`),
      /not a valid age public key \(its checksum or length is wrong\)/,
    );
  });

  test('public repositories never get a plaintext backup; private ones only when opted in', () => {
    const key = ['age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq'];
    assert.equal(backupPlan(key, false, { private: false }).kind, 'encrypted');
    const pub = backupPlan([], true, { private: false, visibility: 'public' });
    assert.equal(pub.kind, 'refused');
    assert.match((pub as { reason: string }).reason, /public.*anyone signed in to GitHub/);
    assert.equal(backupPlan([], false, { private: true }).kind, 'refused');
    const opted = backupPlan([], true, { private: true, visibility: 'private' });
    assert.deepEqual(opted, {
      kind: 'plaintext',
      readers:
        'everyone with read access to this private repository can download this backup in plaintext (allow-plaintext-backup is true)',
    });
  });
});

describe('encrypted dump and restore on PostgreSQL', () => {
  let source: TestDb;
  let target: TestDb;
  let dir: string;
  let identity: string;
  let recipient: string;
  const MARKER = 'customer-email-9f3c@example.com';

  beforeAll(async () => {
    [source, target] = await Promise.all([createDb(), createDb()]);
    dir = mkdtempSync(join(tmpdir(), 'backup-test-'));
    identity = await generateIdentity();
    recipient = await identityToRecipient(identity);
    await source.query(`CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL)`);
    await source.query(`INSERT INTO users (email) SELECT $1 || g FROM generate_series(1, 500) g`, [MARKER]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (db: TestDb) => async () =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`))[0]
        ?.n,
    );

  test('dump → age → restore: the same rows; the file holds no plaintext', async () => {
    const path = join(dir, 'prod.dump.age');
    const res = await dumpEncrypted({ databaseUrl: source.url, path, recipients: [recipient] });
    assert.ok(res.bytes > 0);
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, 21).toString(), 'age-encryption.org/v1');
    assert.equal(bytes.includes(Buffer.from(MARKER)), false, 'no plaintext in the encrypted file');
    assert.equal(bytes.includes(Buffer.from('PGDMP')), false, 'not a pg_dump file in the clear');
    await restoreBackup({
      file: path,
      identities: identity,
      targetUrl: target.url,
      countTables: count(target),
    });
    const rows = await target.query<{ n: string; first: string }>(
      'SELECT count(*) AS n, min(email) AS first FROM users',
    );
    assert.deepEqual(rows, [{ n: '500', first: `${MARKER}1` }]);
  });

  test('a non-empty target is refused unless told, then replaced', async () => {
    const path = join(dir, 'prod.dump.age');
    await assert.rejects(
      restoreBackup({ file: path, identities: identity, targetUrl: target.url, countTables: count(target) }),
      /already has 1 table: restore into an empty database, or pass --force/,
    );
    await target.query(`DELETE FROM users WHERE id > 10`);
    await restoreBackup({
      file: path,
      identities: identity,
      targetUrl: target.url,
      allowNonEmpty: true,
      countTables: count(target),
    });
    assert.deepEqual(await target.query('SELECT count(*)::int AS n FROM users'), [{ n: 500 }]);
  });

  test('plaintext dump (the opt-in) restores without a key; a failing pg_dump leaves no file', async () => {
    const path = join(dir, 'opted-in.dump');
    await dumpPlaintext({ databaseUrl: source.url, path });
    assert.equal(readFileSync(path).subarray(0, 5).toString(), 'PGDMP');
    const failing = join(dir, 'failing.dump.age');
    await assert.rejects(
      dumpEncrypted({
        databaseUrl: source.url.replace(/\/[^/]+$/, '/no_such_database_here'),
        path: failing,
        recipients: [recipient],
      }),
      (err: unknown) => err instanceof DumpFailed && /no_such_database_here/.test(err.stderrTail),
    );
    assert.equal(existsSync(failing), false, 'a truncated backup must not pass for one');
  });

  test('the wrong key fails in one sentence, before pg_restore touches anything', async () => {
    const other = await generateIdentity();
    const empty = await createDb();
    try {
      await assert.rejects(
        restoreBackup({
          file: join(dir, 'prod.dump.age'),
          identities: other,
          targetUrl: empty.url,
          countTables: count(empty),
        }),
        /was not encrypted to this key: use a secret key whose public key \(age1…\) is in backup-recipients/,
      );
      assert.equal(await count(empty)(), 0);
    } finally {
      await empty.drop();
    }
  });
});
