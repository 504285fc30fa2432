/**
 * The gate's decision, pure, modelled on Argo Rollouts' analysis (`MetricResult` in
 * pkg/apis/rollouts/v1alpha1/analysis_types.go, `assessMetricStatus` in analysis/analysis.go): every
 * check (each URL, the smoke journey, the latency SLO, Sentry) keeps counters of successful, failed,
 * error and inconclusive measurements and their consecutive runs; each limit is its own test; the
 * worst check decides. Errors (the measurement could not be taken) never count as failures. The
 * counters live in a `HealthGate` that takes each round as it arrives, so no round is read twice.
 */
import { formatDuration } from '../../../lib/duration.js';
import { isSloSample, ProbeTally } from './stats.js';

/**
 * pass: met every expectation; fail: the new version (or one that reports no version) answered wrongly;
 * inconclusive: an answer that is neither (429, rate limited); pending: another version answered,
 * whatever it said (its health is not the new deploy's); error: no answer.
 */
export type Outcome = 'pass' | 'fail' | 'pending' | 'error' | 'inconclusive';

export interface ProbeResult {
  /** The URL probed as origin + path (never its query), or `smoke journey`. */
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

/** One measurement of an aggregate check (Sentry), taken by the I/O code. */
export interface Measurement {
  outcome: Exclude<Outcome, 'pending'>;
  /** For a failure: `shows 2 new issues first seen in release r1`; for an error: one sentence. */
  detail: string;
}

export interface Round {
  index: number;
  /** Milliseconds since the gate started. */
  startedAtMs: number;
  endedAtMs: number;
  probes: ProbeResult[];
  /** Present in the rounds where Sentry was asked. */
  sentry?: Measurement;
}

export interface GatePolicy {
  /** Consecutive successful measurements that make a per-round check successful. */
  successThreshold: number;
  /** Failed measurements a check may have in total; one more makes it failed (Argo: failureLimit). */
  failureLimit: number;
  /** Errors in a row a check may have; one more makes it an error (Argo: consecutiveErrorLimit). */
  consecutiveErrorLimit: number;
  /** Inconclusive measurements a check may have in total (Argo: inconclusiveLimit). */
  inconclusiveLimit: number;
  /** After every check succeeded, keep measuring this long; any limit crossed meanwhile decides. */
  bakeMs: number;
  /** Milliseconds since the gate started. */
  deadlineMs: number;
  maxP95Ms?: number;
  /** Set when the Sentry check runs. */
  maxNewIssues?: number;
  expectVersion?: string;
}

export type Verdict = 'healthy' | 'unhealthy' | 'inconclusive' | 'undecided';
export type CheckKind = 'url' | 'smoke' | 'slo' | 'sentry';
/** Argo's phases of a metric, best to worst (utils/analysis/helpers.go `analysisStatusOrder`). */
export type Phase = 'successful' | 'running' | 'inconclusive' | 'error' | 'failed';
export type LimitName =
  | 'success-threshold'
  | 'failure-limit'
  | 'consecutive-error-limit'
  | 'inconclusive-limit'
  | 'max-p95-ms'
  | 'max-new-issues'
  | 'bake-time'
  | 'deadline';

/** Argo's `MetricResult` counters for one check, plus our `pending` (another version answered). */
export interface CheckResult {
  name: string;
  kind: CheckKind;
  successful: number;
  failed: number;
  error: number;
  inconclusive: number;
  pending: number;
  consecutiveSuccess: number;
  consecutiveError: number;
  /** Longest success streak so far (for the deadline's reason). */
  bestStreak: number;
  /** The round whose measurement completed the success streak; the check stays successful after it. */
  succeededInRound?: number;
  /** Detail of the last measurement of each kind, for reasons. */
  last: Partial<Record<Exclude<Outcome, 'pass'>, string>>;
  phase: Phase;
}

export interface Limits {
  successThreshold: number;
  failureLimit: number;
  consecutiveErrorLimit: number;
  inconclusiveLimit: number;
}

export interface GateDecision {
  verdict: Verdict;
  /** One sentence naming the check and the limit that decided. */
  reason: string;
  /** The check that decided (absent for healthy, where every check did). */
  check?: string;
  /** The limit that decided. */
  limit?: LimitName;
  /** Every check's counters as of the decision. */
  checks?: CheckResult[];
}

export function newCheck(name: string, kind: CheckKind): CheckResult {
  return {
    name,
    kind,
    successful: 0,
    failed: 0,
    error: 0,
    inconclusive: 0,
    pending: 0,
    consecutiveSuccess: 0,
    consecutiveError: 0,
    bestStreak: 0,
    last: {},
    phase: 'running',
  };
}

/** Counts one measurement the way Argo's `runMeasurements` does; `pending` only breaks the success streak. */
export function recordMeasurement(
  check: CheckResult,
  outcome: Outcome,
  detail: string,
  round: number,
  successThreshold: number,
): CheckResult {
  const c: CheckResult = { ...check, last: { ...check.last } };
  if (outcome === 'pass') {
    c.successful++;
    c.consecutiveSuccess++;
    c.consecutiveError = 0;
  } else if (outcome === 'pending') {
    c.pending++;
    c.consecutiveSuccess = 0;
  } else if (outcome === 'error') {
    c.error++;
    c.consecutiveError++;
    c.consecutiveSuccess = 0;
  } else {
    if (outcome === 'fail') c.failed++;
    else c.inconclusive++;
    c.consecutiveSuccess = 0;
    c.consecutiveError = 0;
  }
  if (outcome !== 'pass') c.last[outcome] = detail;
  c.bestStreak = Math.max(c.bestStreak, c.consecutiveSuccess);
  if (c.succeededInRound === undefined && c.consecutiveSuccess >= successThreshold)
    c.succeededInRound = round;
  return c;
}

/**
 * The limits a check is judged by. The latency SLO and Sentry measure aggregates of the whole gate so
 * far (a p95, the issues first seen in the release), so one good measurement is a success and one bad
 * one a failure (Argo's default failureLimit 0); errors and inconclusive answers use the same limits
 * as every other check.
 */
export function limitsFor(kind: CheckKind, policy: Limits): Limits {
  if (kind === 'slo' || kind === 'sentry') return { ...policy, successThreshold: 1, failureLimit: 0 };
  return policy;
}

/**
 * One check's phase: each limit its own test (Argo's `assessMetricFailureInconclusiveOrError`), the
 * worst crossed limit first; then success once the streak completed; else still running.
 */
export function assessCheck(c: CheckResult, limits: Limits): { phase: Phase; limit?: LimitName } {
  const failureLimit: LimitName =
    c.kind === 'slo' ? 'max-p95-ms' : c.kind === 'sentry' ? 'max-new-issues' : 'failure-limit';
  if (c.failed > limits.failureLimit) return { phase: 'failed', limit: failureLimit };
  if (c.consecutiveError > limits.consecutiveErrorLimit)
    return { phase: 'error', limit: 'consecutive-error-limit' };
  if (c.inconclusive > limits.inconclusiveLimit)
    return { phase: 'inconclusive', limit: 'inconclusive-limit' };
  if (c.succeededInRound !== undefined) return { phase: 'successful', limit: 'success-threshold' };
  return { phase: 'running' };
}

const ORDER: Phase[] = ['successful', 'running', 'inconclusive', 'error', 'failed'];

/** Argo's `IsWorse`: failed is worst, then error, inconclusive, running, successful. */
export function isWorse(current: Phase, next: Phase): boolean {
  return ORDER.indexOf(next) > ORDER.indexOf(current);
}

/** A round fails if any probe failed; else it errs, is inconclusive or pending in that order; all passes pass. */
export function roundOutcome(probes: readonly ProbeResult[]): Outcome {
  if (probes.length === 0) return 'error';
  for (const o of ['fail', 'error', 'inconclusive', 'pending'] as const) {
    if (probes.some((p) => p.outcome === o)) return o;
  }
  return 'pass';
}

/** Latencies the SLO is judged on: answered URL probes of the new version (pending old-version answers, healthy or not, and smoke runs excluded). */
export function sloLatencies(rounds: readonly Round[]): number[] {
  return rounds.flatMap((r) => r.probes.filter(isSloSample).map((p) => p.latencyMs));
}

export const SMOKE_CHECK = 'smoke journey';
export const SLO_CHECK = 'latency SLO';
export const SENTRY_CHECK = 'Sentry';

export interface Analysis {
  checks: CheckResult[];
  /** Every per-round check (URLs, smoke journey) completed its success streak: the SLO and Sentry are due. */
  perRoundSucceeded: boolean;
  /** When every check had succeeded: the bake started then. */
  bakeStartMs?: number;
  /** Set when a limit decided or the bake completed. */
  decision?: GateDecision;
}

const KIND_ORDER: CheckKind[] = ['url', 'smoke', 'slo', 'sentry'];

/**
 * The gate's analysis kept up to date round by round: every check's counters, the SLO's latency
 * percentiles and the bake, so a round costs O(its probes · log n) however many came before it. A
 * round is counted in two halves because Sentry is asked only when the first half says it is due:
 * `countProbes(round)`, then (with `round.sentry` set if it was asked) `judgeRound(round)`; `add`
 * does both for a round that is already complete. The first round that settles the gate (a crossed
 * limit, the worst check deciding, or every check successful and the bake over) fixes the decision;
 * later rounds still count toward `tally`, never toward the checks.
 */
export class HealthGate {
  /** Every probe counted once, for the report and the outputs. */
  readonly tally = new ProbeTally();
  private readonly checks = new Map<string, CheckResult>();
  /** Check names in report order (URLs, smoke journey, SLO, Sentry; first seen first within a kind). */
  private order: string[] = [];
  private perRoundSucceeded = false;
  private bakeStartMs: number | undefined;
  private decision: GateDecision | undefined;
  private rounds = 0;
  private lastEndedAtMs: number | undefined;
  /** The round whose probes were counted and which is not judged yet. */
  private open: Round | undefined;

  constructor(private readonly policy: GatePolicy) {
    if (policy.maxP95Ms !== undefined) this.addCheck(newCheck(SLO_CHECK, 'slo'));
    if (policy.maxNewIssues !== undefined) this.addCheck(newCheck(SENTRY_CHECK, 'sentry'));
  }

  /**
   * The first half of a round: counts its probes into the checks and, once every per-round check
   * has succeeded, measures the SLO. Returns the analysis as it stands before Sentry is asked:
   * Sentry is due when `perRoundSucceeded` and there is no `decision`.
   */
  countProbes(round: Round): Analysis {
    if (this.open)
      throw new Error(`Round ${this.open.index} was counted but not judged: call judgeRound first.`);
    this.open = round;
    for (const p of round.probes) this.tally.add(p);
    if (this.decision) return this.analysis();
    for (const p of round.probes) {
      this.record(p.kind === 'smoke' ? SMOKE_CHECK : p.target, p.kind, p.outcome, p.detail, round.index);
    }
    const perRound = this.ordered().filter((c) => c.kind === 'url' || c.kind === 'smoke');
    this.perRoundSucceeded = perRound.length > 0 && perRound.every((c) => c.succeededInRound !== undefined);
    if (this.perRoundSucceeded && this.policy.maxP95Ms !== undefined) {
      const p95 = this.tally.slo.p95.value();
      if (p95 !== undefined) {
        const detail = `p95 latency is ${Math.round(p95)} ms over ${plural(this.tally.slo.count, 'probe')}`;
        this.record(SLO_CHECK, 'slo', p95 > this.policy.maxP95Ms ? 'fail' : 'pass', detail, round.index);
      }
    }
    const settled = this.settle(round.endedAtMs);
    return this.analysisWith(settled.bakeStartMs, settled.decision);
  }

  /** The second half of a round: counts its Sentry measurement, if any, and settles the gate if it can. */
  judgeRound(round: Round): void {
    if (this.open !== round)
      throw new Error(`Round ${round.index} must be counted (countProbes) before it is judged.`);
    this.open = undefined;
    this.rounds++;
    this.lastEndedAtMs = round.endedAtMs;
    if (this.decision) return;
    if (round.sentry) {
      this.record(SENTRY_CHECK, 'sentry', round.sentry.outcome, round.sentry.detail, round.index);
    }
    const settled = this.settle(round.endedAtMs);
    this.bakeStartMs = settled.bakeStartMs;
    this.decision = settled.decision;
  }

  /** Both halves of a round that already carries its Sentry measurement (if Sentry was asked). */
  add(round: Round): void {
    this.countProbes(round);
    this.judgeRound(round);
  }

  /** The analysis as of the last judged round. */
  analysis(): Analysis {
    return this.analysisWith(this.bakeStartMs, this.decision);
  }

  /**
   * Decides as early as the evidence allows; `nowMs` (default: the end of the last round) past the
   * deadline without a decision is inconclusive (fail closed), or unhealthy when only another version
   * ever answered.
   */
  decide(nowMs?: number): GateDecision {
    if (this.open)
      throw new Error(`Round ${this.open.index} was counted but not judged: call judgeRound first.`);
    if (this.decision) return this.decision;
    const { policy } = this;
    const checks = this.ordered();
    const now = nowMs ?? this.lastEndedAtMs ?? 0;
    if (now < policy.deadlineMs) return { verdict: 'undecided', reason: 'Still probing.', checks };
    const limit: LimitName = 'deadline';
    if (this.rounds === 0) {
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
      const serving = this.tally.lastObservedVersion;
      return {
        verdict: 'unhealthy',
        reason: `Version ${serving ?? '(none reported)'} is still serving: ${policy.expectVersion ?? 'the new version'} never answered before the deadline, so traffic did not switch to the new deploy.`,
        limit,
        checks,
      };
    }
    if (this.bakeStartMs !== undefined) {
      return {
        verdict: 'inconclusive',
        reason: `The deadline passed ${formatDuration(now - this.bakeStartMs)} into the ${formatDuration(policy.bakeMs)} bake-time, every check within its limits so far; raise deadline to leave room for the bake.`,
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
      reason: `No decision by the deadline: ${stuck.name} reached ${stuck.bestStreak} of ${needed} consecutive successes (success-threshold) with ${counts(stuck)} in ${plural(this.rounds, 'round')}; the service is flapping or too slow to decide.`,
      check: stuck.name,
      limit,
      checks,
    };
  }

  private analysisWith(bakeStartMs: number | undefined, decision: GateDecision | undefined): Analysis {
    const checks = decision?.checks ?? this.ordered();
    const a: Analysis = { checks, perRoundSucceeded: this.perRoundSucceeded, bakeStartMs };
    if (decision) a.decision = decision;
    return a;
  }

  private addCheck(c: CheckResult): CheckResult {
    this.checks.set(c.name, c);
    this.order = [...this.checks.values()]
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
      .map((x) => x.name);
    return c;
  }

  /** The checks in report order; each object is replaced, never changed, once handed out. */
  private ordered(): CheckResult[] {
    return this.order.map((name) => this.checks.get(name) as CheckResult);
  }

  private record(name: string, kind: CheckKind, outcome: Outcome, detail: string, round: number): void {
    const c = this.checks.get(name) ?? this.addCheck(newCheck(name, kind));
    const threshold = limitsFor(kind, this.policy).successThreshold;
    this.checks.set(name, recordMeasurement(c, outcome, detail, round, threshold));
  }

  /**
   * Assesses every check (each keeps its phase) and says whether the round ending at `endedAtMs`
   * settles the gate: a crossed limit (the worst check decides), or every check successful and the
   * bake over. Returns the bake start as of this round; commits nothing else.
   */
  private settle(endedAtMs: number): { bakeStartMs?: number; decision?: GateDecision } {
    const { policy } = this;
    let worst: { check: CheckResult; phase: Phase; limit?: LimitName } | undefined;
    for (const name of this.order) {
      const c = this.checks.get(name) as CheckResult;
      const a = assessCheck(c, limitsFor(c.kind, policy));
      const assessed = c.phase === a.phase ? c : { ...c, phase: a.phase };
      this.checks.set(name, assessed);
      if (!worst || isWorse(worst.phase, a.phase)) worst = { check: assessed, ...a };
    }
    const list = this.ordered();
    if (worst && (worst.phase === 'failed' || worst.phase === 'error' || worst.phase === 'inconclusive')) {
      const verdict =
        worst.phase === 'failed' || (worst.phase === 'error' && worst.check.kind !== 'sentry')
          ? 'unhealthy'
          : 'inconclusive';
      return {
        bakeStartMs: this.bakeStartMs,
        decision: {
          verdict,
          reason: limitReason(worst.check, worst.limit as LimitName, policy),
          check: worst.check.name,
          limit: worst.limit,
          checks: list,
        },
      };
    }
    let bakeStartMs = this.bakeStartMs;
    if (bakeStartMs === undefined && list.length > 0 && list.every((c) => c.phase === 'successful')) {
      bakeStartMs = endedAtMs;
    }
    if (bakeStartMs !== undefined && endedAtMs - bakeStartMs >= policy.bakeMs) {
      return {
        bakeStartMs,
        decision: {
          verdict: 'healthy',
          reason: healthyReason(this.tally.slo.p95.value(), policy),
          checks: list,
        },
      };
    }
    return { bakeStartMs };
  }
}

/** The analysis of rounds already complete, replayed through a new `HealthGate`. */
export function analyse(rounds: readonly Round[], policy: GatePolicy): Analysis {
  const gate = new HealthGate(policy);
  for (const round of rounds) gate.add(round);
  return gate.analysis();
}

/** `HealthGate.decide` over rounds already complete, replayed through a new gate. */
export function decideGate(rounds: readonly Round[], policy: GatePolicy, nowMs?: number): GateDecision {
  const gate = new HealthGate(policy);
  for (const round of rounds) gate.add(round);
  return gate.decide(nowMs);
}

function counts(c: CheckResult): string {
  return `${c.failed} failed, ${plural(c.error, 'error')}, ${c.inconclusive} inconclusive and ${c.pending} pending`;
}

/** `<check> failed 5 of 9 measurements, above failure-limit 4 (last: answered 503, expected 200).` */
export function limitReason(c: CheckResult, limit: LimitName, policy: GatePolicy): string {
  const measured = c.successful + c.failed + c.inconclusive + c.error;
  if (c.kind === 'slo' && limit === 'max-p95-ms') {
    return `Latency SLO failed: ${c.last.fail}, above max-p95-ms ${policy.maxP95Ms} ms.`;
  }
  if (c.kind === 'sentry' && limit === 'max-new-issues') {
    return `The probes passed but Sentry ${c.last.fail}, above max-new-issues ${policy.maxNewIssues}.`;
  }
  if (c.kind === 'sentry' && limit === 'consecutive-error-limit') {
    return `Sentry could not be queried ${c.consecutiveError} times in a row, above consecutive-error-limit ${policy.consecutiveErrorLimit}: ${c.last.error}`;
  }
  if (limit === 'failure-limit') {
    return `${c.name} failed ${c.failed} of ${plural(measured, 'measurement')}, above failure-limit ${policy.failureLimit} (last: ${c.last.fail}).`;
  }
  if (limit === 'consecutive-error-limit') {
    return `${c.name} got no answer ${c.consecutiveError} times in a row, above consecutive-error-limit ${policy.consecutiveErrorLimit} (last: ${c.last.error}).`;
  }
  return `${c.name} was inconclusive ${c.inconclusive} times, above inconclusive-limit ${policy.inconclusiveLimit} (last: ${c.last.inconclusive}).`;
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
