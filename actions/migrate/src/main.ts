import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ActionIO } from '../../../lib/action.js';
import { type BackupPlan, backupPlan, parseRecipients } from '../../../lib/backup.js';
import { errorMessage, UserError } from '../../../lib/errors.js';
import { commentOnPullRequest, githubContext } from '../../../lib/github.js';
import {
  historyTableName,
  MigrationError,
  type Problem,
  pgAdapter,
  planFromDatabase,
  problemsError,
  tryApplyMigrations,
} from '../../../lib/migrations/runner.js';
import { credentialsFromEnv, normalizePrefix, objectStoreSettings } from '../../../lib/object-store.js';
import { type Connection, connect, databaseName, parseDatabaseUrl, sslModeOf } from '../../../lib/pg.js';
import { commentMarker } from '../../../lib/summary.js';
import { type BackupUpload, backupDatabase, nothingApplied, uploadBackup } from './backup.js';
import { tlsAdvice } from './connect.js';
import { type Finding, type LintResult, lintMigrations } from './lint.js';
import { type Command, findingLine, type ReportInput, renderReport } from './report.js';

export interface Config {
  databaseUrl: string;
  dir: string;
  command: Command;
  /**
   * Where and how the pre-migration backup is kept: a local directory, and a bucket when one is
   * given; undefined when none is asked for (or not applying).
   */
  backup:
    | { dir: string; plan: Exclude<BackupPlan, { kind: 'refused' }>; upload: BackupUpload | undefined }
    | undefined;
  lockWaitMs: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number | undefined;
  historyTable: string;
  githubToken: string | undefined;
  /** Include PostgreSQL's DETAIL (may hold table data) in the failure sentence, summary and comment. */
  showErrorDetail: boolean;
}

/**
 * Reads and validates every input before anything happens; registers secrets first. `event` is the
 * webhook payload (GITHUB_EVENT_PATH): its `repository` says whether a plaintext backup may be kept.
 * `env` holds the bucket's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
 */
export function readConfig(
  io: ActionIO,
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
  event: Record<string, unknown> = githubContext().event,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const databaseUrl = io.inputs.required('database-url', { hint: 'usually the DATABASE_URL secret' });
  io.secrets.register(databaseUrl);
  const githubToken = io.inputs.optional('github-token');
  io.secrets.register(githubToken);
  // A secret key pasted where public keys belong is masked before parseRecipients refuses it.
  for (const key of io.inputs.raw('backup-recipients').match(/AGE-SECRET-KEY-[0-9A-Za-z]+/g) ?? [])
    io.secrets.register(key);
  const recipients = parseRecipients(io.inputs.raw('backup-recipients'));
  const allowPlaintext = io.inputs.bool('allow-plaintext-backup', false);
  parseDatabaseUrl(databaseUrl);
  sslModeOf(databaseUrl);
  const dir = io.inputs.string('dir', 'migrations');
  const command = io.inputs.choice('command', ['apply', 'plan', 'lint'] as const, 'apply');
  const backupDir = io.inputs.optional('backup-dir');
  const bucket = io.inputs.optional('backup-s3-bucket');
  let backup: Config['backup'];
  // plan and lint change nothing and take no backup, so only apply is held to the backup policy.
  if ((backupDir || bucket) && command === 'apply') {
    const plan = backupPlan(recipients, allowPlaintext, event.repository as BackupRepository | undefined);
    if (plan.kind === 'refused') {
      throw nothingApplied(plan.reason);
    }
    const upload = bucket ? readUpload(io, bucket, env) : undefined;
    // A bucket alone: the file is staged in the runner's temporary directory (emptied after the job).
    const dir = backupDir
      ? isAbsolute(backupDir)
        ? backupDir
        : resolve(workspace, backupDir)
      : join(env.RUNNER_TEMP || tmpdir(), 'decisionlog-backups');
    backup = { dir, plan, upload };
  }
  const historyTable = io.inputs.string('history-table', 'schema_migrations');
  historyTableName(historyTable);
  return {
    databaseUrl,
    dir: isAbsolute(dir) ? dir : resolve(workspace, dir),
    command,
    backup,
    lockWaitMs: io.inputs.duration('lock-wait', '60s'),
    lockTimeoutMs: io.inputs.duration('lock-timeout', '5s'),
    statementTimeoutMs: io.inputs.duration('statement-timeout'),
    historyTable,
    githubToken,
    showErrorDetail: io.inputs.bool('show-error-detail', false),
  };
}

/** The bucket inputs and the credentials from the environment, masked before anything is logged. */
function readUpload(io: ActionIO, bucket: string, env: NodeJS.ProcessEnv): BackupUpload {
  const credentials = credentialsFromEnv(env);
  if (!credentials) {
    throw new UserError(
      'Nothing was applied: backup-s3-bucket is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not in the environment; pass them to this step under env: from secrets (or run aws-actions/configure-aws-credentials first).',
    );
  }
  io.secrets.register(credentials.accessKeyId);
  io.secrets.register(credentials.secretAccessKey);
  io.secrets.register(credentials.sessionToken);
  const pathStyle = io.inputs.raw('backup-s3-force-path-style');
  const store = objectStoreSettings({
    bucket,
    endpoint: io.inputs.optional('backup-s3-endpoint'),
    region: io.inputs.optional('backup-s3-region'),
    forcePathStyle: pathStyle === '' ? undefined : io.inputs.bool('backup-s3-force-path-style', true),
    credentials,
    env,
    endpointName: 'Input "backup-s3-endpoint"',
  });
  return {
    store,
    prefix: normalizePrefix(io.inputs.string('backup-s3-prefix', 'decisionlog/')),
    retentionDays: io.inputs.int('backup-retention-days', 7, { min: 0, max: 3650 }) ?? 7,
  };
}

/** The event payload's `repository` fields the backup policy reads. */
type BackupRepository = { private?: boolean; visibility?: string };

export async function main(
  io: ActionIO,
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Promise<void> {
  const ctx = githubContext();
  const config = readConfig(io, workspace, ctx.event);
  const who = ctx.actor || 'local';
  const applicationName = `decisionlog-migrate (${who} run ${ctx.runId || '-'})`.slice(0, 63);
  // Only the database name: user and host stay out of logs, summaries and comments.
  const database = databaseName(config.databaseUrl);
  io.info(`Database ${database}, migrations in ${config.dir}, command ${config.command}.`);

  const report: ReportInput = {
    command: config.command,
    database,
    dir: config.dir,
    applied: [],
    pending: [],
    current: null,
    findings: [],
    allowed: [],
    drift: [],
  };
  let pendingBefore = 0;
  let backupEncrypted = false;
  let uploaded: Awaited<ReturnType<typeof uploadBackup>> | undefined;
  let failure: unknown;
  let lint: LintResult | undefined;
  let problems: Problem[] = [];
  let connection: Connection | undefined;
  try {
    // Inside the try: a wrong password still gets its outputs, summary and PR comment.
    connection = await connect(config.databaseUrl, applicationName);
    const advice = tlsAdvice(connection);
    if (advice) io.warning(advice);
    const db = pgAdapter(connection.client);
    if (config.command === 'apply') {
      const serverVersion = Number(
        (await db.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0]
          ?.server_version_num ?? 0,
      );
      const outcome = await tryApplyMigrations(db, {
        dir: config.dir,
        historyTable: config.historyTable,
        lockWaitMs: config.lockWaitMs,
        lockTimeoutMs: config.lockTimeoutMs,
        statementTimeoutMs: config.statementTimeoutMs,
        appliedBy: [ctx.actor, ctx.runUrl].filter(Boolean).join(' ') || undefined,
        log: (line) => io.info(line),
        onApplied: (m) => report.applied.push(m),
        beforeApply: async (pending, current) => {
          lint = lintMigrations(pending);
          const blocking = lint.findings.filter((f) => f.severity === 'error');
          if (blocking.length) throw lintError(blocking, 'apply');
          if (!config.backup) return;
          const { plan } = config.backup;
          const backup = await backupDatabase({
            databaseUrl: config.databaseUrl,
            dir: config.backup.dir,
            serverVersionNum: serverVersion,
            current,
            plan,
            applicationName: `${applicationName} pg_dump`.slice(0, 63),
          });
          report.backupPath = backup.path;
          backupEncrypted = backup.encrypted;
          if (plan.kind === 'encrypted') {
            const n = plan.recipients.length;
            report.backupReaders = `encrypted to ${n} age recipient${n === 1 ? '' : 's'}: only the holder${n === 1 ? '' : 's'} of the matching secret key${n === 1 ? '' : 's'} can read it`;
            io.info(
              `Encrypted backup written to ${backup.path} (${backup.bytes} bytes, ${n} recipient${n === 1 ? '' : 's'}).`,
            );
          } else {
            report.backupReaders = `**not encrypted**: ${plan.readers}`;
            io.info(`Backup written to ${backup.path} (${backup.bytes} bytes).`);
            io.warning(
              `The backup ${backup.path} is not encrypted: ${plan.readers}; set backup-recipients to keep it readable only by your key holders.`,
            );
          }
          const { upload } = config.backup;
          if (!upload) return;
          uploaded = await uploadBackup(backup.path, database, upload);
          report.backupObject = { uri: uploaded.uri, retainUntil: uploaded.retainUntil };
          report.backupPruned = { days: upload.retentionDays, keys: uploaded.pruned };
          io.info(
            `Backup uploaded to ${uploaded.uri}${uploaded.retainUntil ? `, kept until ${uploaded.retainUntil}` : ''}.`,
          );
          for (const k of uploaded.pruned) io.info(`Removed ${k} (older than ${upload.retentionDays} days).`);
          if (uploaded.pruneProblem) {
            io.warning(
              `${uploaded.pruneProblem} The new backup is stored; older ones stay until a later run can remove them.`,
            );
          }
        },
      });
      // Whatever happened, report where the database now stands: the run's own plan, or when it
      // stopped before planning under the lock (lock wait, history table), one made without it.
      const stands = outcome.result
        ? { ...outcome.result.plan, pending: outcome.result.remaining, current: outcome.result.current }
        : await planFromDatabase(db, config).catch(() => undefined);
      if (stands) {
        report.pending = stands.pending;
        report.current = stands.current;
        report.drift = stands.drift;
        problems = stands.problems;
        // Findings are about what this run applies (or tried to), not only what is left.
        lint ??= lintMigrations(stands.parsed);
        pendingBefore = outcome.result?.pending ?? stands.pending.length;
      }
      if (!outcome.ok) throw outcome.error;
    } else {
      const plan = await planFromDatabase(db, config);
      pendingBefore = plan.pending.length;
      report.pending = plan.pending;
      report.current = plan.current;
      report.drift = plan.drift;
      problems = plan.problems;
      lint = lintMigrations(plan.parsed);
      io.info(
        `${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ') || 'none'}; database at version ${plan.current ?? 'none'}.`,
      );
      const blocking = lint.findings.filter((f) => f.severity === 'error');
      if (problems.length) failure = problemsError(problems);
      else if (blocking.length) failure = lintError(blocking, config.command);
      else if (config.command === 'plan' && plan.drift.length) {
        failure = new UserError(
          `The migration history does not match the files, so apply would refuse to run: ${plan.drift.join(' ')}`,
        );
      }
    }
  } catch (err) {
    failure = err;
  } finally {
    await connection?.client.end().catch(() => {});
  }

  failure = withDetail(io, failure, config.showErrorDetail);
  if (failure) report.error = io.secrets.scrub(errorMessage(failure));
  report.findings = [
    ...problems.map((p) => ({ ...p, severity: 'error' as const, lock: 'none (it cannot run)' })),
    ...(lint?.findings ?? []),
  ];
  report.allowed = lint?.allowed ?? [];
  for (const f of report.findings) {
    const place = { file: relative(workspace, join(config.dir, f.file)), startLine: f.line, title: f.rule };
    if (f.severity === 'error') io.error(findingLine(f), place);
    else io.warning(findingLine(f), place);
  }
  if (config.command === 'lint') for (const d of report.drift) io.warning(d);
  const markdown = renderReport(report);
  io.setOutput('applied', report.applied.length);
  io.setOutput('pending', pendingBefore);
  io.setOutput('current', report.current ?? '');
  io.setOutput('backup-path', report.backupPath ?? '');
  io.setOutput('backup-encrypted', String(backupEncrypted));
  io.setOutput('backup-s3-key', uploaded?.key ?? '');
  io.setOutput('backup-s3-uri', uploaded?.uri ?? '');
  io.setOutput('backup-retain-until', uploaded?.retainUntil ?? '');
  io.setOutput('findings', report.findings.length);
  io.setOutput('report', markdown);
  await io.summary(markdown);
  await commentOnPullRequest(io, {
    token: config.githubToken,
    marker: commentMarker('migrate'),
    body: markdown,
    what: 'migration report',
  });
  if (failure) throw failure;
}

/** The sentence `lint`, `plan` and `apply` fail with when lint errors are not allowed. */
function lintError(blocking: Finding[], command: Command): UserError {
  const found = blocking.length === 1 ? 'an error' : `${blocking.length} errors`;
  const head =
    command === 'apply' ? `Nothing was applied because lint found ${found}` : `Lint found ${found}`;
  return new UserError(
    `${head}: ${blocking.map((f) => `${f.file}:${f.line} [${f.rule}]`).join(', ')}; follow each recipe, or if the table is small or unused, allow it on the line before the statement with -- migrate:allow <rule>: <reason>.`,
  );
}

/**
 * PostgreSQL's DETAIL can hold production data (the duplicated email of a unique violation), so it
 * reaches the failure sentence (and with it the summary, the PR comment and the annotation) only
 * when show-error-detail asks for it.
 */
function withDetail(io: ActionIO, failure: unknown, show: boolean): unknown {
  if (!(failure instanceof MigrationError) || !failure.detail) return failure;
  if (!show) {
    io.info(
      "PostgreSQL's DETAIL for this error is withheld because it may contain table data; set show-error-detail: true to include it.",
    );
    return failure;
  }
  return new MigrationError(
    `${failure.message} Detail: ${failure.detail}`,
    failure.file,
    failure.line,
    failure.detail,
  );
}
