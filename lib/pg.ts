import { readFileSync } from 'node:fs';
import pg, { type ClientConfig } from 'pg';
import { UserError } from './errors.js';
import { isLoopbackName } from './inputs.js';
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
  const host = parsed.searchParams.get('host') ?? parsed.hostname;
  return host === '' || host.startsWith('/') || isLoopbackName(host);
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

/** How long connect() waits for the server before giving up (describeConnectError names it). */
const CONNECT_TIMEOUT_MS = 15_000;

/** One sentence for a failed connection: what happened, and what to change. Never contains the password. */
export function describeConnectError(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string };
  const parsed = parseDatabaseUrl(url);
  const where = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  const user = safeDecode(parsed.username) || 'the default user';
  const db = safeDecode(parsed.pathname.replace(/^\//, '')) || 'the default database';
  const message = (e?.message ?? String(err)).replace(/\.$/, '');
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `Could not connect to the database at ${where} (connection refused): check the host and port in database-url and that the server accepts connections from this runner.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Could not connect to the database: the host name ${parsed.hostname} was not found (DNS): check the host in database-url.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Could not connect to the database at ${where} (${e.code}): check the host, the port and that the runner's network may reach it (firewall, allow-list).`;
    case '28P01':
      return `The database at ${where} rejected the password for user ${user}: update the database-url secret with the current password.`;
    case '28000':
      return `The database at ${where} refused user ${user} (${message}): check the user name and that the server allows this runner to connect.`;
    case '3D000':
      return `The database ${db} does not exist on ${where}: check the database name at the end of database-url.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return `The TLS certificate of the database at ${where} could not be verified (${message}): give your provider's CA certificate with sslrootcert=/path/to/ca.pem and keep sslmode=verify-full; sslmode=require encrypts without verifying, so anyone on the network path could impersonate the database.`;
  }
  if (/does not support SSL/i.test(message)) {
    const mode = safeMode(url);
    if (mode === 'prefer') {
      return `The database at ${where} does not offer TLS, so the password and every statement would cross the network in cleartext: turn TLS on at the server and use sslmode=verify-full, or, only if the network path is private, opt out explicitly with sslmode=disable in database-url.`;
    }
    return `The database at ${where} does not offer TLS but database-url asks for it (sslmode=${mode}): turn TLS on at the server, or, only if the network path is private, use sslmode=disable.`;
  }
  if (/timeout/i.test(message)) {
    return `Could not connect to the database at ${where} within ${CONNECT_TIMEOUT_MS / 1000}s: check the host, the port and the runner's network access.`;
  }
  return `Could not connect to the database ${redactDatabaseUrl(url)}: ${message}.`;
}

function safeMode(url: string): string {
  try {
    return sslModeOf(url);
  } catch {
    return 'prefer';
  }
}

/** The server refused this kind of connection, so libpq would try the next attempt. */
function refusedKind(err: unknown, attempt: PgAttempt): boolean {
  const e = err as { code?: string; message?: string };
  if (attempt.encrypted) return /does not support SSL/i.test(e?.message ?? '');
  // pg_hba.conf has only hostssl lines for us: "no pg_hba.conf entry for host …, no encryption".
  return e?.code === '28000' && /pg_hba\.conf/i.test(e.message ?? '');
}

export interface Connection {
  client: pg.Client;
  /** How the connection is protected. */
  tls: Pick<PgAttempt, 'encrypted' | 'verified' | 'hostVerified'>;
  /** The host is not loopback: the traffic crosses a network. */
  remote: boolean;
}

/**
 * One dedicated connection to a user-supplied URL, made the way libpq would for its sslmode: TLS
 * first unless told otherwise, falling back only as libpq does. Fails with a UserError whose
 * message is describeConnectError's sentence.
 */
export async function connect(url: string, applicationName: string): Promise<Connection> {
  const attempts = pgConnectAttempts(url);
  let lastError: unknown;
  for (const attempt of attempts) {
    const client = new pg.Client({
      ...attempt.config,
      application_name: applicationName,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle-connection error after connect must not crash the process with a stack trace.
    client.on('error', () => {});
    try {
      await client.connect();
      const { encrypted, verified, hostVerified } = attempt;
      return { client, tls: { encrypted, verified, hostVerified }, remote: !isLoopbackHost(url) };
    } catch (err) {
      await client.end().catch(() => {});
      lastError = err;
      if (!refusedKind(err, attempt)) break;
    }
  }
  throw new UserError(describeConnectError(lastError, url));
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
