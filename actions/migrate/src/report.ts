import { formatDuration } from '../../../lib/duration.js';
import { cell, table, truncate } from '../../../lib/summary.js';
import type { Finding } from './lint.js';

export type Command = 'apply' | 'plan' | 'lint';

export interface ReportInput {
  command: Command;
  /** Redacted database URL. */
  database: string;
  dir: string;
  applied: Array<{ version: number; name: string; durationMs: number }>;
  /** Files still pending after the run (for plan/lint: every pending file). */
  pending: Array<{ version: number; name: string; noTransaction: boolean }>;
  current: number | null;
  findings: Finding[];
  drift: string[];
  backupPath?: string | undefined;
  /** Set when the run failed. */
  error?: string | undefined;
}

/** The markdown used for the job summary, the `report` output and the PR comment. */
export function renderReport(r: ReportInput): string {
  const lines: string[] = [];
  const title = { apply: 'apply', plan: 'plan (nothing was changed)', lint: 'lint (nothing was changed)' }[
    r.command
  ];
  lines.push(`### Database migrations: ${title}`);
  lines.push('');
  lines.push(
    `Database \`${r.database}\`, files in \`${r.dir}\`, now at version **${r.current ?? 'none'}**.` +
      (r.backupPath ? ` Backup: \`${r.backupPath}\`.` : ''),
  );
  if (r.error) lines.push('', `**Failed:** ${r.error}`);
  if (r.drift.length) {
    lines.push('', '**The history does not match the files** (apply will refuse to run):', '');
    for (const d of r.drift) lines.push(`- ${d}`);
  }
  const rows: unknown[][] = [
    ...r.applied.map((a) => [a.version, `\`${a.name}\``, 'applied', formatDuration(a.durationMs)]),
    ...r.pending.map((p) => [
      p.version,
      `\`${p.name}\``,
      p.noTransaction ? 'pending (no transaction)' : 'pending',
      '',
    ]),
  ];
  lines.push('');
  if (rows.length) lines.push(table(['version', 'file', 'status', 'duration'], rows));
  else lines.push('Nothing to apply: every migration file is already applied.');
  lines.push('');
  if (r.findings.length) {
    lines.push(
      `**Lint: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}** (rollback safety and locking)`,
    );
    lines.push('');
    lines.push(
      table(
        ['where', 'rule', 'why it matters'],
        r.findings.map((f) => [
          `\`${f.file}:${f.line}\``,
          `${f.severity === 'error' ? '⛔ ' : ''}${f.rule}`,
          f.message,
        ]),
      ),
    );
  } else {
    lines.push('**Lint:** no findings.');
  }
  return truncate(lines.join('\n'), 60_000);
}

/** One log line per finding, for annotations. */
export function findingLine(f: Finding): string {
  return `${f.file}:${f.line}: [${f.rule}] ${cell(f.message)}`;
}
