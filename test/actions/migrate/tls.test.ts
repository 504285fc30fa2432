/**
 * libpq's TLS semantics against real PostgreSQL with TLS turned on (a self-signed certificate), and
 * against a stand-in server without TLS. TLS is turned on for the shared local server with ALTER
 * SYSTEM + pg_reload_conf() when it is off (`ssl = on` still accepts plaintext, so other tests keep
 * working) and the settings are put back afterwards.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { connect, describeConnectError, pgConfigFromUrl } from '../../../lib/pg.js';
import { leaks, runAction } from '../../harness/run-action.js';
import { adminQuery, createDb, migrationDir, type TestDb, WrongPasswordServer } from './helpers.js';

let certDir: string | undefined;
let cert: string;
let turnedOn = false;
let db: TestDb;

async function sslIsOn(): Promise<boolean> {
  return (await adminQuery<{ ssl: string }>('SHOW ssl'))[0]?.ssl === 'on';
}

beforeAll(async () => {
  if (await sslIsOn()) {
    // Someone else turned it on: their certificate is the one to trust.
    cert = (await adminQuery<{ f: string }>('SHOW ssl_cert_file'))[0]!.f;
  } else {
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
        '2',
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

/** Connects the way the migrate action does and asks the server whether this session uses TLS. */
async function usesTls(url: string): Promise<boolean> {
  const { client } = await connect(url, 'tls-test');
  try {
    const res = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return res.rows[0]?.ssl === true;
  } finally {
    await client.end();
  }
}

describe('TLS against PostgreSQL with TLS on', () => {
  test('the server offers TLS with a self-signed certificate', async () => {
    assert.equal(await sslIsOn(), true);
  });

  test('no sslmode and sslmode=prefer encrypt, as psql does (the old code sent them in cleartext)', async () => {
    assert.equal(await usesTls(db.url), true);
    assert.equal(await usesTls(`${db.url}?sslmode=prefer`), true);
  });

  test('sslmode=require encrypts without verifying the certificate', async () => {
    assert.equal(await usesTls(`${db.url}?sslmode=require`), true);
  });

  test('sslmode=disable is the explicit plaintext opt-out', async () => {
    assert.equal(await usesTls(`${db.url}?sslmode=disable`), false);
  });

  test('sslmode=verify-full rejects the self-signed certificate, and the advice is sslrootcert with verify-full', async () => {
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
      /could not be verified.*sslrootcert=\/path\/to\/ca\.pem and keep sslmode=verify-full/,
    );
  });

  test('sslmode=verify-ca with the certificate as sslrootcert verifies the CA but not the host name', async () => {
    assert.equal(await usesTls(`${db.url}?sslmode=verify-ca&sslrootcert=${cert}`), true);
  });

  test('the action applies migrations over TLS with a URL that names no sslmode', async () => {
    const dir = migrationDir({
      '0001_t.sql': 'CREATE TABLE seen AS SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n',
    });
    try {
      const res = await runAction('migrate', {
        inputs: { 'database-url': db.url, dir: dir.path },
        timeoutMs: 60_000,
      });
      assert.equal(res.exitCode, 0, res.log);
      assert.deepEqual(await db.query('SELECT ssl FROM seen'), [{ ssl: true }]);
      assert.doesNotMatch(res.log, /SECURITY WARNING|self-signed/i);
    } finally {
      dir.cleanup();
    }
  });
});

/** A non-loopback address of this machine, to stand for a database across a network. */
function networkAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe('a server without TLS', () => {
  test('on a loopback host, no sslmode asks for TLS first and then falls back to plaintext, like libpq', async () => {
    const server = await new WrongPasswordServer().start();
    try {
      const err = await connect(`postgres://app:Pw-loop@127.0.0.1:${server.port}/db`, 'x').then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.equal(server.sslRequests, 1, 'TLS was asked for first');
      assert.deepEqual(server.passwords, ['Pw-loop'], 'then the plaintext attempt reached authentication');
      assert.match(String(err?.message), /rejected the password for user app/);
    } finally {
      await server.stop();
    }
  });

  test.skipIf(!networkAddress())(
    'across a network, plaintext needs sslmode=disable: without it the password is never sent',
    async () => {
      const host = networkAddress() as string;
      const server = await new WrongPasswordServer().start(host);
      try {
        const dir = migrationDir({ '0001_t.sql': 'SELECT 1;\n' });
        const url = `postgres://app:Pw-remote-123@${host}:${server.port}/db`;
        const refused = await runAction('migrate', { inputs: { 'database-url': url, dir: dir.path } });
        assert.equal(refused.exitCode, 1);
        assert.match(
          refused.errors.at(-1)!,
          /does not offer TLS, so the password and every statement would cross the network in cleartext: .*sslmode=verify-full.*sslmode=disable/,
        );
        assert.deepEqual(server.passwords, [], 'the password never crossed the network');
        const optedOut = await runAction('migrate', {
          inputs: { 'database-url': `${url}?sslmode=disable`, dir: dir.path },
        });
        dir.cleanup();
        assert.match(optedOut.errors.at(-1)!, /rejected the password/);
        assert.deepEqual(server.passwords, ['Pw-remote-123']);
        assert.deepEqual(leaks(optedOut, 'Pw-remote-123'), []);
      } finally {
        await server.stop();
      }
    },
  );
});
