// The migrate bundle's S3-compatible backup destination under Node 24, as the runner starts it,
// against the S3 stand-in mounted where Supabase Storage mounts its S3 API (/storage/v1/s3): the
// encrypted dump uploaded before anything is applied, retention that removes only this database's
// old backups, `decisionlog-deploy restore --file s3://…` giving back the same rows, and every upload
// failure (no bucket, refused credentials, unreachable endpoint, no credentials) stopping the run in
// one sentence with nothing applied.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterEach, beforeAll, beforeEach, describe, test } from 'vitest';
import { EXIT, run } from '../../../cli/src/cli.js';
import { leaks, runAction } from '../../harness/run-action.js';
import { S3StandIn } from '../../standins/s3.js';
import { createDb, type MigrationDir, type TestDb, withAppliedThenPending } from './helpers.js';

const MARKER = 's3-backup-marker-51d0@example.com';
const FILES = {
  '0001_users.sql': `CREATE TABLE users (id int PRIMARY KEY, email text);\nINSERT INTO users SELECT g, g || '-${MARKER}' FROM generate_series(1, 250) g;\n`,
};
const PUBLIC = { repository: { full_name: 'acme/decisionlog', private: false, visibility: 'public' } };
const DAY = 86_400_000;

let identity: string;
let recipient: string;
let s3: S3StandIn;
beforeAll(async () => {
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
beforeEach(async () => {
  s3 = await new S3StandIn('/storage/v1/s3').start();
  s3.createBucket('backups');
});
afterEach(async () => {
  await s3.stop();
});

const credentials = () => ({ AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey });

/** A fresh database with v1 applied and a second file pending. */
const withPending = (fn: (db: TestDb, dir: MigrationDir) => Promise<void>) =>
  withAppliedThenPending(FILES, fn);

const migrate = (
  db: TestDb,
  dir: MigrationDir,
  inputs: Record<string, string>,
  env: Record<string, string> = credentials(),
) =>
  runAction('migrate', {
    inputs: {
      'database-url': db.url,
      dir: dir.path,
      'backup-recipients': recipient,
      'backup-s3-bucket': 'backups',
      'backup-s3-endpoint': s3.endpoint,
      ...inputs,
    },
    env,
    event: PUBLIC,
    timeoutMs: 90_000,
  });

const history = async (db: TestDb) =>
  (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) =>
    Number(r.version),
  );

async function cli(argv: string[], env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const code = await run(argv, { PATH: process.env.PATH, ...env }, { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}

describe('migrate bundle: backup to S3-compatible storage', () => {
  test('uploads the .dump.age before migrating, prunes only old backups of this database, and restores from s3://', async () => {
    await withPending(async (db, dir) => {
      const old = new Date(Date.now() - 10 * DAY);
      const recent = new Date(Date.now() - 2 * DAY);
      const own = (stamp: string) => `decisionlog/${db.name}-${stamp}-v0.dump.age`;
      s3.put('backups', own('20200101T000000Z'), 'old', old);
      s3.put('backups', own('20200102T000000Z').replace('.age', ''), 'old plaintext', old);
      s3.put('backups', own('20200103T000000Z'), 'recent', recent);
      s3.put('backups', 'decisionlog/otherdb-20200101T000000Z-v3.dump.age', 'other database', old);
      s3.put('backups', 'decisionlog/notes.txt', 'not a backup', old);
      s3.put('backups', `decisionlog/nested/${db.name}-20200101T000000Z-v0.dump.age`, 'deeper', old);

      const started = Date.now();
      const backups = mkdtempSync(join(tmpdir(), 'backup-s3-'));
      const res = await migrate(db, dir, { 'backup-dir': backups });
      assert.equal(res.exitCode, 0, res.log);
      assert.deepEqual(await history(db), [1, 2]);

      const path = res.outputs['backup-path'] ?? '';
      const key = `decisionlog/${basename(path)}`;
      assert.match(key, new RegExp(`^decisionlog/${db.name}-\\d{8}T\\d{6}Z-v1\\.dump\\.age$`));
      assert.equal(res.outputs['backup-s3-key'], key);
      assert.equal(res.outputs['backup-s3-uri'], `s3://backups/${key}`);
      const until = Date.parse(res.outputs['backup-retain-until'] ?? '');
      assert.ok(
        until >= started + 7 * DAY && until <= Date.now() + 7 * DAY,
        'retain-until is upload time + 7 days',
      );
      const stored = s3.object('backups', key)?.body;
      assert.deepEqual(stored, readFileSync(path), 'the object is the encrypted file, byte for byte');
      assert.equal(stored?.includes(Buffer.from(MARKER)), false, 'no row in the clear in the bucket');
      assert.ok(
        s3.calls('PUT', `/storage/v1/s3/backups/${key}`).length === 1,
        'path-style under the base path',
      );

      assert.deepEqual(
        s3.keys('backups'),
        [
          own('20200103T000000Z'),
          key,
          `decisionlog/nested/${db.name}-20200101T000000Z-v0.dump.age`,
          'decisionlog/notes.txt',
          'decisionlog/otherdb-20200101T000000Z-v3.dump.age',
        ].sort(),
      );
      assert.match(
        res.summary,
        new RegExp(
          `Backup copy: \`s3://backups/${key}\`, kept until \\d{4}-\\d{2}-\\d{2}\\. Removed 2 backups older than 7 days: `,
        ),
      );
      assert.ok(res.summary.includes(own('20200101T000000Z')));
      assert.deepEqual(leaks(res, s3.secretAccessKey), [], 'the secret key never shows');
      assert.ok(res.masks.includes(s3.secretAccessKey) && res.masks.includes(s3.accessKeyId));

      const target = await createDb();
      try {
        const restored = await cli(
          [
            'restore',
            '--file',
            `s3://backups/${key}`,
            '--database-url',
            target.url,
            '--s3-endpoint',
            s3.endpoint,
          ],
          { ...credentials(), AGE_IDENTITY: identity },
        );
        assert.equal(restored.code, EXIT.ok, restored.stderr);
        assert.deepEqual(await target.query('SELECT count(*)::int AS n, min(email) AS first FROM users'), [
          { n: 250, first: `1-${MARKER}` },
        ]);
        assert.deepEqual(await history(target), [1], 'the database before 0002');
        assert.ok(!`${restored.stdout}${restored.stderr}`.includes(s3.secretAccessKey));

        // A prefix (trailing slash): the newest backup directly under it — the one just uploaded, not
        // the nested, other-named or older objects beside it.
        const newest = await createDb();
        try {
          const byPrefix = await cli(
            ['restore', '--file', 's3://backups/decisionlog/', '--database-url', newest.url, '--json'],
            { ...credentials(), AGE_IDENTITY: identity, AWS_ENDPOINT_URL_S3: s3.endpoint },
          );
          assert.equal(byPrefix.code, EXIT.ok, byPrefix.stderr);
          const out = JSON.parse(byPrefix.stdout) as { outputs: Record<string, string> };
          assert.equal(out.outputs.backup, `s3://backups/${key}`);
          assert.ok(Date.parse(out.outputs['backup-created'] ?? '') >= started - 1000);
          assert.deepEqual(await history(newest), [1]);
        } finally {
          await newest.drop();
        }
        const emptyPrefix = await cli(
          ['restore', '--file', 's3://backups/elsewhere/', '--database-url', target.url],
          { ...credentials(), AGE_IDENTITY: identity, AWS_ENDPOINT_URL_S3: s3.endpoint },
        );
        assert.equal(emptyPrefix.code, EXIT.failed);
        assert.match(
          emptyPrefix.stderr,
          /^There is no backup \(\*\.dump\.age or \*\.dump\) directly under s3:\/\/backups\/elsewhere\/: check the bucket and the prefix the migrate action's backup-s3-prefix uses\.\n$/,
        );

        const missing = await cli(
          ['restore', '--file', 's3://backups/decisionlog/nope.dump.age', '--database-url', target.url],
          { ...credentials(), AGE_IDENTITY: identity, AWS_ENDPOINT_URL_S3: s3.endpoint },
        );
        assert.equal(missing.code, EXIT.failed);
        assert.match(
          missing.stderr,
          /\nCould not download s3:\/\/backups\/decisionlog\/nope\.dump\.age: there is no object "decisionlog\/nope\.dump\.age" in bucket "backups" at 127\.0\.0\.1:\d+; list the bucket to find the backup's key\.\n$/,
        );
        const noCreds = await cli(
          ['restore', '--file', `s3://backups/${key}`, '--database-url', target.url],
          {},
        );
        assert.equal(noCreds.code, EXIT.usage);
        assert.match(noCreds.stderr, /is in object storage: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      } finally {
        await target.drop();
        rmSync(backups, { recursive: true, force: true });
      }
    });
  });

  test('a bucket that does not exist: one sentence, nothing applied, nothing stored', async () => {
    await withPending(async (db, dir) => {
      const res = await migrate(db, dir, { 'backup-s3-bucket': 'no-such-bucket' });
      assert.equal(res.exitCode, 1);
      assert.deepEqual(res.errors, [
        `Nothing was applied: could not upload the backup: the bucket "no-such-bucket" does not exist at ${new URL(s3.url).host}; create it, or correct the bucket name (and the endpoint).`,
      ]);
      assert.deepEqual(await history(db), [1]);
      assert.equal(res.outputs['backup-s3-key'], '');
    });
  });

  test('a wrong secret key: the credentials sentence, masked, nothing applied', async () => {
    await withPending(async (db, dir) => {
      const wrong = 'wrong-secret-0123456789abcdef';
      const res = await migrate(
        db,
        dir,
        {},
        { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: wrong },
      );
      assert.equal(res.exitCode, 1);
      assert.match(
        res.errors[0] ?? '',
        /^Nothing was applied: could not upload the backup: 127\.0\.0\.1:\d+ refused the credentials for bucket "backups" \(SignatureDoesNotMatch\); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
      );
      assert.equal(res.errors.length, 1);
      assert.deepEqual(leaks(res, wrong), []);
      assert.deepEqual(await history(db), [1]);
      assert.deepEqual(s3.keys('backups'), []);
    });
  });

  test('an endpoint nobody listens on: the host sentence, nothing applied', async () => {
    // Port 1: below the ephemeral range, so no stand-in of a test running beside this one can be
    // listening there (a port freed a moment ago can be).
    const port = 1;
    await withPending(async (db, dir) => {
      const res = await migrate(db, dir, { 'backup-s3-endpoint': `http://127.0.0.1:${port}` });
      assert.equal(res.exitCode, 1);
      assert.deepEqual(res.errors, [
        `Nothing was applied: could not upload the backup: 127.0.0.1:${port} could not be reached (ECONNREFUSED); check the endpoint's address and that this machine can reach it.`,
      ]);
      assert.deepEqual(await history(db), [1]);
    });
  });

  test('no credentials in the environment: refused before connecting, nothing applied', async () => {
    await withPending(async (db, dir) => {
      const res = await migrate(db, dir, {}, {});
      assert.equal(res.exitCode, 1);
      assert.deepEqual(res.errors, [
        'Nothing was applied: backup-s3-bucket is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not in the environment; pass them to this step under env: from secrets (or run aws-actions/configure-aws-credentials first).',
      ]);
      assert.deepEqual(await history(db), [1]);
      assert.deepEqual(s3.requests, []);
    });
  });

  test('a bucket without backup-dir, and a key that may not list: the backup is stored, migrations run, a warning says old ones stay', async () => {
    await withPending(async (db, dir) => {
      s3.failNext('ListObjectsV2', 403, 'AccessDenied', 'Access Denied');
      const res = await migrate(db, dir, { 'backup-s3-prefix': '/prod' });
      assert.equal(res.exitCode, 0, res.log);
      assert.deepEqual(await history(db), [1, 2]);
      const key = res.outputs['backup-s3-key'] ?? '';
      assert.match(key, /^prod\/t_migrate_\w+-\d{8}T\d{6}Z-v1\.dump\.age$/);
      assert.deepEqual(s3.keys('backups'), [key]);
      assert.match(
        res.warnings.join('\n'),
        /Could not remove backups older than 7 days: 127\.0\.0\.1:\d+ refused the credentials for bucket "backups" \(AccessDenied\);.* The new backup is stored; older ones stay until a later run can remove them\./,
      );
    });
  });

  test('backup-retention-days 0 keeps every backup and leaves backup-retain-until empty', async () => {
    await withPending(async (db, dir) => {
      s3.put(
        'backups',
        `decisionlog/${db.name}-20200101T000000Z-v0.dump.age`,
        'old',
        new Date(Date.now() - 400 * DAY),
      );
      const res = await migrate(db, dir, { 'backup-retention-days': '0' });
      assert.equal(res.exitCode, 0, res.log);
      assert.equal(res.outputs['backup-retain-until'], '');
      assert.equal(s3.keys('backups').length, 2);
      assert.ok(!s3.operations.includes('ListObjectsV2'));
    });
  });
});
