/** Connection errors and TLS advice: one sentence, never the password. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { describeConnectError, tlsAdvice } from '../../../actions/migrate/src/connect.js';

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

describe('tlsAdvice', () => {
  const tls = (encrypted: boolean, verified: boolean, hostVerified: boolean) => ({
    encrypted,
    verified,
    hostVerified,
  });
  test('a remote connection that is not verify-full is told to use verify-full', () => {
    assert.match(
      tlsAdvice({ remote: true, tls: tls(true, false, false) }) ?? '',
      /not verified.*sslmode=verify-full/,
    );
    assert.match(
      tlsAdvice({ remote: true, tls: tls(true, true, false) }) ?? '',
      /not the host name.*verify-full/,
    );
    assert.match(
      tlsAdvice({ remote: true, tls: tls(false, false, false) }) ?? '',
      /cleartext.*sslmode=disable/,
    );
  });
  test('verify-full and loopback connections need no advice', () => {
    assert.equal(tlsAdvice({ remote: true, tls: tls(true, true, true) }), undefined);
    assert.equal(tlsAdvice({ remote: false, tls: tls(false, false, false) }), undefined);
  });
});
