/** lib/pg: libpq's sslmode semantics for node-postgres, redaction, libpq URLs, connections and their errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { UserError } from '../../lib/errors.js';
import {
  connect,
  describeConnectError,
  isLoopbackHost,
  libpqUrl,
  pgConfigFromUrl,
  pgConnectAttempts,
  redactDatabaseUrl,
  sslModeOf,
} from '../../lib/pg.js';

describe('lib/pg', () => {
  const url = 'postgres://app:s%40cret@db.example.com:6543/main';
  const ssl = (u: string) =>
    pgConnectAttempts(u).map((a) => [a.config.ssl === false ? 'plain' : 'tls', a.verified]);
  test('no sslmode and prefer try TLS first, like libpq (the old code sent these in cleartext)', () => {
    assert.deepEqual(ssl(url), [['tls', false]]);
    assert.deepEqual(ssl(`${url}?sslmode=prefer`), [['tls', false]]);
    assert.deepEqual(pgConfigFromUrl(url).ssl, { rejectUnauthorized: false });
  });
  test('prefer falls back to plaintext only on a loopback host; elsewhere plaintext needs sslmode=disable', () => {
    assert.deepEqual(ssl('postgres://u@127.0.0.1:5432/db'), [
      ['tls', false],
      ['plain', false],
    ]);
    assert.deepEqual(ssl('postgres://u@localhost/db?sslmode=prefer'), [
      ['tls', false],
      ['plain', false],
    ]);
    assert.deepEqual(ssl(`${url}?sslmode=disable`), [['plain', false]]);
    assert.deepEqual(ssl(`${url}?sslmode=allow`), [
      ['plain', false],
      ['tls', false],
    ]);
    // A pool cannot fall back per connection: loopback without sslmode stays plain, remote uses TLS.
    assert.equal(pgConfigFromUrl('postgres://u@127.0.0.1/db').ssl, false);
  });
  test('sslmode=require: TLS without verification as libpq does, and the sslmode never reaches node-postgres', () => {
    const config = pgConfigFromUrl(`${url}?sslmode=require&application_name=x`);
    assert.deepEqual(config.ssl, { rejectUnauthorized: false });
    assert.doesNotMatch(String(config.connectionString), /ssl/);
    assert.match(String(config.connectionString), /application_name=x/);
  });
  test('verify-full verifies; verify-ca needs a root certificate; no-verify is require', () => {
    const [full] = pgConnectAttempts(`${url}?sslmode=verify-full`);
    assert.deepEqual(full!.config.ssl, { rejectUnauthorized: true });
    assert.equal(full!.hostVerified, true);
    assert.throws(() => pgConfigFromUrl(`${url}?sslmode=verify-ca`), /sslrootcert/);
    assert.equal(sslModeOf(`${url}?sslmode=no-verify`), 'require');
    assert.equal(sslModeOf(`${url}?ssl=true`), 'verify-full');
  });
  test('loopback hosts', () => {
    for (const h of ['127.0.0.1', 'localhost', '[::1]', '127.3.2.1', 'db.localhost']) {
      assert.equal(isLoopbackHost(`postgres://u@${h}/db`), true, h);
    }
    assert.equal(isLoopbackHost('postgres:///db?host=/var/run/postgresql'), true);
    for (const h of ['db.example.com', '10.0.0.5', '128.0.0.1', '[::2]']) {
      assert.equal(isLoopbackHost(`postgres://u@${h}/db`), false, h);
    }
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
    [
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' },
      /sslrootcert=\/path\/to\/ca\.pem and keep sslmode=verify-full/,
    ],
    [
      { message: 'The server does not support SSL connections' },
      /does not offer TLS, so the password and every statement would cross the network in cleartext.*sslmode=verify-full.*opt out explicitly with sslmode=disable/,
    ],
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

describe('connect', () => {
  test('a local server: one usable session, named, and not counted as remote', async () => {
    const { client, remote } = await connect('postgres://postgres@127.0.0.1:5432/postgres', 'lib-pg test');
    try {
      assert.equal(remote, false);
      const res = await client.query<{ name: string }>("SELECT current_setting('application_name') AS name");
      assert.equal(res.rows[0]?.name, 'lib-pg test');
    } finally {
      await client.end();
    }
  });
  test("failures are a UserError with describeConnectError's sentence", async () => {
    await assert.rejects(
      connect('postgres://postgres:hunter2@127.0.0.1:5432/no_such_db_for_lib_pg', 'lib-pg test'),
      (e: Error) =>
        e instanceof UserError &&
        e.message ===
          'The database no_such_db_for_lib_pg does not exist on 127.0.0.1:5432: check the database name at the end of database-url.',
    );
  });
});
