/**
 * sslmode=require must work against a server with a self-signed certificate (Supabase-style URLs).
 * Turns TLS on for the local server with ALTER SYSTEM + pg_reload_conf() when it is off, and puts
 * the settings back afterwards; plain connections keep working meanwhile.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { describeConnectError } from '../../../actions/migrate/src/connect.js';
import { pgConfigFromUrl } from '../../../lib/pg.js';
import { runAction } from '../../harness/run-action.js';
import { adminQuery, createDb, migrationDir, type TestDb } from './helpers.js';

/** This file's own folder for the certificate; the server reads it, so it is world-traversable. */
let certDir: string | undefined;
/** The certificate the server presents (ours, or the one it was already configured with). */
let cert: string;
let turnedOn = false;
let db: TestDb;

async function sslIsOn(): Promise<boolean> {
  return (await adminQuery<{ ssl: string }>('SHOW ssl'))[0]?.ssl === 'on';
}

/** The server's certificate file when TLS is on and the file can be read, else undefined. */
async function serverCertificate(): Promise<string | undefined> {
  if (!(await sslIsOn())) return undefined;
  const setting = (name: string) =>
    adminQuery<Record<string, string>>(`SHOW ${name}`).then((rows) => rows[0]?.[name] ?? '');
  const file = await setting('ssl_cert_file');
  const path = isAbsolute(file) ? file : join(await setting('data_directory'), file);
  try {
    accessSync(path);
    return path;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  const existing = await serverCertificate();
  if (existing) cert = existing;
  else {
    certDir = mkdtempSync(join(tmpdir(), 'migrate-tls-'));
    chmodSync(certDir, 0o755);
    cert = join(certDir, 'server.crt');
    const key = join(certDir, 'server.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const { uid, gid } = pgUser();
    for (const f of [key, cert]) chownSync(f, uid, gid);
    chmodSync(key, 0o600);
    await adminQuery(`ALTER SYSTEM SET ssl_cert_file = '${cert}'`);
    await adminQuery(`ALTER SYSTEM SET ssl_key_file = '${key}'`);
    await adminQuery('ALTER SYSTEM SET ssl = on');
    await adminQuery('SELECT pg_reload_conf()');
    turnedOn = true;
    for (let i = 0; i < 50 && !(await sslIsOn()); i++) await new Promise((r) => setTimeout(r, 100));
  }
  db = await createDb();
});

afterAll(async () => {
  await db?.drop();
  if (turnedOn) {
    for (const name of ['ssl', 'ssl_cert_file', 'ssl_key_file'])
      await adminQuery(`ALTER SYSTEM RESET ${name}`);
    await adminQuery('SELECT pg_reload_conf()');
  }
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

function pgUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function usesTls(url: string): Promise<boolean> {
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    const res = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return res.rows[0]?.ssl === true;
  } finally {
    await client.end();
  }
}

describe('TLS (sslmode)', () => {
  test('the server offers TLS with a self-signed certificate', async () => {
    assert.equal(await sslIsOn(), true);
  });

  test('sslmode=require encrypts without verifying the certificate', async () => {
    assert.equal(await usesTls(`${db.url}?sslmode=require`), true);
  });

  test('sslmode=disable (and no sslmode) still connect in plain text while TLS is on', async () => {
    assert.equal(await usesTls(`${db.url}?sslmode=disable`), false);
    assert.equal(await usesTls(db.url), false);
  });

  test('sslmode=verify-full rejects the self-signed certificate and the advice is sslmode=require', async () => {
    const client = new pg.Client(pgConfigFromUrl(`${db.url}?sslmode=verify-full`));
    client.on('error', () => {});
    const err = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await client.end().catch(() => {});
    assert.ok(err, 'verify-full must not accept a self-signed certificate');
    assert.match(
      describeConnectError(err, `${db.url}?sslmode=verify-full`),
      /could not be verified.*sslmode=require/,
    );
  });

  test('sslmode=verify-ca with the certificate as sslrootcert verifies the CA but not the host name', async () => {
    assert.equal(await usesTls(`${db.url}?sslmode=verify-ca&sslrootcert=${cert}`), true);
  });

  test('the action applies migrations over a sslmode=require URL', async () => {
    const dir = migrationDir({ '0001_t.sql': 'CREATE TABLE t (id int);\n' });
    try {
      const res = await runAction('migrate', {
        inputs: { 'database-url': `${db.url}?sslmode=require`, dir: dir.path },
        timeoutMs: 60_000,
      });
      assert.equal(res.exitCode, 0, res.log);
      assert.equal(res.outputs.applied, '1');
      assert.doesNotMatch(res.log, /SECURITY WARNING|self-signed/i);
    } finally {
      dir.cleanup();
    }
  });
});
