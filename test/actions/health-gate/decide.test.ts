import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  decideGate,
  type GatePolicy,
  lastObservedVersion,
  type Outcome,
  type ProbeResult,
  percentile,
  type Round,
  roundOutcome,
  sloLatencies,
} from '../../../actions/health-gate/src/decide.js';

const policy: GatePolicy = { successThreshold: 3, failureThreshold: 3, deadlineMs: 10_000 };

function probe(outcome: Outcome, extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    target: 'http://svc/health',
    kind: 'url',
    outcome,
    latencyMs: 10,
    answered: outcome !== 'error',
    status: outcome === 'error' ? undefined : outcome === 'fail' ? 503 : 200,
    detail:
      outcome === 'error'
        ? 'gave no answer: connection refused (ECONNREFUSED)'
        : outcome === 'fail'
          ? 'answered 503, expected 200'
          : 'answered 200',
    observedVersion: outcome === 'pending' ? 'old1234' : undefined,
    ...extra,
  };
}

/** `P` pass, `F` fail, `E` error, `W` pending (waiting for the new version); one round each, 1 s apart. */
function rounds(pattern: string, extra: Partial<ProbeResult> = {}): Round[] {
  const map: Record<string, Outcome> = { P: 'pass', F: 'fail', E: 'error', W: 'pending' };
  return [...pattern].map((c, i) => ({
    index: i + 1,
    startedAtMs: i * 1000,
    endedAtMs: i * 1000 + 50,
    probes: [probe(map[c] as Outcome, extra)],
  }));
}

describe('roundOutcome', () => {
  test('a failure anywhere fails the round, then an error, then pending; all passes pass', () => {
    assert.equal(roundOutcome([probe('pass'), probe('fail'), probe('error')]), 'fail');
    assert.equal(roundOutcome([probe('pass'), probe('error'), probe('pending')]), 'error');
    assert.equal(roundOutcome([probe('pass'), probe('pending')]), 'pending');
    assert.equal(roundOutcome([probe('pass'), probe('pass')]), 'pass');
    assert.equal(roundOutcome([]), 'error');
  });
});

describe('decideGate', () => {
  test('no rounds before the deadline is undecided', () => {
    assert.equal(decideGate([], policy, 0).verdict, 'undecided');
  });

  test('success-threshold consecutive passes is healthy, one fewer is undecided', () => {
    assert.equal(decideGate(rounds('PP'), policy).verdict, 'undecided');
    const d = decideGate(rounds('PPP'), policy);
    assert.equal(d.verdict, 'healthy');
    assert.match(d.reason, /^3 consecutive passing rounds with p95 10 ms\.$/);
  });

  test('a failure resets the success streak', () => {
    assert.equal(decideGate(rounds('PPFPP'), policy).verdict, 'undecided');
    assert.equal(decideGate(rounds('PPFPPP'), policy).verdict, 'healthy');
  });

  test('failure-threshold consecutive failures is unhealthy at once (a dead service does not wait for the deadline)', () => {
    assert.equal(decideGate(rounds('FF'), policy).verdict, 'undecided');
    const d = decideGate(rounds('FFF'), policy, 2050);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.reason, '3 consecutive failing rounds: http://svc/health answered 503, expected 200.');
  });

  test('a pass resets the failure streak (flapping never decides early)', () => {
    assert.equal(decideGate(rounds('FFPFFPFFP'), policy).verdict, 'undecided');
  });

  test('errors (no answer) count as failing rounds and the reason says nobody answered', () => {
    const d = decideGate(rounds('EEE'), policy);
    assert.equal(d.verdict, 'unhealthy');
    assert.match(d.reason, /^3 consecutive failing rounds without an answer: .*connection refused/);
  });

  test('a mix of failures and errors is unhealthy, without claiming nobody answered', () => {
    const d = decideGate(rounds('FEF'), policy);
    assert.equal(d.verdict, 'unhealthy');
    assert.doesNotMatch(d.reason, /without an answer/);
  });

  test('custom thresholds are honoured', () => {
    const p = { ...policy, successThreshold: 1, failureThreshold: 5 };
    assert.equal(decideGate(rounds('P'), p).verdict, 'healthy');
    assert.equal(decideGate(rounds('FFFF'), p).verdict, 'undecided');
    assert.equal(decideGate(rounds('FFFFF'), p).verdict, 'unhealthy');
  });

  test('decides at the first round that settles it, ignoring later rounds', () => {
    assert.equal(decideGate(rounds('FFFPPP'), policy).verdict, 'unhealthy');
    assert.equal(decideGate(rounds('PPPFFF'), policy).verdict, 'healthy');
  });

  test('pending (another version answering healthy) is neither a pass nor a failure', () => {
    assert.equal(decideGate(rounds('WWWWWW'), policy).verdict, 'undecided');
    assert.equal(decideGate(rounds('WWPPP'), policy).verdict, 'healthy');
  });

  test('pending resets the success streak: passes must come in a row from the new version', () => {
    assert.equal(decideGate(rounds('PPWPP'), policy).verdict, 'undecided');
  });

  test('pending does not reset the failure streak: a new version that fails whenever it answers is failing', () => {
    assert.equal(decideGate(rounds('FWFWF'), policy).verdict, 'unhealthy');
  });

  test('deadline with only the old version answering: unhealthy, naming the version still serving', () => {
    const d = decideGate(rounds('WWW'), { ...policy, expectVersion: 'abc1234def' }, 10_000);
    assert.equal(d.verdict, 'unhealthy');
    assert.match(
      d.reason,
      /^Version old1234 is still serving: abc1234def never answered before the deadline/,
    );
  });

  test('deadline with the old version answering without a version field says none was reported', () => {
    const d = decideGate(rounds('WW', { observedVersion: undefined }), policy, 10_000);
    assert.match(d.reason, /^Version \(none reported\) is still serving/);
  });

  test('deadline without a decision is inconclusive (fail closed) and says how far it got', () => {
    const d = decideGate(rounds('PPFPPF'), policy, 10_000);
    assert.equal(d.verdict, 'inconclusive');
    assert.match(d.reason, /best run was 2 of 3 consecutive passing rounds/);
    assert.match(d.reason, /6 rounds, 0 pendings/);
  });

  test('old version, then passes, then deadline: inconclusive, not "still serving"', () => {
    assert.equal(decideGate(rounds('WWPP'), policy, 10_000).verdict, 'inconclusive');
  });

  test('the deadline defaults to the end of the last round', () => {
    const late = rounds('FP').map((r) => ({ ...r, endedAtMs: r.endedAtMs + 9_000 }));
    assert.equal(decideGate(late, policy).verdict, 'inconclusive');
    assert.equal(decideGate(rounds('FP'), policy).verdict, 'undecided');
  });

  test('the deadline passing before any probe is inconclusive', () => {
    const d = decideGate([], policy, 10_000);
    assert.equal(d.verdict, 'inconclusive');
    assert.match(d.reason, /before the first probe/);
  });

  test('a streak that completes in the last round counts even at the deadline', () => {
    assert.equal(decideGate(rounds('PPP'), policy, 20_000).verdict, 'healthy');
  });

  test('p95 above max-p95-ms turns a passing streak unhealthy; at the limit it is healthy', () => {
    const slow = rounds('PPP', { latencyMs: 250 });
    const d = decideGate(slow, { ...policy, maxP95Ms: 200 });
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.reason, 'Every probe passed but p95 latency is 250 ms, above max-p95-ms 200 ms.');
    assert.equal(decideGate(slow, { ...policy, maxP95Ms: 250 }).verdict, 'healthy');
  });

  test('the SLO counts failing answers but not old-version answers or smoke journeys', () => {
    const r = rounds('WFPPP');
    (r[0]?.probes[0] as ProbeResult).latencyMs = 5000;
    (r[1]?.probes[0] as ProbeResult).latencyMs = 900;
    r[2]?.probes.push(probe('pass', { kind: 'smoke', target: 'smoke journey', latencyMs: 4000 }));
    assert.deepEqual(sloLatencies(r), [900, 10, 10, 10]);
    assert.equal(decideGate(r, { ...policy, maxP95Ms: 500 }).verdict, 'unhealthy');
    assert.equal(decideGate(r, { ...policy, maxP95Ms: 900 }).verdict, 'healthy');
  });

  test('errors carry no latency into the SLO', () => {
    const r = rounds('EPPP', { latencyMs: 20 });
    (r[0]?.probes[0] as ProbeResult).latencyMs = 5000;
    assert.deepEqual(sloLatencies(r), [20, 20, 20]);
  });

  test('with several URLs one failing URL fails the round', () => {
    const r = rounds('PPP');
    r[2]?.probes.push(probe('fail', { target: 'http://svc/ready' }));
    assert.equal(decideGate(r, policy).verdict, 'undecided');
  });
});

describe('percentile and lastObservedVersion', () => {
  test('nearest-rank percentiles', () => {
    assert.equal(percentile([], 95), undefined);
    assert.equal(percentile([7], 50), 7);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 95), 95);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([1, 2, 3, 4], 95), 4);
  });

  test('the last version any probe reported', () => {
    const r = rounds('WP');
    (r[1]?.probes[0] as ProbeResult).observedVersion = 'new5678';
    assert.equal(lastObservedVersion(r), 'new5678');
    assert.equal(lastObservedVersion(rounds('PP')), undefined);
  });
});
