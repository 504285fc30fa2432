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

/**
 * node-postgres config from a DATABASE_URL with libpq sslmode semantics:
 * disable/allow/prefer → no TLS requirement (node-postgres cannot fall back, so no TLS),
 * require → TLS without certificate verification (what Supabase URLs need; with sslrootcert it
 * verifies the CA like libpq does), verify-ca → CA verified, host name not, verify-full → both.
 */
export function pgConfigFromUrl(url: string): ClientConfig {
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
  const config: ClientConfig = { connectionString: stripped.href };

  const common = {
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(keyPassphrase ? { passphrase: keyPassphrase } : {}),
  };
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      config.ssl = false;
      break;
    case 'require':
      config.ssl = ca
        ? { ...common, ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { ...common, rejectUnauthorized: false };
      break;
    case 'verify-ca':
      if (!ca && params.get('sslrootcert') !== 'system') {
        throw new UserError(
          'The database URL has sslmode=verify-ca but no sslrootcert: add sslrootcert=/path/to/ca.pem (or use sslmode=verify-full to verify against public CAs).',
        );
      }
      config.ssl = {
        ...common,
        ...(ca ? { ca } : {}),
        rejectUnauthorized: true,
        checkServerIdentity: () => undefined,
      };
      break;
    case 'verify-full':
      config.ssl = { ...common, ...(ca ? { ca } : {}), rejectUnauthorized: true };
      break;
  }
  return config;
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
