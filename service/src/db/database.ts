/**
 * The one database handle: a node-postgres Pool, either on a real PostgreSQL (DATABASE_URL) or on
 * embedded PGlite through its node-postgres adapter — so every query, transaction and the migration
 * runner use the same code in both modes. Queries slower than `slowQueryMs` are logged as warnings.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { pgConfigFromUrl } from '../../../lib/pg.js';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

/** What the db/ functions need: a pool or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<QueryResult<R>>;
}

export interface DbOptions {
  log: Logger;
  slowQueryMs: number;
  /** Closes whatever sits behind the pool (the PGlite instance). */
  onClose?: () => Promise<void>;
  kind: 'postgres' | 'embedded';
  /** A separate small pool for health probes (real PostgreSQL); without it they use the app pool. */
  probePool?: pg.Pool;
}

/** Settings for the length of one transaction (SET LOCAL), by name. */
export type LocalSettings = Record<string, string | number>;

export interface TransactionOptions {
  /** SET LOCAL with the BEGIN, in the same round trip. */
  settings?: LocalSettings;
  /**
   * BEGIN READ ONLY, and the answer does not wait for the COMMIT: with nothing written there is nothing
   * it could lose, and the connection runs it before anything its next user sends.
   */
  readOnly?: boolean;
}

/**
 * `BEGIN` and a SET LOCAL for each setting, as one simple-protocol query: the settings cost no round
 * trip of their own.
 */
export function beginSql(opts: TransactionOptions = {}): string {
  const sets = Object.entries(opts.settings ?? {}).map(([name, value]) => {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`not a setting name: ${name}`);
    return `SET LOCAL ${name} = '${String(value).replace(/'/g, "''")}'`;
  });
  return [opts.readOnly ? 'BEGIN READ ONLY' : 'BEGIN', ...sets].join('; ');
}

/** The app pool's connections: open, idle, and requests waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export class Db implements Queryable {
  readonly kind: 'postgres' | 'embedded';
  #pool: pg.Pool;
  #opts: DbOptions;
  #closed = false;
  /**
   * Where health probes run. On real PostgreSQL a pool of its own whose connect, query and
   * statement timeouts equal the health timeout: a hanging database can hold at most its two
   * connections, never the app pool's. Embedded PGlite has one connection, so probes share it.
   */
  readonly probe: Queryable;

  constructor(pool: pg.Pool, opts: DbOptions) {
    this.#pool = pool;
    this.#opts = opts;
    this.kind = opts.kind;
    // An idle client losing its connection (database restart) must not crash the process.
    const onIdleError = (err: Error) =>
      opts.log.warn({ event: 'db_idle_client_error', err: err.message }, 'database connection lost');
    pool.on('error', onIdleError);
    opts.probePool?.on('error', onIdleError);
    const probePool = opts.probePool;
    this.probe = probePool
      ? {
          query: <R extends pg.QueryResultRow>(text: string, params?: unknown[]) =>
            probePool.query<R>(text, params as unknown[]),
        }
      : this;
  }

  poolStats(): PoolStats {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount };
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<QueryResult<R>> {
    return this.#timed(text, () => this.#pool.query<R>(text, params as unknown[]));
  }

  /** Runs `fn` in BEGIN … COMMIT on one connection (see TransactionOptions); ROLLBACK when it throws. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    return this.withClient(async (client) => {
      const tx: Queryable = {
        query: <R extends pg.QueryResultRow>(text: string, params?: unknown[]) =>
          this.#timed(text, () => client.query<R>(text, params as unknown[])),
      };
      await client.query(beginSql(opts));
      try {
        const result = await fn(tx);
        const commit = client.query('COMMIT');
        // A failed COMMIT of a read-only transaction means a lost connection: its next query fails too.
        if (opts.readOnly) commit.catch(() => undefined);
        else await commit;
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** A dedicated connection (the migration runner needs one for its advisory lock). */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      // A connection-level failure must not go back to the pool.
      if (err instanceof Error && !('code' in err && typeof err.code === 'string' && err.code.length === 5)) {
        broken = err;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#pool.end(), this.#opts.probePool?.end()]);
    await this.#opts.onClose?.();
  }

  async #timed<R>(text: string, run: () => Promise<R>): Promise<R> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const ms = performance.now() - started;
      if (ms > this.#opts.slowQueryMs) {
        this.#opts.log.warn(
          {
            event: 'slow_query',
            duration_ms: Math.round(ms),
            query: text.replace(/\s+/g, ' ').trim().slice(0, 200),
          },
          'slow query',
        );
      }
    }
  }
}

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  embeddedDbDir: string;
  poolMax: number;
  slowQueryMs: number;
  log: Logger;
  /** Bound of a health probe (connect + query), HEALTH_DB_TIMEOUT_MS; 2000 when not given. */
  healthTimeoutMs?: number;
}

/** Real PostgreSQL when a URL is given, embedded PGlite (loaded only then) otherwise. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const base = pgConfigFromUrl(opts.databaseUrl);
    const pool = new pg.Pool({
      ...base,
      max: opts.poolMax,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'decisionlog',
      statement_timeout: 30_000,
    });
    const healthMs = opts.healthTimeoutMs ?? 2000;
    // query_timeout (client side) also covers a database that never answers at all: the timed-out
    // connection is destroyed, not kept; statement_timeout makes the server give up as well.
    const probePool = new pg.Pool({
      ...base,
      max: 2,
      connectionTimeoutMillis: healthMs,
      query_timeout: healthMs,
      statement_timeout: healthMs,
      idleTimeoutMillis: 30_000,
      application_name: 'decisionlog-health',
    });
    return new Db(pool, { log: opts.log, slowQueryMs: opts.slowQueryMs, kind: 'postgres', probePool });
  }
  return openEmbedded(opts);
}

async function openEmbedded(opts: OpenDatabaseOptions): Promise<Db> {
  const dataDir = opts.embeddedDbDir;
  if (!dataDir.startsWith('memory://')) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
  }
  let mod: typeof import('@electric-sql/pglite');
  let adapter: typeof import('@electric-sql/pglite/node-postgres');
  try {
    // webpackIgnore: the production bundle leaves PGlite out and must not load it unless asked to.
    mod = await import(/* webpackIgnore: true */ '@electric-sql/pglite');
    adapter = await import(/* webpackIgnore: true */ '@electric-sql/pglite/node-postgres');
  } catch {
    throw new Error(
      'DATABASE_URL is not set and the embedded database (@electric-sql/pglite) is not installed here: set DATABASE_URL to a PostgreSQL URL.',
    );
  }
  const pglite = new mod.PGlite(dataDir);
  await pglite.waitReady;
  // PGlite is a single connection: one pooled client, callers queue behind it.
  const pool = new pg.Pool({ ...adapter.createPgConfig(pglite), max: 1 });
  return new Db(pool, {
    log: opts.log,
    slowQueryMs: opts.slowQueryMs,
    kind: 'embedded',
    onClose: () => pglite.close(),
  });
}
