// HealthGate, the incremental analysis: after every round it must say exactly what the from-scratch
// analysis it replaced (reference-gate.ts, the code of commit 25fcba5) says over the same rounds.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  type GateDecision,
  type GatePolicy,
  HealthGate,
  lastObservedVersion,
  type Measurement,
  type Outcome,
  type ProbeResult,
  type Round,
} from '../../../actions/health-gate/src/decide.js';
import * as reference from './reference-gate.js';

/** A small seeded generator (mulberry32): the same seed gives the same gates on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { next, int, pick };
}

type Rng = ReturnType<typeof random>;

function randomPolicy(r: Rng): GatePolicy {
  return {
    successThreshold: r.int(1, 4),
    failureLimit: r.int(0, 4),
    consecutiveErrorLimit: r.int(0, 3),
    inconclusiveLimit: r.int(0, 4),
    bakeMs: r.pick([0, 0, 1000, 3000, 10_000]),
    deadlineMs: r.int(3, 60) * 1000,
    maxP95Ms: r.next() < 0.5 ? r.int(50, 400) : undefined,
    maxNewIssues: r.next() < 0.4 ? r.int(0, 2) : undefined,
    expectVersion: r.next() < 0.3 ? 'new5678abc' : undefined,
  };
}

/** A service of a given mood: mostly healthy, flapping, slow, refusing, still on the old version… */
function randomService(r: Rng) {
  const weights: Array<[Outcome, number]> = [
    ['pass', r.int(1, 20)],
    ['fail', r.int(0, 4)],
    ['error', r.int(0, 4)],
    ['pending', r.int(0, 3)],
    ['inconclusive', r.int(0, 2)],
  ];
  const total = weights.reduce((n, [, w]) => n + w, 0);
  const outcome = (): Outcome => {
    let x = r.next() * total;
    for (const [o, w] of weights) {
      x -= w;
      if (x < 0) return o;
    }
    return 'pass';
  };
  const slowest = r.pick([60, 200, 500]);
  return (target: string, kind: 'url' | 'smoke'): ProbeResult => {
    const o = outcome();
    // Integers with many ties, and now and then a fraction, as performance.now() gives.
    const latencyMs = r.next() < 0.8 ? r.int(1, slowest) : r.next() * slowest;
    return {
      target,
      kind,
      outcome: o,
      status: o === 'error' ? undefined : o === 'fail' ? 503 : o === 'inconclusive' ? 429 : 200,
      latencyMs,
      answered: o !== 'error',
      observedVersion:
        o === 'pending' ? r.pick(['old1234', undefined]) : r.next() < 0.5 ? 'new5678abc' : undefined,
      detail: `${o} ${r.int(1, 3)}`,
    };
  };
}

function randomSentry(r: Rng): Measurement {
  const outcome = r.pick(['pass', 'pass', 'pass', 'fail', 'error', 'inconclusive'] as const);
  return { outcome, detail: `shows ${r.int(0, 3)} new issues (${outcome})` };
}

/** What the gate and the reference both decide, at the end of the last round, at the deadline, and later. */
function decisions(
  policy: GatePolicy,
  rounds: Round[],
  gate: HealthGate,
): Array<[GateDecision, GateDecision]> {
  const end = rounds.at(-1)?.endedAtMs ?? 0;
  return [undefined, policy.deadlineMs, end + 500].map((now) => [
    gate.decide(now),
    reference.decideGate(rounds, policy, now),
  ]);
}

describe('HealthGate agrees with the from-scratch analysis after every round', () => {
  const SEQUENCES = 400;
  const seen = { verdicts: new Set<string>(), limits: new Set<string>(), sentryAsked: 0 };

  test(`as main() drives it (Sentry asked only when due, the round's end moved after it): ${SEQUENCES} random gates`, () => {
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const r = random(seed);
      const policy = randomPolicy(r);
      const service = randomService(r);
      const urls = Array.from({ length: r.int(1, 3) }, (_, i) => `http://svc/u${i}`);
      const smoke = r.next() < 0.3;
      const gate = new HealthGate(policy);
      const rounds: Round[] = [];
      const context = (i: number) => `seed ${seed}, round ${i}, policy ${JSON.stringify(policy)}`;
      const count = r.int(1, 40);
      for (let i = 1; i <= count; i++) {
        const startedAtMs = (i - 1) * 1000;
        const probes = urls.map((u) => service(u, 'url'));
        if (smoke) probes.push(service('smoke journey', 'smoke'));
        const round: Round = { index: i, startedAtMs, endedAtMs: startedAtMs + r.int(1, 300), probes };
        rounds.push(round);

        const state = gate.countProbes(round);
        assert.deepEqual(state, reference.analyse(rounds, policy), context(i));
        if (policy.maxNewIssues !== undefined && state.perRoundSucceeded && !state.decision) {
          round.sentry = randomSentry(r);
          round.endedAtMs += r.int(0, 400);
          seen.sentryAsked++;
        }
        gate.judgeRound(round);

        assert.deepEqual(gate.analysis(), reference.analyse(rounds, policy), context(i));
        for (const [incremental, fromScratch] of decisions(policy, rounds, gate)) {
          assert.deepEqual(incremental, fromScratch, context(i));
          seen.verdicts.add(incremental.verdict);
          if (incremental.limit) seen.limits.add(incremental.limit);
        }
        if (gate.decide(round.endedAtMs).verdict !== 'undecided') break;
      }
      assert.deepEqual(gate.tally.targetStats(), reference.targetStats(rounds), `seed ${seed}`);
    }
  });

  test('the random gates reach every verdict and every limit, so the agreement above means something', () => {
    assert.deepEqual([...seen.verdicts].sort(), ['healthy', 'inconclusive', 'undecided', 'unhealthy']);
    assert.deepEqual([...seen.limits].sort(), [
      'consecutive-error-limit',
      'deadline',
      'failure-limit',
      'inconclusive-limit',
      'max-new-issues',
      'max-p95-ms',
    ]);
    assert.ok(seen.sentryAsked > 100, `Sentry asked ${seen.sentryAsked} times`);
  });

  test('rounds given whole, Sentry in any round, targets that appear late, rounds after the decision', () => {
    for (let seed = 10_001; seed <= 10_000 + SEQUENCES; seed++) {
      const r = random(seed);
      const policy = randomPolicy(r);
      const service = randomService(r);
      const gate = new HealthGate(policy);
      const rounds: Round[] = [];
      const count = r.int(1, 30);
      for (let i = 1; i <= count; i++) {
        // Now and then a third URL joins, or the smoke journey: a new check that has not succeeded yet.
        const targets = [
          'http://svc/a',
          'http://svc/b',
          ...(i > 5 && r.next() < 0.5 ? ['http://svc/c'] : []),
        ];
        const probes = targets.map((u) => service(u, 'url'));
        if (i > 3 && r.next() < 0.3) probes.push(service('smoke journey', 'smoke'));
        const round: Round = { index: i, startedAtMs: (i - 1) * 700, endedAtMs: (i - 1) * 700 + 50, probes };
        if (r.next() < 0.3) round.sentry = randomSentry(r);
        rounds.push(round);
        gate.add(round);
        const context = `seed ${seed}, round ${i}`;
        assert.deepEqual(gate.analysis(), reference.analyse(rounds, policy), context);
        for (const [incremental, fromScratch] of decisions(policy, rounds, gate)) {
          assert.deepEqual(incremental, fromScratch, context);
        }
      }
      const slo = reference.sloLatencies(rounds);
      assert.deepEqual(gate.tally.slo.values(), {
        p50: reference.percentile(slo, 50),
        p95: reference.percentile(slo, 95),
        p99: reference.percentile(slo, 99),
      });
      assert.equal(gate.tally.lastObservedVersion, lastObservedVersion(rounds));
      assert.deepEqual(gate.tally.targetStats(), reference.targetStats(rounds));
      const all = rounds.flatMap((x) => x.probes);
      assert.deepEqual(gate.tally.totals(), {
        probes: all.length,
        passes: all.filter((p) => p.outcome === 'pass').length,
        failures: all.filter((p) => p.outcome === 'fail').length,
        errors: all.filter((p) => p.outcome === 'error').length,
      });
    }
  });

  test('a decision handed out is never changed by later rounds', () => {
    const policy: GatePolicy = {
      successThreshold: 2,
      failureLimit: 0,
      consecutiveErrorLimit: 1,
      inconclusiveLimit: 1,
      bakeMs: 0,
      deadlineMs: 60_000,
    };
    const probe = (outcome: Outcome): ProbeResult => ({
      target: 'http://svc/health',
      kind: 'url',
      outcome,
      latencyMs: 10,
      answered: outcome !== 'error',
      detail: outcome,
    });
    const gate = new HealthGate(policy);
    gate.add({ index: 1, startedAtMs: 0, endedAtMs: 10, probes: [probe('pass')] });
    const undecided = gate.decide();
    const before = structuredClone(undecided);
    gate.add({ index: 2, startedAtMs: 1000, endedAtMs: 1010, probes: [probe('fail')] });
    const unhealthy = gate.decide();
    assert.deepEqual(undecided, before, 'the undecided answer of round 1 still shows round 1');
    assert.equal(unhealthy.verdict, 'unhealthy');
    const frozen = structuredClone(unhealthy);
    gate.add({ index: 3, startedAtMs: 2000, endedAtMs: 2010, probes: [probe('pass')] });
    assert.deepEqual(gate.decide(), frozen);
    assert.equal(gate.tally.totals().probes, 3, 'rounds after the decision still count toward the report');
  });
});

describe('HealthGate: the two halves of a round come in order', () => {
  const policy: GatePolicy = {
    successThreshold: 1,
    failureLimit: 0,
    consecutiveErrorLimit: 0,
    inconclusiveLimit: 0,
    bakeMs: 0,
    deadlineMs: 1000,
  };
  const round = (index: number): Round => ({ index, startedAtMs: 0, endedAtMs: 1, probes: [] });

  test('counting a round while another waits to be judged, or deciding then, is refused', () => {
    const gate = new HealthGate(policy);
    gate.countProbes(round(1));
    assert.throws(() => gate.countProbes(round(2)), /Round 1 was counted but not judged/);
    assert.throws(() => gate.decide(), /Round 1 was counted but not judged/);
  });

  test('judging a round that was not counted is refused', () => {
    const gate = new HealthGate(policy);
    assert.throws(
      () => gate.judgeRound(round(1)),
      /Round 1 must be counted \(countProbes\) before it is judged/,
    );
    gate.countProbes(round(1));
    assert.throws(
      () => gate.judgeRound(round(1)),
      /must be counted/,
      'another object, not the counted round',
    );
  });
});
