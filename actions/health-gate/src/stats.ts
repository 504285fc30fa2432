/**
 * Probe statistics kept as the rounds arrive: per-target counts, nearest-rank latency percentiles and
 * the version last reported. Each probe costs O(log n) (n: latencies so far), so a gate of many rounds
 * never re-reads the rounds it has already counted.
 */
import type { ProbeResult } from './decide.js';

/**
 * The 0-based index of the nearest-rank `p`th percentile among `n` sorted values (n ≥ 1): the
 * ⌈p/100 · n⌉th smallest, at least the first, at most the last.
 */
function nearestRankIndex(n: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return Math.min(rank, n) - 1;
}

/** Nearest-rank percentile; undefined for no samples. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[nearestRankIndex(sorted.length, p)];
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The smallest value; only called on a heap that is not empty. */
  peek(): number {
    return this.items[0] as number;
  }

  push(value: number): void {
    const a = this.items;
    let i = a.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= value) break;
      a[i] = a[parent] as number;
      i = parent;
    }
    a[i] = value;
  }

  /** Removes and returns the smallest value; only called on a heap that is not empty. */
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    const n = a.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (a[child + 1] as number) < (a[child] as number)) child++;
      if ((a[child] as number) >= last) break;
      a[i] = a[child] as number;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/**
 * One nearest-rank percentile over a growing set of values, exactly what `percentile` gives over the
 * same values: the smallest `rank` values sit in a max-heap (stored negated) whose top is the answer,
 * the rest in a min-heap; each value added moves at most a few tops between them.
 */
export class StreamingPercentile {
  private readonly low = new MinHeap();
  private readonly high = new MinHeap();
  private n = 0;

  constructor(readonly p: number) {}

  get count(): number {
    return this.n;
  }

  add(value: number): void {
    // Every value in `low` is ≤ every value in `high`; a value above low's top belongs in `high`.
    if (this.low.size > 0 && value > -this.low.peek()) this.high.push(value);
    else this.low.push(-value);
    this.n++;
    const rank = nearestRankIndex(this.n, this.p) + 1;
    while (this.low.size > rank) this.high.push(-this.low.pop());
    while (this.low.size < rank) this.low.push(-this.high.pop());
  }

  /** The percentile of the values added so far; undefined before the first. */
  value(): number | undefined {
    return this.n === 0 ? undefined : -this.low.peek();
  }
}

/** The p50, p95 and p99 of one population of latencies. */
export class LatencyPercentiles {
  readonly p50 = new StreamingPercentile(50);
  readonly p95 = new StreamingPercentile(95);
  readonly p99 = new StreamingPercentile(99);

  get count(): number {
    return this.p50.count;
  }

  add(ms: number): void {
    this.p50.add(ms);
    this.p95.add(ms);
    this.p99.add(ms);
  }

  values(): { p50?: number; p95?: number; p99?: number } {
    return { p50: this.p50.value(), p95: this.p95.value(), p99: this.p99.value() };
  }
}

/** One target's probe counts, by outcome. */
interface TargetCounts {
  target: string;
  probes: number;
  passes: number;
  failures: number;
  errors: number;
  pending: number;
}

/** One target's counts and latency percentiles, as the report's table shows them. */
export interface TargetStats extends TargetCounts {
  p50?: number;
  p95?: number;
  p99?: number;
}

/** A probe whose latency speaks for the service: it answered, and not as another version. */
export function answeredByNewVersion(p: ProbeResult): boolean {
  return p.answered && p.outcome !== 'pending';
}

/** The SLO's samples: answered URL probes of the new version (no smoke journeys). */
export function isSloSample(p: ProbeResult): boolean {
  return p.kind === 'url' && answeredByNewVersion(p);
}

/**
 * Every probe of the gate counted once: per target (as the report's table shows it), in total (the
 * action's outputs), the SLO's latency percentiles and the version last reported.
 */
export class ProbeTally {
  private readonly targets = new Map<string, TargetCounts & { latency: LatencyPercentiles }>();
  /** Latencies of the SLO's samples (`isSloSample`). */
  readonly slo = new LatencyPercentiles();
  /** The version the service last reported, from any probe that read one. */
  lastObservedVersion: string | undefined;

  add(p: ProbeResult): void {
    let t = this.targets.get(p.target);
    if (!t) {
      t = {
        target: p.target,
        probes: 0,
        passes: 0,
        failures: 0,
        errors: 0,
        pending: 0,
        latency: new LatencyPercentiles(),
      };
      this.targets.set(p.target, t);
    }
    t.probes++;
    if (p.outcome === 'pass') t.passes++;
    else if (p.outcome === 'fail') t.failures++;
    else if (p.outcome === 'error') t.errors++;
    else if (p.outcome === 'pending') t.pending++;
    if (answeredByNewVersion(p)) t.latency.add(p.latencyMs);
    if (isSloSample(p)) this.slo.add(p.latencyMs);
    if (p.observedVersion !== undefined) this.lastObservedVersion = p.observedVersion;
  }

  /** Counts and latency percentiles per target, in the order the targets were first probed. */
  targetStats(): TargetStats[] {
    return [...this.targets.values()].map(({ latency, ...counts }) => ({ ...counts, ...latency.values() }));
  }

  /** Counts over every probe (URLs and smoke journeys alike). */
  totals(): { probes: number; passes: number; failures: number; errors: number } {
    const sum = { probes: 0, passes: 0, failures: 0, errors: 0 };
    for (const t of this.targets.values()) {
      sum.probes += t.probes;
      sum.passes += t.passes;
      sum.failures += t.failures;
      sum.errors += t.errors;
    }
    return sum;
  }
}
