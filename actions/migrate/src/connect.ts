import pg from 'pg';
import { UserError } from '../../../lib/errors.js';
import { parseDatabaseUrl, pgConfigFromUrl, redactDatabaseUrl } from '../../../lib/pg.js';

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
      return `The TLS certificate of the database at ${where} could not be verified (${message}): use sslmode=require to encrypt without verifying (as Supabase documents), or add sslrootcert=/path/to/ca.pem.`;
  }
  if (/does not support SSL/i.test(message)) {
    return `The database at ${where} does not offer TLS but database-url asks for it: use sslmode=disable (or prefer) for this server, or turn TLS on at the server.`;
  }
  if (/timeout/i.test(message)) {
    return `Could not connect to the database at ${where} within 15s: check the host, the port and the runner's network access.`;
  }
  return `Could not connect to the database ${redactDatabaseUrl(url)}: ${message}.`;
}

/** One dedicated connection (the advisory lock and session settings live on it). */
export async function connect(url: string, applicationName: string): Promise<pg.Client> {
  const config = pgConfigFromUrl(url);
  const client = new pg.Client({
    ...config,
    application_name: applicationName,
    connectionTimeoutMillis: 15_000,
  });
  // An idle-connection error after connect must not crash the process with a stack trace.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new UserError(describeConnectError(err, url));
  }
  return client;
}
