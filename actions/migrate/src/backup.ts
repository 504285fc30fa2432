import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getExecOutput } from '@actions/exec';
import { UserError } from '../../../lib/errors.js';
import { databaseName, libpqUrl } from '../../../lib/pg.js';

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

export interface BackupRequest {
  databaseUrl: string;
  dir: string;
  serverVersionNum: number;
  current: number | null;
  /** pg_dump binary (looked up on PATH by default). */
  pgDump?: string;
  applicationName?: string;
}

/** Writes a pg_dump custom-format backup and returns its path; any problem is a UserError. */
export async function backupDatabase(req: BackupRequest): Promise<{ path: string; bytes: number }> {
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
  const path = join(dir, backupFileName(databaseName(req.databaseUrl), req.current));
  const { url, password } = libpqUrl(req.databaseUrl);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (password) env.PGPASSWORD = password;
  env.PGCONNECT_TIMEOUT ??= '15';
  if (req.applicationName) env.PGAPPNAME = req.applicationName;
  // The password travels in PGPASSWORD, never on the command line.
  const res = await getExecOutput(
    pgDump,
    ['--format=custom', '--no-password', `--file=${path}`, `--dbname=${url}`],
    {
      env,
      silent: true,
      ignoreReturnCode: true,
    },
  );
  if (res.exitCode !== 0) {
    const said = res.stderr.trim().split('\n').slice(-2).join(' ').replace(/\s+/g, ' ');
    throw new UserError(
      `pg_dump failed (exit ${res.exitCode}), so nothing was applied: ${said || 'no error text'}; fix the cause or leave backup-dir empty to migrate without a backup.`,
    );
  }
  return { path, bytes: (await stat(path)).size };
}
