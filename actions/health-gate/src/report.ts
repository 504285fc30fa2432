/**
 * The gate's Markdown report (job summary, PR comment, `report` output): verdict first and the limit
 * that decided, a table of every check's counters, a Mermaid latency chart, the first failing response
 * (scrubbed) and Sentry findings.
 */
import { formatDuration } from '../../../lib/duration.js';
import { codeBlock, commentMarker, table } from '../../../lib/summary.js';
import { type CheckResult, type GateDecision, type GatePolicy, type Round, roundOutcome } from './decide.js';
import type { SentryFinding } from './sentry.js';
import type { StepResult } from './smoke.js';
import { ProbeTally, type TargetStats } from './stats.js';

export const MARKER = commentMarker('health-gate');

export type { TargetStats } from './stats.js';

/** Counts and latency percentiles per probed target (answered, non-pending probes for latency). */
export function targetStats(rounds: readonly Round[]): TargetStats[] {
  const tally = new ProbeTally();
  for (const round of rounds) for (const p of round.probes) tally.add(p);
  return tally.targetStats();
}

/** Hides secret-looking JSON fields and bearer tokens in a response body before it is shown. */
export function scrubBody(text: string): string {
  return text
    .replace(
      /("[^"]*(?:token|secret|password|passwd|authorization|api[_-]?key|cookie|session)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
      '$1"***"',
    )
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}

export interface ReportInput {
  decision: GateDecision;
  rounds: readonly Round[];
  /** Per-target counts and percentiles as the gate kept them (`HealthGate.tally`); counted from `rounds` when absent. */
  stats?: readonly TargetStats[];
  elapsedMs: number;
  settings: Omit<GatePolicy, 'deadlineMs'> & { intervalMs: number; timeoutMs: number };
  /** The probed URLs as origin + path, for the opening line. */
  urls?: string[];
  observedVersion?: string;
  smokeSteps?: readonly StepResult[];
  sentry?: { finding?: SentryFinding; error?: string; maxNewIssues: number; project: string };
  runUrl?: string;
  /** Removes registered secrets (tokens, captured values, header values). */
  scrub: (text: string) => string;
}

const ICON: Record<string, string> = { healthy: '✅', unhealthy: '❌', inconclusive: '⚠️', undecided: '⏳' };

export function buildReport(r: ReportInput): string {
  const out: string[] = [MARKER];
  const v = r.decision.verdict;
  out.push(`## ${ICON[v] ?? ''} Health gate: ${v}`, '', r.decision.reason, '');
  if (r.decision.limit && r.decision.limit !== 'success-threshold') {
    out.push(`Decided by **${r.decision.limit}**${r.decision.check ? ` on ${r.decision.check}` : ''}.`, '');
  }
  const s = r.settings;
  const facts = [
    `${r.rounds.length} round${r.rounds.length === 1 ? '' : 's'} in ${formatDuration(r.elapsedMs)}`,
    `success-threshold ${s.successThreshold}, failure-limit ${s.failureLimit}, consecutive-error-limit ${s.consecutiveErrorLimit}, inconclusive-limit ${s.inconclusiveLimit}`,
    `bake-time ${formatDuration(s.bakeMs)}`,
    `interval ${formatDuration(s.intervalMs)}, timeout ${formatDuration(s.timeoutMs)}`,
  ];
  if (s.maxP95Ms !== undefined) facts.push(`SLO p95 ≤ ${s.maxP95Ms} ms`);
  if (s.expectVersion)
    facts.push(`expects version \`${s.expectVersion}\`, saw \`${r.observedVersion ?? 'none'}\``);
  out.push(facts.join(' · '), '');

  if (r.decision.checks && r.decision.checks.length > 0) {
    out.push(checkTable(r.decision.checks, r.stats ?? targetStats(r.rounds)), '');
  }
  if (r.rounds.length > 0) out.push(latencyChart(r.rounds), '');

  if (r.smokeSteps && r.smokeSteps.length > 0) {
    out.push(
      '### Smoke journey (last run)',
      '',
      table(
        ['step', 'result', 'status', 'ms', 'detail'],
        r.smokeSteps.map((st) => [
          st.name,
          st.outcome,
          st.status ?? '–',
          Math.round(st.latencyMs),
          st.detail,
        ]),
      ),
      '',
    );
  }

  const firstBad = firstFailure(r.rounds);
  if (firstBad) {
    out.push(
      '### First failing response',
      '',
      `Round ${firstBad.round}: ${firstBad.probe.target} ${firstBad.probe.detail}${firstBad.probe.status !== undefined ? ` (HTTP ${firstBad.probe.status})` : ''}.`,
      '',
    );
    if (firstBad.probe.body) {
      const flat = scrubBody(r.scrub(firstBad.probe.body)).replace(/\s+/g, ' ').trim();
      out.push(codeBlock(flat.length > 300 ? `${flat.slice(0, 300)}…` : flat || '(empty body)'), '');
    }
  }

  if (r.sentry) {
    out.push('### Sentry', '');
    const f = r.sentry.finding;
    if (r.sentry.error) out.push(`Could not check Sentry: ${r.sentry.error}`, '');
    else if (f) {
      out.push(
        `${f.count}${f.more ? '+' : ''} new issue${f.count === 1 ? '' : 's'} first seen in release \`${f.release}\` of ${r.sentry.project} (budget: ${r.sentry.maxNewIssues}).`,
        '',
      );
      if (f.issues.length > 0) {
        out.push(
          table(
            ['issue', 'title', 'events'],
            f.issues
              .slice(0, 10)
              .map((i) => [
                i.permalink ? `[${i.shortId}](${i.permalink})` : i.shortId,
                i.title,
                i.count ?? '–',
              ]),
          ),
          '',
        );
      }
    }
  }
  if (r.runUrl) out.push(`[Workflow run](${r.runUrl})`, '');
  return r.scrub(out.join('\n'));
}

/**
 * Every check's counters (Argo's MetricResult): successful, failed, errors, inconclusive, pending,
 * the current runs of successes and errors, its phase; latency percentiles for URL checks.
 */
export function checkTable(checks: readonly CheckResult[], stats: readonly TargetStats[]): string {
  const ms = (n: number | undefined) => (n === undefined ? '–' : String(Math.round(n)));
  return table(
    [
      'check',
      'phase',
      'successful',
      'failed',
      'errors',
      'inconclusive',
      'pending',
      'successes in a row',
      'errors in a row',
      'p50 ms',
      'p95 ms',
      'p99 ms',
    ],
    checks.map((c) => {
      const t = c.kind === 'url' ? stats.find((x) => x.target === c.name) : undefined;
      return [
        c.name,
        c.phase,
        c.successful,
        c.failed,
        c.error,
        c.inconclusive,
        c.pending,
        c.consecutiveSuccess,
        c.consecutiveError,
        ms(t?.p50),
        ms(t?.p95),
        ms(t?.p99),
      ];
    }),
  );
}

/** Mermaid xychart-beta (renders on GitHub): the slowest probe of each round, at most 100 points. */
export function latencyChart(rounds: readonly Round[]): string {
  const step = Math.max(1, Math.ceil(rounds.length / 100));
  const picked = rounds.filter((_, i) => i % step === 0 || i === rounds.length - 1);
  const values = picked.map((round) => Math.round(Math.max(0, ...round.probes.map((p) => p.latencyMs))));
  const top = Math.max(10, ...values);
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Slowest probe per round (ms)"',
    `  x-axis "round" [${picked.map((round) => round.index).join(', ')}]`,
    `  y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
    `  line [${values.join(', ')}]`,
    '```',
  ].join('\n');
}

export function firstFailure(rounds: readonly Round[]) {
  for (const round of rounds) {
    const outcome = roundOutcome(round.probes);
    if (outcome !== 'fail' && outcome !== 'error') continue;
    const probe =
      round.probes.find((p) => p.outcome === 'fail') ?? round.probes.find((p) => p.outcome === 'error');
    if (probe) return { round: round.index, probe };
  }
  return undefined;
}
