/**
 * The gate's decision, pure: given the rounds so far and the policy, is the deploy healthy, unhealthy,
 * inconclusive (deadline passed without a decision) or still undecided? Argo Rollouts analysis
 * semantics: consecutive successes, a failure limit, errors counted apart from failures, fail closed.
 */

/**
 * pass: met every expectation; fail: the new version (or one that reports no version) answered wrongly;
 * pending: another version answered, whatever it said (its health is not the new deploy's); error: no answer.
 */
export type Outcome = 'pass' | 'fail' | 'pending' | 'error';

export interface ProbeResult {
  /** The URL probed, or `smoke journey`. */
  target: string;
  kind: 'url' | 'smoke';
  outcome: Outcome;
  /** HTTP status when the service answered. */
  status?: number;
  /** Wall time of the probe (for errors: until the failure was known). */
  latencyMs: number;
  /** The service answered (false for refused connections, DNS errors, timeouts). */
  answered: boolean;
  observedVersion?: string;
  /** One phrase: what happened, e.g. `answered 503, expected 200`. */
  detail: string;
  /** Raw start of the body of a failing answer (scrubbed before it is shown). */
  body?: string;
}

export interface Round {
  index: number;
  /** Milliseconds since the gate started. */
  startedAtMs: number;
  endedAtMs: number;
  probes: ProbeResult[];
}

export interface GatePolicy {
  successThreshold: number;
  failureThreshold: number;
  /** Milliseconds since the gate started. */
  deadlineMs: number;
  maxP95Ms?: number;
  expectVersion?: string;
}

export type Verdict = 'healthy' | 'unhealthy' | 'inconclusive' | 'undecided';

export interface GateDecision {
  verdict: Verdict;
  /** One sentence. */
  reason: string;
}

/** A round fails if any probe failed; else it errs if any probe got no answer; else it is pending if any probe saw another version. */
export function roundOutcome(probes: readonly ProbeResult[]): Outcome {
  if (probes.length === 0) return 'error';
  if (probes.some((p) => p.outcome === 'fail')) return 'fail';
  if (probes.some((p) => p.outcome === 'error')) return 'error';
  if (probes.some((p) => p.outcome === 'pending')) return 'pending';
  return 'pass';
}

/** Latencies the SLO is judged on: answered URL probes of the new version (pending old-version answers, healthy or not, and smoke runs excluded). */
export function sloLatencies(rounds: readonly Round[]): number[] {
  return rounds.flatMap((r) =>
    r.probes.filter((p) => p.kind === 'url' && p.answered && p.outcome !== 'pending').map((p) => p.latencyMs),
  );
}

/** Nearest-rank percentile; undefined for no samples. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/**
 * Decides as early as the evidence allows. Pending rounds reset the success streak (traffic has not fully
 * switched) but not the failure streak (a new version that fails whenever it answers is still failing).
 * `nowMs` defaults to the end of the last round.
 */
export function decideGate(rounds: readonly Round[], policy: GatePolicy, nowMs?: number): GateDecision {
  let passStreak = 0;
  let failStreak = 0;
  let bestPassStreak = 0;
  let passes = 0;
  let pendings = 0;
  let failingErrors = 0;
  let lastFailure: ProbeResult | undefined;
  for (const [i, round] of rounds.entries()) {
    const outcome = roundOutcome(round.probes);
    if (outcome === 'pass') {
      passes++;
      passStreak++;
      failStreak = 0;
      failingErrors = 0;
    } else if (outcome === 'fail' || outcome === 'error') {
      failStreak++;
      passStreak = 0;
      if (outcome === 'error') failingErrors++;
      lastFailure =
        round.probes.find((p) => p.outcome === outcome) ?? round.probes.find((p) => p.outcome !== 'pass');
    } else {
      pendings++;
      passStreak = 0;
    }
    bestPassStreak = Math.max(bestPassStreak, passStreak);

    if (failStreak >= policy.failureThreshold) {
      const kind = failingErrors === failStreak ? ' without an answer' : '';
      return {
        verdict: 'unhealthy',
        reason: `${plural(failStreak, 'consecutive failing round')}${kind}: ${describe(lastFailure)}.`,
      };
    }
    if (passStreak >= policy.successThreshold) {
      const p95 = percentile(sloLatencies(rounds.slice(0, i + 1)), 95);
      if (policy.maxP95Ms !== undefined && p95 !== undefined && p95 > policy.maxP95Ms) {
        return {
          verdict: 'unhealthy',
          reason: `Every probe passed but p95 latency is ${Math.round(p95)} ms, above max-p95-ms ${policy.maxP95Ms} ms.`,
        };
      }
      return {
        verdict: 'healthy',
        reason: `${plural(passStreak, 'consecutive passing round')}${p95 !== undefined ? ` with p95 ${Math.round(p95)} ms` : ''}${policy.maxP95Ms !== undefined ? ` (SLO ${policy.maxP95Ms} ms)` : ''}.`,
      };
    }
  }

  const now = nowMs ?? rounds.at(-1)?.endedAtMs ?? 0;
  if (now < policy.deadlineMs) return { verdict: 'undecided', reason: 'Still probing.' };
  if (passes === 0 && pendings > 0) {
    const serving = lastObservedVersion(rounds);
    return {
      verdict: 'unhealthy',
      reason: `Version ${serving ?? '(none reported)'} is still serving: ${policy.expectVersion ?? 'the new version'} never answered before the deadline, so traffic did not switch to the new deploy.`,
    };
  }
  if (rounds.length === 0) {
    return { verdict: 'inconclusive', reason: 'The deadline passed before the first probe; raise deadline.' };
  }
  return {
    verdict: 'inconclusive',
    reason: `No decision by the deadline: the best run was ${bestPassStreak} of ${policy.successThreshold} consecutive passing rounds and failures never reached ${policy.failureThreshold} in a row (${plural(rounds.length, 'round')}, ${plural(pendings, 'pending')}); the service is flapping or too slow to decide.`,
  };
}

/** The version the service last reported, from any probe that read one. */
export function lastObservedVersion(rounds: readonly Round[]): string | undefined {
  for (let r = rounds.length - 1; r >= 0; r--) {
    const probes = rounds[r]?.probes ?? [];
    for (let p = probes.length - 1; p >= 0; p--) {
      const v = probes[p]?.observedVersion;
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

function describe(p: ProbeResult | undefined): string {
  if (!p) return 'no probe passed';
  return `${p.target} ${p.detail}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
