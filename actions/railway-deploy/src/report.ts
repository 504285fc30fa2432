import { formatDuration } from '../../../lib/duration.js';
import { codeBlock, details, table, truncate } from '../../../lib/summary.js';
import type { LogTail } from './operations.js';

export interface Report {
  command: 'deploy' | 'rollback';
  serviceId: string;
  deploymentId: string;
  status: string;
  /** `error`: the deployment started, then reading it failed (its result is unknown). */
  outcome: 'succeeded' | 'failed' | 'skipped' | 'timeout' | 'cancelled' | 'started' | 'error';
  flow: Array<{ status: string; elapsedMs: number }>;
  url?: string;
  durationMs: number;
  previousId?: string;
  rolledBackTo?: string;
  link: string;
  /** Only when the `logs-in-summary` input asks for them: log lines may hold production data. */
  logs?: LogTail;
  /** The failure sentence, when there is one. */
  problem?: string;
}

const HEADLINE: Record<Report['outcome'], string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  skipped: '⏭️ skipped by Railway (not deployed)',
  timeout: '⏱️ timed out',
  cancelled: '⏹️ cancelled (the deployment keeps going on Railway)',
  error: '⚠️ result unknown (Railway could not be read)',
  started: '🚀 started (not waited for)',
};

/** The job-summary section for one run: a table, the status flow, and the log tail on failure. */
export function summaryMarkdown(r: Report): string {
  const rows: unknown[][] = [
    ['Service', `\`${r.serviceId}\``],
    ['Deployment', `[\`${r.deploymentId}\`](${r.link})`],
    ['Status', r.status],
    ['Flow', flowText(r.flow) || '—'],
    ['Duration', formatDuration(r.durationMs)],
  ];
  if (r.url) rows.push(['URL', r.url]);
  if (r.rolledBackTo) rows.push(['Rolled back to', `\`${r.rolledBackTo}\``]);
  rows.push(['Previous (rollback target)', r.previousId ? `\`${r.previousId}\`` : 'none']);
  const parts = [`### Railway ${r.command}: ${HEADLINE[r.outcome]}`, '', table(['', ''], rows)];
  if (r.problem) parts.push('', `> ${r.problem}`);
  if (r.logs) parts.push('', logsMarkdown(r.logs));
  return `${parts.join('\n')}\n`;
}

/** QUEUED → BUILDING (3.1s) → … as one line. */
export function flowText(flow: Report['flow']): string {
  return flow
    .map((f, i) => (i === 0 ? f.status : `${f.status} (${formatDuration(f.elapsedMs)})`))
    .join(' → ');
}

function logsMarkdown(logs: LogTail): string {
  const out: string[] = [];
  if (logs.build.length)
    out.push(
      details(
        `Last ${logs.build.length} build log lines`,
        codeBlock(truncate(logs.build.join('\n'), 20_000)),
      ),
    );
  if (logs.deploy.length)
    out.push(
      details(
        `Last ${logs.deploy.length} deploy log lines`,
        codeBlock(truncate(logs.deploy.join('\n'), 20_000)),
      ),
    );
  if (!out.length) out.push('_Railway returned no build or deploy log lines for this deployment._');
  for (const p of logs.problems) out.push(`> Could not read a log: ${p}`);
  return out.join('\n\n');
}

/** What each bad end means, for the failure sentence. */
export function failureHint(status: string): string {
  switch (status) {
    case 'FAILED':
      return 'the build or pre-deploy command failed';
    case 'CRASHED':
      return 'the app started and then crashed (or never passed its health check)';
    case 'REMOVED':
    case 'REMOVING':
      return 'a newer deployment replaced it before it finished';
    default:
      return `Railway reported ${status}`;
  }
}

export function dashboardUrl(
  projectId: string,
  serviceId: string,
  environmentId: string,
  deploymentId: string,
): string {
  return `https://railway.com/project/${projectId}/service/${serviceId}?environmentId=${environmentId}&id=${deploymentId}`;
}
