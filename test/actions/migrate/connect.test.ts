/** TLS advice for the connection migrate made: one sentence when it is not verified. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { tlsAdvice } from '../../../actions/migrate/src/connect.js';

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
