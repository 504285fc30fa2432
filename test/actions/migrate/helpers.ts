/** Test helpers for the migrate action: a fresh database per test, migration dirs, a fake password-checking server. */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runAction } from '../../harness/run-action.js';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function adminQuery<R = Record<string, unknown>>(
  sql: string,
  params?: unknown[],
  url = ADMIN_URL,
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

export interface TestDb {
  name: string;
  url: string;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A fresh database; `drop` ends its other sessions first. */
export async function createDb(): Promise<TestDb> {
  const name = `t_migrate_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  return {
    name,
    url,
    query: (sql, params) => adminQuery(sql, params, url),
    async drop() {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export interface MigrationDir {
  path: string;
  write(name: string, sql: string): void;
  remove(name: string): void;
  cleanup(): void;
}

export function migrationDir(files: Record<string, string> = {}): MigrationDir {
  const path = mkdtempSync(join(tmpdir(), 'migrations-'));
  const dir: MigrationDir = {
    path,
    write: (name, sql) => writeFileSync(join(path, name), sql),
    remove: (name) => rmSync(join(path, name)),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
  for (const [name, sql] of Object.entries(files)) dir.write(name, sql);
  return dir;
}

/**
 * A stand-in PostgreSQL server without TLS that asks for a cleartext password and answers every
 * attempt the way PostgreSQL does for a wrong one: FATAL 28P01 "password authentication failed for
 * user". An SSLRequest gets the single byte 'N' (protocol docs, "SSL Session Encryption"), after which
 * the client may go on in plaintext on the same connection.
 */
export class WrongPasswordServer {
  #server: Server | undefined;
  readonly passwords: string[] = [];
  /** SSLRequests received (a libpq-like client asks for TLS first). */
  sslRequests = 0;
  port = 0;

  async start(host = '127.0.0.1'): Promise<this> {
    const server = createServer((socket) => {
      let buffer = Buffer.alloc(0);
      let started = false;
      let answered = false;
      let user = '';
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (!started) {
          if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
          const len = buffer.readInt32BE(0);
          if (len === 8 && buffer.readInt32BE(4) === 80877103) {
            this.sslRequests++;
            buffer = buffer.subarray(8);
            socket.write('N');
            return;
          }
          const params = buffer.subarray(8, len).toString('utf8').split('\0');
          user = params[params.indexOf('user') + 1] ?? '';
          buffer = buffer.subarray(len);
          started = true;
          const auth = Buffer.alloc(9);
          auth.write('R', 0);
          auth.writeInt32BE(8, 1);
          auth.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(auth);
          return;
        }
        if (answered || buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
        answered = true;
        this.passwords.push(buffer.subarray(5, buffer.readInt32BE(1)).toString('utf8').replace(/\0$/, ''));
        const fields = [
          ['S', 'FATAL'],
          ['V', 'FATAL'],
          ['C', '28P01'],
          ['M', `password authentication failed for user "${user}"`],
        ];
        const body = Buffer.concat([...fields.map(([k, v]) => Buffer.from(`${k}${v}\0`)), Buffer.from([0])]);
        const head = Buffer.alloc(5);
        head.write('E', 0);
        head.writeInt32BE(body.length + 4, 1);
        socket.end(Buffer.concat([head, body]));
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    this.port = (server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

/**
 * A fresh database with `files` applied by the migrate bundle, then `0002_drop.sql` pending (a
 * migration worth a backup); the database and the folder are removed afterwards.
 */
export async function withAppliedThenPending(
  files: Record<string, string>,
  fn: (db: TestDb, dir: MigrationDir) => Promise<void>,
): Promise<void> {
  const db = await createDb();
  const dir = migrationDir(files);
  try {
    const first = await runAction('migrate', {
      inputs: { 'database-url': db.url, dir: dir.path },
      timeoutMs: 60_000,
    });
    assert.equal(first.exitCode, 0, first.log);
    dir.write('0002_drop.sql', 'DROP TABLE users;\n');
    await fn(db, dir);
  } finally {
    dir.cleanup();
    await db.drop();
  }
}
