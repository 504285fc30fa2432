import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { getExecOutput } from '@actions/exec';
import { type BackupPlan, DumpFailed, dumpEncrypted, dumpPlaintext } from '../../../lib/backup.js';
import { UserError } from '../../../lib/errors.js';
import {
  deleteObject,
  expiredObjects,
  listObjects,
  type ObjectStore,
  objectStoreClient,
  objectStoreProblem,
  type StoredObject,
  uploadFile,
} from '../../../lib/object-store.js';
import { databaseName } from '../../../lib/pg.js';

/** Major version from `pg_dump --version` ("pg_dump (PostgreSQL) 15.20 (Debian …)"). */
export function pgDumpMajor(versionText: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionText);
  return match ? Number(match[1]) : undefined;
}

/** Why this pg_dump cannot back up this server, or undefined when it can (pg_dump must be ≥ the server). */
export function pgDumpProblem(dumpMajor: number | undefined, serverVersionNum: number): string | undefined {
  const serverMajor = Math.floor(serverVersionNum / 10_000);
  if (dumpMajor === undefined) return 'pg_dump did not report a version we understand';
  if (dumpMajor < serverMajor) {
    return `pg_dump ${dumpMajor} is older than the server (PostgreSQL ${serverMajor}) and refuses to dump it: install postgresql-client-${serverMajor} on the runner (apt-get install postgresql-client-${serverMajor} from apt.postgresql.org)`;
  }
  return undefined;
}

/** `<db>-<UTC timestamp>-v<current version>.dump`, safe for artifact names. */
export function backupFileName(db: string, current: number | null, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${db.replace(/[^\w.-]/g, '_')}-${stamp}-v${current ?? 0}.dump`;
}

/** True for a name `backupFileName` gives this database's backups (encrypted or not). */
export function isBackupOf(name: string, db: string): boolean {
  const safe = db.replace(/[^\w.-]/g, '_').replace(/[.]/g, '\\.');
  return new RegExp(`^${safe}-\\d{8}T\\d{6}Z-v\\d+\\.dump(\\.age)?$`).test(name);
}

export interface BackupRequest {
  databaseUrl: string;
  dir: string;
  serverVersionNum: number;
  current: number | null;
  /** What `backupPlan` allowed: encrypted to recipients, or plaintext (private repository, opted in). */
  plan: Exclude<BackupPlan, { kind: 'refused' }>;
  /** pg_dump binary (looked up on PATH by default). */
  pgDump?: string;
  applicationName?: string;
}

/**
 * Writes a pg_dump custom-format backup (`.dump.age` when encrypted, streamed so no plaintext touches
 * disk) and returns its path; any problem is a UserError saying nothing was applied.
 */
export async function backupDatabase(
  req: BackupRequest,
): Promise<{ path: string; bytes: number; encrypted: boolean }> {
  const pgDump = req.pgDump ?? 'pg_dump';
  let versionText: string;
  try {
    versionText = (await getExecOutput(pgDump, ['--version'], { silent: true, ignoreReturnCode: true }))
      .stdout;
  } catch {
    throw new UserError(
      `pg_dump was not found on PATH, so the backup requested by backup-dir cannot be taken and nothing was applied: install the PostgreSQL client (apt-get install postgresql-client) or leave backup-dir empty.`,
    );
  }
  const problem = pgDumpProblem(pgDumpMajor(versionText), req.serverVersionNum);
  if (problem) throw new UserError(`Cannot take the backup, so nothing was applied: ${problem}.`);

  const dir = resolve(req.dir);
  await mkdir(dir, { recursive: true });
  const encrypted = req.plan.kind === 'encrypted';
  const name = backupFileName(databaseName(req.databaseUrl), req.current);
  const dump = {
    databaseUrl: req.databaseUrl,
    path: join(dir, encrypted ? `${name}.age` : name),
    pgDump,
    env: req.applicationName ? { ...process.env, PGAPPNAME: req.applicationName } : process.env,
  };
  try {
    const res =
      req.plan.kind === 'encrypted'
        ? await dumpEncrypted({ ...dump, recipients: req.plan.recipients })
        : await dumpPlaintext(dump);
    return { ...res, encrypted };
  } catch (err) {
    if (err instanceof DumpFailed) {
      throw new UserError(
        `pg_dump failed (exit ${err.exit}), so nothing was applied: ${err.stderrTail}; fix the cause or leave backup-dir empty to migrate without a backup.`,
      );
    }
    if (err instanceof UserError) {
      const why = err.message.charAt(0).toLowerCase() + err.message.slice(1);
      throw new UserError(`Nothing was applied because the backup failed: ${why}`);
    }
    throw err;
  }
}

/** A refusal before migrating, as one sentence: "Nothing was applied: <why, lower-cased first>". */
export function nothingApplied(why: string): UserError {
  return new UserError(`Nothing was applied: ${why.charAt(0).toLowerCase()}${why.slice(1)}`);
}

/** Where a copy of the backup goes: an S3-compatible bucket, under a prefix, kept this many days (0: forever). */
export interface BackupUpload {
  store: ObjectStore;
  /** Normalized: '' or ending in '/'. */
  prefix: string;
  retentionDays: number;
}

export interface Uploaded {
  key: string;
  uri: string;
  /** When retention will remove it (ISO 8601); undefined when kept forever. */
  retainUntil: string | undefined;
  /** Keys of this database's older backups removed under the prefix. */
  pruned: string[];
  /** Why pruning stopped, when it did: the backup itself is safe, so this is a warning. */
  pruneProblem: string | undefined;
}

/**
 * Uploads the backup file, then applies the retention: this database's backups directly under the
 * prefix, last modified more than retentionDays ago, are deleted (never the one just uploaded). A
 * failed upload is a UserError saying nothing was applied; a failed prune only comes back as a problem.
 */
export async function uploadBackup(
  path: string,
  db: string,
  upload: BackupUpload,
  now = new Date(),
): Promise<Uploaded> {
  const client = objectStoreClient(upload.store);
  try {
    return await uploadAndPrune(client, path, db, upload, now);
  } finally {
    // Keep-alive sockets would otherwise hold the process open after the run.
    client.destroy();
  }
}

async function uploadAndPrune(
  client: ReturnType<typeof objectStoreClient>,
  path: string,
  db: string,
  upload: BackupUpload,
  now: Date,
): Promise<Uploaded> {
  const { store, prefix } = upload;
  const key = `${prefix}${basename(path)}`;
  try {
    await uploadFile(client, { bucket: store.bucket, key, path });
  } catch (err) {
    const problem = objectStoreProblem(err, { store, doing: 'upload the backup' });
    throw nothingApplied(problem);
  }
  const retainUntil =
    upload.retentionDays > 0
      ? new Date(now.getTime() + upload.retentionDays * 86_400_000).toISOString()
      : undefined;
  const pruned: string[] = [];
  let pruneProblem: string | undefined;
  if (upload.retentionDays > 0) {
    const isOurs = (k: string) => k.startsWith(prefix) && isBackupOf(k.slice(prefix.length), db);
    try {
      const objects: StoredObject[] = [];
      for await (const o of listObjects(client, { bucket: store.bucket, prefix })) objects.push(o);
      for (const o of expiredObjects(objects, {
        retentionDays: upload.retentionDays,
        now,
        keep: key,
        isOurs,
      })) {
        await deleteObject(client, { bucket: store.bucket, key: o.key });
        pruned.push(o.key);
      }
    } catch (err) {
      pruneProblem = objectStoreProblem(err, {
        store,
        doing: `remove backups older than ${upload.retentionDays} days`,
      });
    }
  }
  return { key, uri: `s3://${store.bucket}/${key}`, retainUntil, pruned, pruneProblem };
}
