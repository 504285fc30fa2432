import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { UserError } from './errors.js';
import { safeDecode } from './mask.js';

/** Query parameters that describe TLS; we translate them ourselves instead of letting node-postgres read them. */
const SSL_PARAMS =
  /^(ssl|sslmode|sslrootcert|sslcert|sslkey|sslpassword|sslcrl|sslcrldir|sslsni|sslnegotiation|sslcompression|uselibpqcompat)$/i;

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Parses a postgres:// URL or throws a UserError that never repeats the URL (it holds a password). */
export function parseDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UserError(
      'The database URL is not a valid URL: write it like postgres://user:password@host:5432/dbname (percent-encode special characters in the password).',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UserError(
      `The database URL must start with postgres:// or postgresql://, not ${parsed.protocol}//: copy the connection string from your database provider.`,
    );
  }
  return parsed;
}

/** The sslmode a URL asks for, with libpq's default (prefer) when it says nothing. */
export function sslModeOf(url: string): SslMode {
  const params = parseDatabaseUrl(url).searchParams;
  const mode = params.get('sslmode')?.toLowerCase();
  if (mode === undefined) {
    // node-postgres' own `ssl=true` means "TLS, verified".
    const ssl = params.get('ssl')?.toLowerCase();
    return ssl === 'true' || ssl === '1' ? 'verify-full' : 'prefer';
  }
  if (mode === 'no-verify') return 'require';
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw new UserError(
      `The database URL has sslmode=${mode}, which libpq does not know: use one of ${SSL_MODES.join(', ')}.`,
    );
  }
  return mode as SslMode;
}

/** True when the URL's host never leaves this machine (loopback address, localhost or a Unix socket). */
export function isLoopbackHost(url: string): boolean {
  const parsed = parseDatabaseUrl(url);
  const host = (parsed.searchParams.get('host') ?? parsed.hostname).replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === '' ||
    host.startsWith('/') ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** One connection attempt of libpq's sslmode sequence. */
export interface PgAttempt {
  config: ClientConfig;
  /** TLS is used on this attempt. */
  encrypted: boolean;
  /** The server's certificate is checked against a CA (verify-ca, verify-full, or require with sslrootcert). */
  verified: boolean;
  /** Verified and the host name checked too (verify-full): the only mode a network attacker cannot impersonate. */
  hostVerified: boolean;
}

/**
 * The attempts libpq makes for a DATABASE_URL's sslmode, in order; the next one is tried only when
 * the server refuses the previous kind of connection (no TLS offered, or pg_hba.conf refuses it):
 * - no sslmode and `prefer`: TLS first, like psql and pg_dump; plaintext after it only on a loopback
 *   host, because plaintext over a network needs an explicit `sslmode=disable` (or `allow`).
 * - `require`: TLS without checking the certificate, as libpq does (with sslrootcert: CA checked);
 * - `verify-ca`: CA checked, host name not; `verify-full`: both (what we advise).
 * - `allow`: plaintext first, then TLS; `disable`: plaintext only.
 */
export function pgConnectAttempts(url: string): PgAttempt[] {
  const parsed = parseDatabaseUrl(url);
  const mode = sslModeOf(url);
  const params = parsed.searchParams;
  const file = (name: string): string | undefined => {
    const path = params.get(name);
    if (!path || path === 'system') return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new UserError(
        `The database URL's ${name}=${path} cannot be read: check the file path on the runner.`,
      );
    }
  };
  const ca = file('sslrootcert');
  const cert = file('sslcert');
  const key = file('sslkey');
  const keyPassphrase = params.get('sslpassword') ?? undefined;

  const stripped = new URL(parsed.href);
  for (const name of [...stripped.searchParams.keys()]) {
    if (SSL_PARAMS.test(name)) stripped.searchParams.delete(name);
  }
  const connectionString = stripped.href;
  const common = {
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(keyPassphrase ? { passphrase: keyPassphrase } : {}),
  };
  const plain: PgAttempt = {
    config: { connectionString, ssl: false },
    encrypted: false,
    verified: false,
    hostVerified: false,
  };
  // Like libpq, a root certificate given with require/prefer turns on CA verification.
  const opportunistic: PgAttempt = ca
    ? {
        config: {
          connectionString,
          ssl: { ...common, ca, rejectUnauthorized: true, checkServerIdentity: () => undefined },
        },
        encrypted: true,
        verified: true,
        hostVerified: false,
      }
    : {
        config: { connectionString, ssl: { ...common, rejectUnauthorized: false } },
        encrypted: true,
        verified: false,
        hostVerified: false,
      };
  switch (mode) {
    case 'disable':
      return [plain];
    case 'allow':
      return [plain, opportunistic];
    case 'prefer':
      return isLoopbackHost(url) ? [opportunistic, plain] : [opportunistic];
    case 'require':
      return [opportunistic];
    case 'verify-ca':
      if (!ca && params.get('sslrootcert') !== 'system') {
        throw new UserError(
          'The database URL has sslmode=verify-ca but no sslrootcert: add sslrootcert=/path/to/ca.pem (or use sslmode=verify-full to verify against public CAs).',
        );
      }
      return [
        {
          config: {
            connectionString,
            ssl: {
              ...common,
              ...(ca ? { ca } : {}),
              rejectUnauthorized: true,
              checkServerIdentity: () => undefined,
            },
          },
          encrypted: true,
          verified: true,
          hostVerified: false,
        },
      ];
    case 'verify-full':
      return [
        {
          config: { connectionString, ssl: { ...common, ...(ca ? { ca } : {}), rejectUnauthorized: true } },
          encrypted: true,
          verified: true,
          hostVerified: true,
        },
      ];
  }
}

/**
 * node-postgres config for a pool, which cannot fall back per connection: libpq's first attempt,
 * except that a loopback host without an sslmode stays in plaintext (the traffic never leaves the
 * machine, and local servers often have TLS off). Single connections use pgConnectAttempts.
 */
export function pgConfigFromUrl(url: string): ClientConfig {
  const attempts = pgConnectAttempts(url);
  const mode = sslModeOf(url);
  if (mode === 'prefer' && attempts.length > 1) return (attempts.at(-1) as PgAttempt).config;
  return (attempts[0] as PgAttempt).config;
}

/** "postgres://user:***@host:5432/db" for logs: no password, and no secret-looking query values. */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Unparseable: keep only what cannot be a password.
    return url.replace(/\/\/[^@/]*@/, '//***@').replace(/(password|pass|pwd)=[^&\s]*/gi, '$1=***');
  }
  if (parsed.password) parsed.password = '***';
  for (const [key] of [...parsed.searchParams]) {
    if (/pass|pwd|token|secret|key/i.test(key) && !/^sslkey$/i.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.href;
}

/**
 * A libpq connection string (for pg_dump, psql) without the password, which goes in PGPASSWORD
 * instead so it never shows on a command line; node-postgres-only parameters are dropped.
 */
export function libpqUrl(url: string): { url: string; password: string | undefined } {
  const parsed = parseDatabaseUrl(url);
  const password = parsed.password
    ? safeDecode(parsed.password)
    : (parsed.searchParams.get('password') ?? undefined);
  parsed.password = '';
  parsed.searchParams.delete('password');
  for (const name of ['ssl', 'uselibpqcompat', 'pgbouncer', 'schema', 'connection_limit', 'pool_timeout']) {
    parsed.searchParams.delete(name);
  }
  // node-postgres' sslmode=no-verify is libpq's require.
  if (parsed.searchParams.get('sslmode') === 'no-verify') parsed.searchParams.set('sslmode', 'require');
  return { url: parsed.href, password };
}

/** The database name in a URL (for file names and messages). */
export function databaseName(url: string): string {
  const path = parseDatabaseUrl(url).pathname.replace(/^\//, '');
  return safeDecode(path) || 'postgres';
}
