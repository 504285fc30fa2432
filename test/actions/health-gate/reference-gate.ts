/**
 * The health gate's analysis as it was before it became incremental (commit 25fcba5,
 * actions/health-gate/src/decide.ts and report.ts): every call replays every round from scratch.
 * Kept only as the reference the incremental `HealthGate` must agree with, decision for decision
 * (gate.test.ts), and as the "before" of `npm run bench:gate`.
 */

import {
  type Analysis,
  assessCheck,
  type CheckKind,
  type CheckResult,
  type GateDecision,
  type GatePolicy,
  isWorse,
  type LimitName,
  lastObservedVersion,
  limitReason,
  limitsFor,
  newCheck,
  type Outcome,
  type Phase,
  type Round,
  recordMeasurement,
  SENTRY_CHECK,
  SLO_CHECK,
  SMOKE_CHECK,
} from '../../../actions/health-gate/src/decide.js';
import type { TargetStats } from '../../../actions/health-gate/src/report.js';
import { formatDuration } from '../../../lib/duration.js';

/** Latencies the SLO is judged on: answered URL probes of the new version (pending old-version answers, healthy or not, and smoke runs excluded). */
export function sloLatencies(rounds: readonly Round[]): number[] {
  return rounds.flatMap((r) =>
    r.probes.filter((p) => p.kind === 'url' && p.answered && p.outcome !== 'pending').map((p) => p.latencyMs),
  );
}

/** Nearest-rank percentile; undefined for no samples. */
export function percentile(values: readonly number[], p: number): number | undefined {
  return nearestRank(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** Nearest-rank percentile of values already sorted ascending. */
function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Where `value` goes in an ascending array (binary search). */
function sortedIndex(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replays the rounds through every check and stops at the first round that settles the gate: a crossed
 * limit (the worst check decides), or every check successful and the bake time over.
 */
export function analyse(rounds: readonly Round[], policy: GatePolicy): Analysis {
  const checks = new Map<string, CheckResult>();
  if (policy.maxP95Ms !== undefined) checks.set(SLO_CHECK, newCheck(SLO_CHECK, 'slo'));
  if (policy.maxNewIssues !== undefined) checks.set(SENTRY_CHECK, newCheck(SENTRY_CHECK, 'sentry'));
  const perRound = () => [...checks.values()].filter((c) => c.kind === 'url' || c.kind === 'smoke');
  const record = (name: string, kind: CheckKind, outcome: Outcome, detail: string, round: number) => {
    const limits = limitsFor(kind, policy);
    const c = checks.get(name) ?? newCheck(name, kind);
    checks.set(name, { ...recordMeasurement(c, outcome, detail, round, limits.successThreshold) });
  };
  const ordered = () =>
    [...checks.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  let perRoundSucceeded = false;
  let bakeStartMs: number | undefined;
  // The SLO's samples so far, kept sorted: one replay stays linear in the rounds, not quadratic.
  const latencies: number[] = [];

  for (const round of rounds) {
    for (const ms of sloLatencies([round])) latencies.splice(sortedIndex(latencies, ms), 0, ms);
    for (const p of round.probes) {
      const name = p.kind === 'smoke' ? SMOKE_CHECK : p.target;
      record(name, p.kind, p.outcome, p.detail, round.index);
    }
    perRoundSucceeded = perRound().length > 0 && perRound().every((c) => c.succeededInRound !== undefined);
    if (perRoundSucceeded && policy.maxP95Ms !== undefined) {
      const p95 = nearestRank(latencies, 95);
      if (p95 !== undefined) {
        const detail = `p95 latency is ${Math.round(p95)} ms over ${plural(latencies.length, 'probe')}`;
        record(SLO_CHECK, 'slo', p95 > policy.maxP95Ms ? 'fail' : 'pass', detail, round.index);
      }
    }
    if (round.sentry) record(SENTRY_CHECK, 'sentry', round.sentry.outcome, round.sentry.detail, round.index);

    let worst: { check: CheckResult; phase: Phase; limit?: LimitName } | undefined;
    for (const c of ordered()) {
      const a = assessCheck(c, limitsFor(c.kind, policy));
      c.phase = a.phase;
      if (!worst || isWorse(worst.phase, a.phase)) worst = { check: c, ...a };
    }
    const list = ordered();
    if (worst && (worst.phase === 'failed' || worst.phase === 'error' || worst.phase === 'inconclusive')) {
      const verdict =
        worst.phase === 'failed' || (worst.phase === 'error' && worst.check.kind !== 'sentry')
          ? 'unhealthy'
          : 'inconclusive';
      return {
        checks: list,
        perRoundSucceeded,
        bakeStartMs,
        decision: {
          verdict,
          reason: limitReason(worst.check, worst.limit as LimitName, policy),
          check: worst.check.name,
          limit: worst.limit,
          checks: list,
        },
      };
    }
    if (bakeStartMs === undefined && list.length > 0 && list.every((c) => c.phase === 'successful')) {
      bakeStartMs = round.endedAtMs;
    }
    if (bakeStartMs !== undefined && round.endedAtMs - bakeStartMs >= policy.bakeMs) {
      return {
        checks: list,
        perRoundSucceeded,
        bakeStartMs,
        decision: {
          verdict: 'healthy',
          reason: healthyReason(nearestRank(latencies, 95), policy),
          checks: list,
        },
      };
    }
  }
  return { checks: ordered(), perRoundSucceeded, bakeStartMs };
}

const KIND_ORDER: CheckKind[] = ['url', 'smoke', 'slo', 'sentry'];

/**
 * Decides as early as the evidence allows; `nowMs` (default: the end of the last round) past the
 * deadline without a decision is inconclusive (fail closed), or unhealthy when only another version
 * ever answered.
 */
export function decideGate(rounds: readonly Round[], policy: GatePolicy, nowMs?: number): GateDecision {
  const a = analyse(rounds, policy);
  if (a.decision) return a.decision;
  const checks = a.checks;
  const now = nowMs ?? rounds.at(-1)?.endedAtMs ?? 0;
  if (now < policy.deadlineMs) return { verdict: 'undecided', reason: 'Still probing.', checks };
  const limit: LimitName = 'deadline';
  if (rounds.length === 0) {
    return {
      verdict: 'inconclusive',
      reason: 'The deadline passed before the first probe; raise deadline.',
      limit,
      checks,
    };
  }
  const probed = checks.filter((c) => c.kind === 'url' || c.kind === 'smoke');
  const answered = probed.reduce((n, c) => n + c.successful + c.failed + c.inconclusive, 0);
  const pending = probed.reduce((n, c) => n + c.pending, 0);
  if (answered === 0 && pending > 0) {
    const serving = lastObservedVersion(rounds);
    return {
      verdict: 'unhealthy',
      reason: `Version ${serving ?? '(none reported)'} is still serving: ${policy.expectVersion ?? 'the new version'} never answered before the deadline, so traffic did not switch to the new deploy.`,
      limit,
      checks,
    };
  }
  if (a.bakeStartMs !== undefined) {
    return {
      verdict: 'inconclusive',
      reason: `The deadline passed ${formatDuration(now - a.bakeStartMs)} into the ${formatDuration(policy.bakeMs)} bake-time, every check within its limits so far; raise deadline to leave room for the bake.`,
      limit,
      checks,
    };
  }
  // The check furthest from success names the problem.
  const stuck =
    checks
      .filter((c) => c.phase !== 'successful')
      .sort((x, y) => x.bestStreak - y.bestStreak || y.failed + y.error - (x.failed + x.error))[0] ??
    (checks[0] as CheckResult);
  const needed = limitsFor(stuck.kind, policy).successThreshold;
  return {
    verdict: 'inconclusive',
    reason: `No decision by the deadline: ${stuck.name} reached ${stuck.bestStreak} of ${needed} consecutive successes (success-threshold) with ${counts(stuck)} in ${plural(rounds.length, 'round')}; the service is flapping or too slow to decide.`,
    check: stuck.name,
    limit,
    checks,
  };
}

function counts(c: CheckResult): string {
  return `${c.failed} failed, ${plural(c.error, 'error')}, ${c.inconclusive} inconclusive and ${c.pending} pending`;
}

function healthyReason(p95: number | undefined, policy: GatePolicy): string {
  const bake =
    policy.bakeMs > 0
      ? ` and stayed within its limits for the ${formatDuration(policy.bakeMs)} bake-time`
      : '';
  const slo = p95 !== undefined ? `; p95 ${Math.round(p95)} ms` : '';
  const budget = policy.maxP95Ms !== undefined ? ` (SLO ${policy.maxP95Ms} ms)` : '';
  return `Every check passed ${policy.successThreshold} times in a row (success-threshold)${bake}${slo}${budget}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts and latency percentiles per probed target (answered, non-pending probes for latency). */
export function targetStats(rounds: readonly Round[]): TargetStats[] {
  const byTarget = new Map<string, TargetStats & { latencies: number[] }>();
  for (const round of rounds) {
    for (const p of round.probes) {
      let s = byTarget.get(p.target);
      if (!s) {
        s = { target: p.target, probes: 0, passes: 0, failures: 0, errors: 0, pending: 0, latencies: [] };
        byTarget.set(p.target, s);
      }
      s.probes++;
      if (p.outcome === 'pass') s.passes++;
      else if (p.outcome === 'fail') s.failures++;
      else if (p.outcome === 'error') s.errors++;
      else if (p.outcome === 'pending') s.pending++;
      if (p.answered && p.outcome !== 'pending') s.latencies.push(p.latencyMs);
    }
  }
  return [...byTarget.values()].map(({ latencies, ...s }) => ({
    ...s,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  }));
}
