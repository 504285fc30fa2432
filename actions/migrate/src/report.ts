import { formatDuration } from '../../../lib/duration.js';
import { cell, table, truncate } from '../../../lib/summary.js';
import type { AllowedFinding, Finding } from './lint.js';

export type Command = 'apply' | 'plan' | 'lint';

export interface ReportInput {
  command: Command;
  /** The database name only: a summary never shows the user or the host. */
  database: string;
  dir: string;
  applied: Array<{ version: number; name: string; durationMs: number }>;
  /** Files still pending after the run (for plan/lint: every pending file). */
  pending: Array<{ version: number; name: string; noTransaction: boolean }>;
  current: number | null;
  /** Files that cannot run as written and lint findings, errors first. */
  findings: Finding[];
  /** Findings turned off by `-- migrate:allow <rule>: <reason>`. */
  allowed: AllowedFinding[];
  drift: string[];
  backupPath?: string | undefined;
  /** Who can read the backup (encrypted: the recipients' key holders; plaintext: the repository's readers). */
  backupReaders?: string | undefined;
  /** The copy in object storage, and until when retention keeps it (undefined: forever). */
  backupObject?: { uri: string; retainUntil: string | undefined } | undefined;
  /** What retention removed: older backups of this database under the prefix. */
  backupPruned?: { days: number; keys: string[] } | undefined;
  /** Set when the run failed (PostgreSQL's DETAIL only when show-error-detail asked for it). */
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
      (r.backupPath ? ` Backup: \`${r.backupPath}\`${r.backupReaders ? ` — ${r.backupReaders}` : ''}.` : ''),
  );
  if (r.backupObject) {
    lines.push(
      '',
      `Backup copy: \`${r.backupObject.uri}\`, ${r.backupObject.retainUntil ? `kept until ${r.backupObject.retainUntil.slice(0, 10)}` : 'kept until deleted (backup-retention-days is 0)'}.` +
        (r.backupPruned?.keys.length
          ? ` Removed ${r.backupPruned.keys.length} backup${r.backupPruned.keys.length === 1 ? '' : 's'} older than ${r.backupPruned.days} days: ${r.backupPruned.keys.map((k) => `\`${k}\``).join(', ')}.`
          : ''),
    );
  }
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
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    lines.push(
      `**Lint: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}${errors ? `, ${errors} of them ${errors === 1 ? 'an error' : 'errors'}` : ''}** (locking, rollback safety, files that cannot run)`,
    );
    lines.push('');
    lines.push(
      table(
        ['where', 'rule', 'why it matters and what to do'],
        r.findings.map((f) => [
          `\`${f.file}:${f.line}\``,
          `${f.severity === 'error' ? '⛔ ' : '⚠️ '}${f.rule}`,
          f.message,
        ]),
      ),
    );
  } else {
    lines.push('**Lint:** no findings.');
  }
  if (r.allowed.length) {
    lines.push('', `Allowed with \`-- migrate:allow\`:`, '');
    for (const a of r.allowed) lines.push(`- \`${a.file}:${a.line}\` ${a.rule}: ${cell(a.reason)}`);
  }
  return truncate(lines.join('\n'), 60_000);
}

/** The annotation text of a finding (its place and rule travel as annotation properties). */
export function findingLine(f: Finding): string {
  return `${f.file}:${f.line}: [${f.rule}] ${f.message}`;
}
