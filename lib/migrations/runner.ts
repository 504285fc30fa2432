/**
 * The one migration runner: used by the migrate action and by the DecisionLog service at boot
 * (node-postgres or PGlite). It knows nothing of @actions/core or of lint rules.
 */
import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { formatDuration } from '../duration.js';
import { errorMessage, UserError } from '../errors.js';
import { type MigrationFile, readMigrations } from './files.js';
import { type HistoryRow, planMigrations } from './plan.js';
import { type Comment, parseSql, SqlSyntaxError, type Statement } from './sql.js';
import { blockPositions, type Problem, transactionProblems } from './transactions.js';

export type { MigrationFile } from './files.js';
export type { Drift, HistoryRow } from './plan.js';
export type { Problem } from './transactions.js';

/** A pending migration file read by PostgreSQL's parser. */
export interface ParsedMigration extends MigrationFile {
  statements: Statement[];
  comments: Comment[];
  lineOfLocation: (location: number) => number;
}

export interface SqlClient {
  /** One statement, $1-style params. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** A multi-statement script (simple query protocol). */
  exec(script: string): Promise<void>;
  /**
   * The protocol's transaction status after the last command (libpq's PQtransactionStatus):
   * 'I' idle, 'T' inside a transaction block, 'E' inside a failed one. Without it the runner asks
   * the server instead.
   */
  transactionStatus?(): 'I' | 'T' | 'E' | null;
}

export interface ApplyOptions {
  dir: string;
  /** Default schema_migrations; `schema.table` allowed. */
  historyTable?: string;
  /** How long to wait for another migrator's lock (default 60 s; 0 = do not wait). */
  lockWaitMs?: number;
  /** PostgreSQL lock_timeout for each migration (default 5 s; 0 = none). */
  lockTimeoutMs?: number;
  /** PostgreSQL statement_timeout for each migration (default none). */
  statementTimeoutMs?: number;
  /** Recorded in the history table, e.g. "octocat https://github.com/o/r/actions/runs/1". */
  appliedBy?: string;
  log?: (line: string) => void;
  /**
   * Called once the lock is held and the checks passed, before the first pending file runs (lint
   * gates, backups), with the newest applied version; throwing stops the run with nothing applied.
   */
  beforeApply?: (pending: ParsedMigration[], current: number | null) => Promise<void>;
  /** Called after each file is committed (progress survives a later failure). */
  onApplied?: (migration: { version: number; name: string; durationMs: number }) => void;
}

export interface ApplyResult {
  applied: Array<{ version: number; name: string; durationMs: number }>;
  /** Count before the run. */
  pending: number;
  /** Newest applied version after the run. */
  current: number | null;
  /** The plan made under the lock before anything ran: drift, problems, the parsed pending files. */
  plan: PlanResult;
  /** Files still pending after the run: the plan's pending files less those applied. */
  remaining: MigrationFile[];
}

/**
 * An apply run that may have stopped. `result` is where the database stands (what was applied,
 * the version now, what is left); it is undefined when the run stopped before it could plan under
 * the lock (unreadable files, the lock wait, the history table).
 */
export type ApplyOutcome =
  | { ok: true; result: ApplyResult }
  | { ok: false; error: unknown; result: ApplyResult | undefined };

export interface PlanResult {
  files: MigrationFile[];
  history: HistoryRow[];
  pending: MigrationFile[];
  /** The pending files PostgreSQL's parser read (a file that does not parse is only in `problems`). */
  parsed: ParsedMigration[];
  /** Pending files that cannot run as written (syntax, transaction control): `apply` refuses them. */
  problems: Problem[];
  current: number | null;
  /** Sentences describing drift; `plan` reports them, `apply` refuses to run. */
  drift: string[];
}

/**
 * A migration that failed: the file, the statement's line, and what PostgreSQL said. PostgreSQL's
 * DETAIL (for example the duplicated key of a unique violation: production data) is kept apart from
 * the message, so callers decide where it may be shown.
 */
export class MigrationError extends UserError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | undefined,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** Another migrator held the lock for longer than lock-wait. */
export class LockTimeoutError extends UserError {}

const DEFAULT_TABLE = 'schema_migrations';
export const LOCK_CLASS = 1296647762; // 'MIGR': first key of our two-key advisory lock

/**
 * Applies every pending migration of `options.dir`, one transaction per file (with its history
 * row), holding a session advisory lock so concurrent migrators run one after the other. Drift
 * (edited, missing, out-of-order files) and unrunnable files stop it before anything is applied.
 */
export async function applyMigrations(client: SqlClient, options: ApplyOptions): Promise<ApplyResult> {
  const outcome = await tryApplyMigrations(client, options);
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/** applyMigrations that returns a failure with where the database stands, instead of throwing it. */
export async function tryApplyMigrations(client: SqlClient, options: ApplyOptions): Promise<ApplyOutcome> {
  const log = options.log ?? (() => {});
  let result: ApplyResult | undefined;
  try {
    const table = historyTableName(options.historyTable);
    const files = await readMigrations(options.dir);
    // A killed migrator's backend keeps its lock until the server notices the dead socket.
    await client.exec(`SET client_connection_check_interval = '2s'`).catch(() => {});
    await acquireLock(client, table, options.lockWaitMs ?? 60_000, log);
    try {
      await ensureHistoryTable(client, table);
      const plan = await planOf(files, await readHistory(client, table), options.dir);
      result = {
        applied: [],
        pending: plan.pending.length,
        current: plan.current,
        plan,
        remaining: plan.pending,
      };
      if (plan.drift.length) throw driftError(plan.drift);
      if (plan.problems.length) throw problemsError(plan.problems);
      if (plan.parsed.length === 0) {
        log(`Nothing to apply: the database is at version ${plan.current ?? '(none)'}.`);
        return { ok: true, result };
      }
      log(`${plan.parsed.length} pending migration${plan.parsed.length === 1 ? '' : 's'}.`);
      await options.beforeApply?.(plan.parsed, plan.current);
      for (const file of plan.parsed) {
        const durationMs = await applyOne(client, table, file, options);
        result.applied.push({ version: file.version, name: file.name, durationMs });
        result.current = file.version;
        result.remaining = plan.pending.slice(result.applied.length);
        options.onApplied?.({ version: file.version, name: file.name, durationMs });
        log(`Applied ${file.name} in ${formatDuration(durationMs)}.`);
      }
      return { ok: true, result };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockKey(table)]).catch(() => {});
    }
  } catch (error) {
    return { ok: false, error, result };
  }
}

/** What `apply` would do, changing nothing (no lock, no history table created). */
export async function planFromDatabase(
  client: SqlClient,
  options: Pick<ApplyOptions, 'dir' | 'historyTable'>,
): Promise<PlanResult> {
  const table = historyTableName(options.historyTable);
  const files = await readMigrations(options.dir);
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  const history = exists.rows[0]?.t ? await readHistory(client, table) : [];
  return planOf(files, history, options.dir);
}

/** The files against the history, with the pending ones read by PostgreSQL's parser. */
async function planOf(files: MigrationFile[], history: HistoryRow[], dir: string): Promise<PlanResult> {
  const plan = planMigrations(files, history, dir);
  const { parsed, problems } = await parseMigrations(plan.pending);
  return {
    files,
    history,
    pending: plan.pending,
    parsed,
    problems,
    current: plan.current,
    drift: plan.drift.map((d) => d.message),
  };
}

/**
 * Reads each file with PostgreSQL's parser and checks its transaction control. Every file is
 * checked (not only up to the first problem) so one run reports all of them.
 */
export async function parseMigrations(
  files: MigrationFile[],
): Promise<{ parsed: ParsedMigration[]; problems: Problem[] }> {
  const parsed: ParsedMigration[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    try {
      const migration = { ...file, ...(await parseSql(file.sql, file.name)) };
      problems.push(...transactionProblems(migration));
      parsed.push(migration);
    } catch (err) {
      if (!(err instanceof SqlSyntaxError)) throw err;
      problems.push({
        file: file.name,
        line: err.line,
        rule: 'syntax-error',
        message: `PostgreSQL cannot parse this file: ${err.reason}; fix the SQL (the line is where the parser stopped).`,
      });
    }
  }
  return { parsed, problems };
}

/** The one sentence `apply` fails with when pending files cannot run as written. */
export function problemsError(problems: Problem[]): UserError {
  const files = new Set(problems.map((p) => p.file)).size;
  return new UserError(
    `Nothing was applied because ${files === 1 ? 'a pending file cannot' : `${files} pending files cannot`} run as written: ${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join(' ')}`,
  );
}

/** node-postgres adapter: one dedicated connection (session settings and the advisory lock live on it). */
export function pgAdapter(client: ClientBase): SqlClient {
  return {
    async query<R>(text: string, params?: unknown[]) {
      const res = await client.query(text, params);
      return { rows: res.rows as R[] };
    },
    async exec(script: string) {
      await client.query(script);
    },
    transactionStatus: () => client.getTransactionStatus?.() ?? null,
  };
}

/** Validates and quotes `table` or `schema.table`. */
export function historyTableName(name = DEFAULT_TABLE): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(name)) {
    throw new UserError(
      `History table "${name}" is not a plain table name: use letters, digits and underscores, optionally schema-qualified (like schema_migrations or ops.schema_migrations).`,
    );
  }
  return name
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
}

/** Second key of the advisory lock: one lock per history table. */
export function lockKey(table: string): number {
  return createHash('sha256').update(`decisionlog-migrate:${table}`).digest().readInt32BE(0) & 0x7fffffff;
}

async function acquireLock(client: SqlClient, table: string, waitMs: number, log: (line: string) => void) {
  const key = lockKey(table);
  const tried = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
    LOCK_CLASS,
    key,
  ]);
  if (tried.rows[0]?.ok) return;
  const holder = await describeLockHolder(client, key);
  if (waitMs <= 0) throw lockError(holder, waitMs);
  log(`Another migrator holds the migration lock (${holder}); waiting up to ${formatDuration(waitMs)}.`);
  try {
    await client.exec(`SET lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, key]);
  } catch (err) {
    if ((err as { code?: string }).code === '55P03')
      throw lockError(await describeLockHolder(client, key), waitMs);
    throw err;
  } finally {
    await client.exec('RESET lock_timeout').catch(() => {});
  }
  log('Got the migration lock.');
}

function lockError(holder: string, waitMs: number): LockTimeoutError {
  return new LockTimeoutError(
    `Another migrator still holds the migration lock after ${formatDuration(waitMs)} (${holder}): wait for it to finish and re-run, raise lock-wait, or if it is stuck end it with SELECT pg_terminate_backend(<pid>).`,
  );
}

async function describeLockHolder(client: SqlClient, key: number): Promise<string> {
  try {
    const res = await client.query<{
      pid: number;
      application_name: string | null;
      client_addr: string | null;
      usename: string | null;
      backend_start: Date | null;
    }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.usename, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid
          AND l.objid = $2::bigint::oid AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [LOCK_CLASS, key],
    );
    const row = res.rows[0];
    if (!row) return 'holder unknown: it may have just finished';
    const parts = [`pid ${row.pid}`];
    if (row.application_name) parts.push(`application "${row.application_name}"`);
    if (row.usename) parts.push(`user ${row.usename}`);
    if (row.client_addr) parts.push(`from ${row.client_addr}`);
    if (row.backend_start) parts.push(`connected since ${new Date(row.backend_start).toISOString()}`);
    return `held by ${parts.join(', ')}`;
  } catch {
    return 'holder unknown: this role cannot read pg_locks';
  }
}

async function ensureHistoryTable(client: SqlClient, table: string): Promise<void> {
  await client.exec(`CREATE TABLE IF NOT EXISTS ${table} (
  version bigint PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL,
  applied_by text
)`);
}

async function readHistory(client: SqlClient, table: string): Promise<HistoryRow[]> {
  const res = await client.query<{
    version: string | number;
    name: string;
    checksum: string;
    applied_at: Date | string;
    execution_ms: number;
    applied_by: string | null;
  }>(`SELECT version, name, checksum, applied_at, execution_ms, applied_by FROM ${table} ORDER BY version`);
  return res.rows.map((r) => ({
    version: Number(r.version),
    name: r.name,
    checksum: r.checksum,
    appliedAt: r.applied_at,
    executionMs: r.execution_ms,
    appliedBy: r.applied_by,
  }));
}

/**
 * After a no-transaction file: the session must not be inside a transaction, or the history row
 * would join it and both would vanish when the connection closes. An open one is rolled back and
 * the file is reported as not applied.
 */
export async function verifyNoOpenTransaction(client: SqlClient, file: string): Promise<void> {
  const status = client.transactionStatus?.() ?? (await probeTransaction(client));
  if (status === 'I') return;
  await client.exec('ROLLBACK').catch(() => {});
  throw new MigrationError(
    `${file} left a transaction open after its last statement, so PostgreSQL would have discarded it when the connection closed: it was rolled back and not recorded as applied; end the file's BEGIN block with COMMIT and re-run.`,
    file,
    undefined,
  );
}

/** Transaction status asked of the server: SAVEPOINT is refused outside a transaction block (25P01). */
async function probeTransaction(client: SqlClient): Promise<'I' | 'T' | 'E'> {
  try {
    await client.exec('SAVEPOINT decisionlog_migrate_probe');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '25P01' || /only be used in transaction blocks/i.test(e.message ?? '')) return 'I';
    if (e.code === '25P02' || /current transaction is aborted/i.test(e.message ?? '')) return 'E';
    throw err;
  }
  await client.exec('RELEASE SAVEPOINT decisionlog_migrate_probe');
  return 'T';
}

function driftError(messages: string[]): UserError {
  const list = messages.length === 1 ? messages[0] : messages.map((m, i) => `(${i + 1}) ${m}`).join(' ');
  return new UserError(`Nothing was applied because the migration history does not match the files: ${list}`);
}

async function applyOne(client: SqlClient, table: string, file: ParsedMigration, options: ApplyOptions) {
  const statements = file.statements;
  const scope = file.noTransaction ? '' : ' LOCAL';
  // Without a statement-timeout the role's or server's own setting stays in force.
  const settings = [
    `SET${scope} lock_timeout = ${Math.round(options.lockTimeoutMs ?? 5000)}`,
    ...(options.statementTimeoutMs
      ? [`SET${scope} statement_timeout = ${Math.round(options.statementTimeoutMs)}`]
      : []),
  ].join('; ');
  const started = performance.now();
  const record = async (durationMs: number) =>
    client.query(
      `INSERT INTO ${table} (version, name, checksum, execution_ms, applied_by) VALUES ($1, $2, $3, $4, $5)`,
      [file.version, file.name, file.checksum, Math.round(durationMs), options.appliedBy ?? null],
    );

  if (file.noTransaction) {
    await client.exec(settings);
    // Statements that committed: those outside an explicit BEGIN … COMMIT, and whole blocks at COMMIT.
    const positions = blockPositions(statements);
    let committed = 0;
    try {
      for (const [i, st] of statements.entries()) {
        await runStatement(client, file, st);
        if (positions[i]?.settled) committed = i + 1;
      }
      await verifyNoOpenTransaction(client, file.name);
      const durationMs = performance.now() - started;
      await record(durationMs);
      return durationMs;
    } catch (err) {
      // A failure inside an explicit block leaves an aborted transaction on this session.
      if (client.transactionStatus?.() !== 'I') await client.exec('ROLLBACK').catch(() => {});
      if (err instanceof MigrationError && committed > 0) {
        throw new MigrationError(
          `${err.message} The file runs outside a transaction (-- migrate:no-transaction), so its first ${committed} statement${committed === 1 ? '' : 's'} stayed applied; make them idempotent (IF NOT EXISTS), drop any INVALID index, and re-run.`,
          err.file,
          err.line,
          err.detail,
        );
      }
      throw err;
    } finally {
      await client.exec('RESET lock_timeout; RESET statement_timeout').catch(() => {});
    }
  }

  await client.exec(`BEGIN; ${settings}`);
  try {
    for (const st of statements) await runStatement(client, file, st);
    const durationMs = performance.now() - started;
    await record(durationMs);
    await client.exec('COMMIT');
    return durationMs;
  } catch (err) {
    await client.exec('ROLLBACK').catch(() => {});
    if (err instanceof MigrationError) {
      throw new MigrationError(
        `${err.message} Nothing from this file was applied.`,
        err.file,
        err.line,
        err.detail,
      );
    }
    throw new MigrationError(
      `Recording or committing ${file.name} failed (${errorMessage(err)}); nothing from this file was applied.`,
      file.name,
      undefined,
    );
  }
}

async function runStatement(
  client: SqlClient,
  file: MigrationFile,
  st: { text: string; line: number },
): Promise<void> {
  try {
    await client.exec(st.text);
  } catch (err) {
    const e = err as {
      message?: string;
      hint?: string;
      detail?: string;
      position?: string | number;
      code?: string;
    };
    let line = st.line;
    const position = Number(e.position);
    // PostgreSQL's position is a 1-based character offset into the statement we sent.
    if (Number.isInteger(position) && position > 0) {
      line += st.text.slice(0, position - 1).match(/\n/g)?.length ?? 0;
    }
    const why =
      e.code === '55P03'
        ? ' (lock_timeout: another session holds a lock on a table this statement needs; retry when traffic is lower or raise lock-timeout)'
        : e.code === '57014'
          ? ' (statement_timeout: the statement ran longer than statement-timeout)'
          : '';
    throw new MigrationError(
      `${file.name} failed at line ${line}: ${(e.message ?? errorMessage(err)).replace(/\.$/, '')}${why}${e.code ? ` [SQLSTATE ${e.code}]` : ''}.${e.hint ? ` Hint: ${e.hint}` : ''}`,
      file.name,
      line,
      e.detail || undefined,
    );
  }
}
