import { isAbsolute, resolve } from 'node:path';
import type { ActionIO } from '../../../lib/action.js';
import { errorMessage, UserError } from '../../../lib/errors.js';
import { commentOnPullRequest, githubContext } from '../../../lib/github.js';
import { parseDatabaseUrl, redactDatabaseUrl, sslModeOf } from '../../../lib/pg.js';
import { commentMarker } from '../../../lib/summary.js';
import { backupDatabase } from './backup.js';
import { connect } from './connect.js';
import { type Command, findingLine, type ReportInput, renderReport } from './report.js';
import {
  type ApplyResult,
  applyMigrations,
  historyTableName,
  pgAdapter,
  planFromDatabase,
} from './runner.js';

export interface Config {
  databaseUrl: string;
  dir: string;
  command: Command;
  backupDir: string | undefined;
  lockWaitMs: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number | undefined;
  historyTable: string;
  githubToken: string | undefined;
}

/** Reads and validates every input before anything happens; registers secrets first. */
export function readConfig(io: ActionIO, workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()): Config {
  const databaseUrl = io.inputs.required('database-url', { hint: 'usually the DATABASE_URL secret' });
  io.secrets.register(databaseUrl);
  const githubToken = io.inputs.optional('github-token');
  io.secrets.register(githubToken);
  parseDatabaseUrl(databaseUrl);
  sslModeOf(databaseUrl);
  const dir = io.inputs.string('dir', 'migrations');
  const backupDir = io.inputs.optional('backup-dir');
  const historyTable = io.inputs.string('history-table', 'schema_migrations');
  historyTableName(historyTable);
  return {
    databaseUrl,
    dir: isAbsolute(dir) ? dir : resolve(workspace, dir),
    command: io.inputs.choice('command', ['apply', 'plan', 'lint'] as const, 'apply'),
    backupDir: backupDir && (isAbsolute(backupDir) ? backupDir : resolve(workspace, backupDir)),
    lockWaitMs: io.inputs.duration('lock-wait', '60s'),
    lockTimeoutMs: io.inputs.duration('lock-timeout', '5s'),
    statementTimeoutMs: io.inputs.duration('statement-timeout'),
    historyTable,
    githubToken,
  };
}

export async function main(io: ActionIO): Promise<void> {
  const config = readConfig(io);
  const ctx = githubContext();
  const who = ctx.actor || 'local';
  const applicationName = `decisionlog-migrate (${who} run ${ctx.runId || '-'})`.slice(0, 63);
  const database = redactDatabaseUrl(config.databaseUrl);
  io.info(`Database ${database}, migrations in ${config.dir}, command ${config.command}.`);

  const report: ReportInput = {
    command: config.command,
    database,
    dir: config.dir,
    applied: [],
    pending: [],
    current: null,
    findings: [],
    drift: [],
  };
  let pendingBefore = 0;
  let failure: unknown;
  let client: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    // Inside the try: a wrong password still gets its outputs, summary and PR comment.
    client = await connect(config.databaseUrl, applicationName);
    const db = pgAdapter(client);
    if (config.command === 'apply') {
      const serverVersion = Number(
        (await db.query<{ v: string }>('SHOW server_version_num')).rows[0]?.v ?? 0,
      );
      let result: ApplyResult | undefined;
      try {
        result = await applyMigrations(db, {
          dir: config.dir,
          historyTable: config.historyTable,
          lockWaitMs: config.lockWaitMs,
          lockTimeoutMs: config.lockTimeoutMs,
          statementTimeoutMs: config.statementTimeoutMs,
          appliedBy: [ctx.actor, ctx.runUrl].filter(Boolean).join(' ') || undefined,
          log: (line) => io.info(line),
          onApplied: (m) => report.applied.push(m),
          beforeApply: async (pending) => {
            pendingBefore = pending.length;
            if (!config.backupDir) return;
            const current = await currentVersion(db, config.historyTable);
            const backup = await backupDatabase({
              databaseUrl: config.databaseUrl,
              dir: config.backupDir as string,
              serverVersionNum: serverVersion,
              current,
              applicationName: `${applicationName} pg_dump`.slice(0, 63),
            });
            report.backupPath = backup.path;
            io.info(`Backup written to ${backup.path} (${backup.bytes} bytes).`);
          },
        });
      } finally {
        // Whatever happened, report where the database now stands.
        const plan = await planFromDatabase(db, config).catch(() => undefined);
        if (plan) {
          report.pending = plan.pending;
          report.current = plan.current;
          report.drift = plan.drift;
          // Findings are about what this run applies (or tried to), not only what is left.
          report.findings = result?.findings ?? plan.findings;
          if (!result && pendingBefore === 0) pendingBefore = plan.pending.length;
        }
      }
      report.current = result.current;
    } else {
      const plan = await planFromDatabase(db, config);
      pendingBefore = plan.pending.length;
      report.pending = plan.pending;
      report.current = plan.current;
      report.findings = plan.findings;
      report.drift = plan.drift;
      io.info(
        `${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ') || 'none'}; database at version ${plan.current ?? 'none'}.`,
      );
      if (config.command === 'plan' && plan.drift.length) {
        failure = new UserError(
          `The migration history does not match the files, so apply would refuse to run: ${plan.drift.join(' ')}`,
        );
      }
    }
  } catch (err) {
    failure = err;
  } finally {
    await client?.end().catch(() => {});
  }

  if (failure) report.error = io.secrets.scrub(errorMessage(failure));
  for (const f of report.findings) io.warning(findingLine(f));
  if (config.command === 'lint') for (const d of report.drift) io.warning(d);
  const markdown = renderReport(report);
  io.setOutput('applied', report.applied.length);
  io.setOutput('pending', pendingBefore);
  io.setOutput('current', report.current ?? '');
  io.setOutput('backup-path', report.backupPath ?? '');
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

async function currentVersion(
  db: ReturnType<typeof pgAdapter>,
  historyTable: string,
): Promise<number | null> {
  const res = await db.query<{ v: string | null }>(
    `SELECT max(version)::text AS v FROM ${historyTableName(historyTable)}`,
  );
  const v = res.rows[0]?.v;
  return v == null ? null : Number(v);
}
