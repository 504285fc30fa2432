import type { Connection } from '../../../lib/pg.js';

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
