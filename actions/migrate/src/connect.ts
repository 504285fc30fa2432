import pg from 'pg';
import { UserError } from '../../../lib/errors.js';
import {
  isLoopbackHost,
  type PgAttempt,
  parseDatabaseUrl,
  pgConnectAttempts,
  redactDatabaseUrl,
  sslModeOf,
} from '../../../lib/pg.js';

/** One sentence for a failed connection: what happened, and what to change. Never contains the password. */
export function describeConnectError(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string };
  const parsed = parseDatabaseUrl(url);
  const where = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  const user = decodeURIComponent(parsed.username) || 'the default user';
  const db = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'the default database';
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
    return `Could not connect to the database at ${where} within 15s: check the host, the port and the runner's network access.`;
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
 * One dedicated connection (the advisory lock and session settings live on it), made the way libpq
 * would for the URL's sslmode: TLS first unless told otherwise, falling back only as libpq does.
 */
export async function connect(url: string, applicationName: string): Promise<Connection> {
  const attempts = pgConnectAttempts(url);
  let lastError: unknown;
  for (const attempt of attempts) {
    const client = new pg.Client({
      ...attempt.config,
      application_name: applicationName,
      connectionTimeoutMillis: 15_000,
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

/** The warning a connection over a network deserves, or undefined when it is verified (or local). */
export function tlsAdvice(connection: Pick<Connection, 'tls' | 'remote'>): string | undefined {
  if (!connection.remote || connection.tls.hostVerified) return undefined;
  if (!connection.tls.encrypted) {
    return 'The database connection is in cleartext because database-url says sslmode=disable (or allow): the password and the migrations cross the network readable by anyone on the path; turn TLS on at the server and use sslmode=verify-full.';
  }
  return connection.tls.verified
    ? 'The database connection is encrypted and the CA is checked, but not the host name (sslmode=verify-ca): use sslmode=verify-full so a certificate the same CA issued to another host is refused.'
    : "The database connection is encrypted but the server's certificate is not verified (sslmode=require or prefer), so anyone on the network path could impersonate the database: use sslmode=verify-full with sslrootcert=/path/to/ca.pem (your provider publishes its CA certificate).";
}
