import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  analyse,
  assessCheck,
  type CheckResult,
  decideGate,
  type GatePolicy,
  isWorse,
  lastObservedVersion,
  limitsFor,
  newCheck,
  type Outcome,
  type ProbeResult,
  type Round,
  recordMeasurement,
  roundOutcome,
  sloLatencies,
} from '../../../actions/health-gate/src/decide.js';
import { percentile } from '../../../actions/health-gate/src/stats.js';

/** The action's defaults, without a bake unless a test adds one. */
const policy: GatePolicy = {
  successThreshold: 3,
  failureLimit: 4,
  consecutiveErrorLimit: 2,
  inconclusiveLimit: 4,
  bakeMs: 0,
  deadlineMs: 100_000,
};

function probe(outcome: Outcome, extra: Partial<ProbeResult> = {}): ProbeResult {
  const details: Record<Outcome, string> = {
    pass: 'answered 200',
    fail: 'answered 503, expected 200',
    error: 'gave no answer: connection refused (ECONNREFUSED)',
    pending: 'answered healthy from version old1234, waiting for new5678',
    inconclusive: 'answered 429 (rate limited): neither a pass nor a failure',
  };
  return {
    target: 'http://svc/health',
    kind: 'url',
    outcome,
    latencyMs: 10,
    answered: outcome !== 'error',
    status:
      outcome === 'error' ? undefined : outcome === 'fail' ? 503 : outcome === 'inconclusive' ? 429 : 200,
    detail: details[outcome],
    observedVersion: outcome === 'pending' ? 'old1234' : undefined,
    ...extra,
  };
}

const CODES: Record<string, Outcome> = { P: 'pass', F: 'fail', E: 'error', W: 'pending', I: 'inconclusive' };

/** `P` pass, `F` fail, `E` error, `W` pending (another version), `I` inconclusive; one round each, 1 s apart. */
function rounds(pattern: string, extra: Partial<ProbeResult> = {}): Round[] {
  return [...pattern].map((c, i) => ({
    index: i + 1,
    startedAtMs: i * 1000,
    endedAtMs: i * 1000 + 50,
    probes: [probe(CODES[c] as Outcome, extra)],
  }));
}

/** Two checks per round: the URL (first pattern) and the smoke journey (second). */
function twoChecks(url: string, smoke: string): Round[] {
  return rounds(url).map((r, i) => ({
    ...r,
    probes: [
      ...r.probes,
      probe(CODES[smoke[i] as string] as Outcome, { kind: 'smoke', target: 'smoke journey' }),
    ],
  }));
}

/** Every sequence of `n` measurements over the given letters. */
function* sequences(letters: string, n: number): Generator<string> {
  if (n === 0) {
    yield '';
    return;
  }
  for (const rest of sequences(letters, n - 1)) for (const c of letters) yield rest + c;
}

describe('recordMeasurement: Argo MetricResult counters', () => {
  const counted = (pattern: string): CheckResult =>
    [...pattern].reduce(
      (c, ch, i) => recordMeasurement(c, CODES[ch] as Outcome, ch, i + 1, 3),
      newCheck('x', 'url'),
    );

  test('each outcome has its counter; errors are never failures', () => {
    const c = counted('PFEIWPE');
    assert.deepEqual([c.successful, c.failed, c.error, c.inconclusive, c.pending], [2, 1, 2, 1, 1]);
  });

  test('consecutive successes reset on anything else; consecutive errors only on an answer', () => {
    assert.equal(counted('PPFPP').consecutiveSuccess, 2);
    assert.equal(counted('PPEP').consecutiveSuccess, 1);
    assert.equal(counted('PPWP').consecutiveSuccess, 1, 'pending (another version) breaks the streak');
    assert.equal(counted('EEP').consecutiveError, 0);
    assert.equal(counted('EEF').consecutiveError, 0);
    assert.equal(counted('EEI').consecutiveError, 0);
    assert.equal(
      counted('EEWE').consecutiveError,
      3,
      'pending is no answer of the new version: the run goes on',
    );
  });

  test('the round that completes the streak is remembered and never forgotten', () => {
    assert.equal(counted('FPPP').succeededInRound, 4);
    assert.equal(counted('FPPPFFF').succeededInRound, 4);
    assert.equal(counted('PPFPP').succeededInRound, undefined);
    assert.equal(counted('PPFPPP').bestStreak, 3);
  });
});

describe('assessCheck: each limit its own test (Argo assessMetricFailureInconclusiveOrError)', () => {
  const limits = limitsFor('url', policy);
  const phaseOf = (pattern: string) =>
    assessCheck(
      [...pattern].reduce(
        (c, ch, i) => recordMeasurement(c, CODES[ch] as Outcome, ch, i + 1, 3),
        newCheck('x', 'url'),
      ),
      limits,
    );

  test('exhaustively over every sequence of 7 measurements, the phase follows the counters', () => {
    let seen = 0;
    for (const seq of sequences('PFEIW', 7)) {
      const count = (ch: string) => [...seq].filter((c) => c === ch).length;
      let errorsInARow = 0;
      let streak = 0;
      let succeeded = false;
      for (const ch of seq) {
        if (ch === 'E') errorsInARow++;
        else if (ch !== 'W') errorsInARow = 0;
        streak = ch === 'P' ? streak + 1 : 0;
        if (streak >= 3) succeeded = true;
      }
      const expected =
        count('F') > 4
          ? 'failed'
          : errorsInARow > 2
            ? 'error'
            : count('I') > 4
              ? 'inconclusive'
              : succeeded
                ? 'successful'
                : 'running';
      assert.equal(phaseOf(seq).phase, expected, seq);
      seen++;
    }
    assert.equal(seen, 5 ** 7);
  });

  test('failures are cumulative (Argo failureLimit), not a streak', () => {
    assert.deepEqual(phaseOf('FPFPFPFPF'), { phase: 'failed', limit: 'failure-limit' });
    assert.equal(phaseOf('FPFPFPFP').phase, 'running');
  });

  test('errors count in a row (Argo consecutiveErrorLimit); spread out they never decide', () => {
    assert.deepEqual(phaseOf('EEE'), { phase: 'error', limit: 'consecutive-error-limit' });
    assert.equal(phaseOf('EEPEEPEEPEE').phase, 'running');
  });

  test('the worst crossed limit names the phase: failed before error before inconclusive', () => {
    const c = { ...newCheck('x', 'url'), failed: 5, consecutiveError: 3, inconclusive: 5 };
    assert.equal(assessCheck(c, limits).limit, 'failure-limit');
    assert.equal(assessCheck({ ...c, failed: 0 }, limits).limit, 'consecutive-error-limit');
    assert.equal(assessCheck({ ...c, failed: 0, consecutiveError: 0 }, limits).limit, 'inconclusive-limit');
  });

  test('the SLO and Sentry are aggregates: one success succeeds, one failure fails', () => {
    assert.deepEqual(limitsFor('slo', policy), { ...policy, successThreshold: 1, failureLimit: 0 });
    const sentry = recordMeasurement(newCheck('Sentry', 'sentry'), 'fail', 'shows 1 new issue', 1, 1);
    assert.deepEqual(assessCheck(sentry, limitsFor('sentry', policy)), {
      phase: 'failed',
      limit: 'max-new-issues',
    });
  });

  test('phases order as Argo orders them', () => {
    assert.ok(isWorse('successful', 'running'));
    assert.ok(isWorse('running', 'inconclusive'));
    assert.ok(isWorse('inconclusive', 'error'));
    assert.ok(isWorse('error', 'failed'));
    assert.ok(!isWorse('failed', 'error'));
  });
});

describe('roundOutcome', () => {
  test('a failure anywhere fails the round, then an error, inconclusive, pending; all passes pass', () => {
    assert.equal(roundOutcome([probe('pass'), probe('fail'), probe('error')]), 'fail');
    assert.equal(roundOutcome([probe('pass'), probe('error'), probe('pending')]), 'error');
    assert.equal(roundOutcome([probe('pass'), probe('inconclusive'), probe('pending')]), 'inconclusive');
    assert.equal(roundOutcome([probe('pass'), probe('pending')]), 'pending');
    assert.equal(roundOutcome([probe('pass'), probe('pass')]), 'pass');
    assert.equal(roundOutcome([]), 'error');
  });
});

describe('decideGate', () => {
  test('no rounds before the deadline is undecided', () => {
    assert.equal(decideGate([], policy, 0).verdict, 'undecided');
  });

  test('success-threshold consecutive passes is healthy without a bake, one fewer is undecided', () => {
    assert.equal(decideGate(rounds('PP'), policy).verdict, 'undecided');
    const d = decideGate(rounds('PPP'), policy);
    assert.equal(d.verdict, 'healthy');
    assert.equal(d.reason, 'Every check passed 3 times in a row (success-threshold); p95 10 ms.');
  });

  test('a flapping release (every other round failing) is unhealthy at its 5th failure, not inconclusive at the deadline', () => {
    const d = decideGate(rounds('FPFPFPFPF'), policy);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.check, 'http://svc/health');
    assert.equal(d.limit, 'failure-limit');
    assert.equal(
      d.reason,
      'http://svc/health failed 5 of 9 measurements, above failure-limit 4 (last: answered 503, expected 200).',
    );
    assert.equal(decideGate(rounds('FPFPFPFP'), policy).verdict, 'undecided');
  });

  test('a dead service (503) is unhealthy after failure-limit + 1 rounds', () => {
    assert.equal(decideGate(rounds('FFFF'), policy).verdict, 'undecided');
    assert.equal(decideGate(rounds('FFFFF'), policy).verdict, 'unhealthy');
  });

  test('a refusing service is unhealthy after consecutive-error-limit + 1 errors, and the reason says no answer came', () => {
    const d = decideGate(rounds('EEE'), policy);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.limit, 'consecutive-error-limit');
    assert.match(
      d.reason,
      /^http:\/\/svc\/health got no answer 3 times in a row, above consecutive-error-limit 2 \(last: gave no answer: connection refused/,
    );
  });

  test('errors stay apart from failures: 2 errors and 4 failures decide nothing', () => {
    const d = decideGate(rounds('EEFFFF'), policy);
    assert.equal(d.verdict, 'undecided');
    assert.deepEqual(
      [d.checks?.[0]?.error, d.checks?.[0]?.failed, d.checks?.[0]?.consecutiveError],
      [2, 4, 0],
    );
  });

  test('inconclusive answers (429) over inconclusive-limit make the result inconclusive', () => {
    const d = decideGate(rounds('IIPIIPI'), policy);
    assert.equal(d.verdict, 'inconclusive');
    assert.equal(d.limit, 'inconclusive-limit');
    assert.match(d.reason, /was inconclusive 5 times, above inconclusive-limit 4 \(last: answered 429/);
  });

  test('custom limits are honoured', () => {
    const p = { ...policy, successThreshold: 1, failureLimit: 0, consecutiveErrorLimit: 0 };
    assert.equal(decideGate(rounds('P'), p).verdict, 'healthy');
    assert.equal(decideGate(rounds('F'), p).verdict, 'unhealthy');
    assert.equal(decideGate(rounds('E'), p).verdict, 'unhealthy');
  });

  test('decides at the first round that settles it, ignoring later rounds', () => {
    assert.equal(decideGate(rounds('FFFFFPPP'), policy).verdict, 'unhealthy');
    assert.equal(decideGate(rounds('PPPFFFFF'), policy).verdict, 'healthy');
  });

  test('the worst check decides: a failing smoke journey beats a URL with errors; each check keeps its own counters', () => {
    const d = decideGate(twoChecks('EEPEEP', 'FFFFFP'), policy);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.check, 'smoke journey');
    assert.deepEqual(
      d.checks?.map((c) => [c.name, c.phase, c.successful, c.failed, c.error]),
      [
        ['http://svc/health', 'running', 1, 0, 4],
        ['smoke journey', 'failed', 0, 5, 0],
      ],
    );
  });

  test('each check latches its own streak (Argo: a completed metric stays completed)', () => {
    // The URL completes its streak in round 3, the journey in round 6: healthy then, the URL's later
    // failure counted but within failure-limit.
    assert.equal(decideGate(twoChecks('PPPPP', 'FPFPP'), policy).verdict, 'undecided');
    const d = decideGate(twoChecks('PPPPPF', 'FPFPPP'), policy);
    assert.equal(d.verdict, 'healthy');
    assert.deepEqual(
      d.checks?.map((c) => [c.name, c.succeededInRound, c.failed]),
      [
        ['http://svc/health', 3, 1],
        ['smoke journey', 6, 2],
      ],
    );
  });

  test('bake-time: after every streak, measuring goes on; healthy only when the bake is over', () => {
    const baked = { ...policy, bakeMs: 3000 };
    // Streak completes at the end of round 3 (2050 ms); the bake ends at 5050 ms, the end of round 6.
    assert.equal(decideGate(rounds('PPPPP'), baked).verdict, 'undecided');
    const d = decideGate(rounds('PPPPPP'), baked);
    assert.equal(d.verdict, 'healthy');
    assert.match(d.reason, /and stayed within its limits for the 3\.0s bake-time/);
    assert.equal(analyse(rounds('PPPP'), baked).bakeStartMs, 2050);
  });

  test('slow burn: healthy through the streak, dead during the bake, unhealthy within failure-limit + 1 rounds', () => {
    const baked = { ...policy, bakeMs: 60_000 };
    const d = decideGate(rounds('PPPPPPFFFFF'), baked);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.limit, 'failure-limit');
    assert.equal(decideGate(rounds('PPPPPPEEE'), baked).limit, 'consecutive-error-limit');
  });

  test('failures before the streak count toward failure-limit during the bake (Argo counters are cumulative)', () => {
    const baked = { ...policy, bakeMs: 60_000 };
    assert.equal(decideGate(rounds('FFPPPPFF'), baked).verdict, 'undecided');
    assert.equal(decideGate(rounds('FFPPPPFFF'), baked).verdict, 'unhealthy');
  });

  test('pending (another version answering) is neither a pass nor a failure', () => {
    assert.equal(decideGate(rounds('WWWWWW'), policy).verdict, 'undecided');
    assert.equal(decideGate(rounds('WWPPP'), policy).verdict, 'healthy');
    assert.equal(decideGate(rounds('PPWPP'), policy).verdict, 'undecided');
    assert.equal(decideGate(rounds('FWFWFWFWF'), policy).verdict, 'unhealthy');
  });

  test('deadline with only another version answering: unhealthy, naming the version still serving', () => {
    const d = decideGate(rounds('WWW'), { ...policy, expectVersion: 'abc1234def' }, 100_000);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.limit, 'deadline');
    assert.match(
      d.reason,
      /^Version old1234 is still serving: abc1234def never answered before the deadline/,
    );
  });

  test('a rollback whose bad release still answers 200 is never healthy when the restored version is expected', () => {
    // The bad release reports its own version: every answer is pending, however healthy it looks.
    const bad = rounds('WWWWWWWWWW', { observedVersion: 'bad9999999' });
    assert.equal(decideGate(bad, { ...policy, expectVersion: 'good111111' }).verdict, 'undecided');
    assert.match(
      decideGate(bad, { ...policy, expectVersion: 'good111111' }, 100_000).reason,
      /^Version bad9999999 is still serving: good111111 never answered/,
    );
  });

  test('deadline with the old version answering without a version field says none was reported', () => {
    const d = decideGate(rounds('WW', { observedVersion: undefined }), policy, 100_000);
    assert.match(d.reason, /^Version \(none reported\) is still serving/);
  });

  test('deadline without a decision is inconclusive (fail closed) and names the check and how far it got', () => {
    const d = decideGate(rounds('PPFPPF'), policy, 100_000);
    assert.equal(d.verdict, 'inconclusive');
    assert.equal(d.limit, 'deadline');
    assert.equal(
      d.reason,
      'No decision by the deadline: http://svc/health reached 2 of 3 consecutive successes (success-threshold) with 2 failed, 0 errors, 0 inconclusive and 0 pending in 6 rounds; the service is flapping or too slow to decide.',
    );
  });

  test('the deadline passing during the bake is inconclusive and says so', () => {
    const d = decideGate(rounds('PPPPP'), { ...policy, bakeMs: 60_000 }, 100_000);
    assert.equal(d.verdict, 'inconclusive');
    assert.match(
      d.reason,
      /^The deadline passed 1m38s into the 1m00s bake-time, every check within its limits so far/,
    );
  });

  test('the deadline defaults to the end of the last round; before any probe it is inconclusive', () => {
    const late = rounds('FP').map((r) => ({ ...r, endedAtMs: r.endedAtMs + 99_000 }));
    assert.equal(decideGate(late, policy).verdict, 'inconclusive');
    assert.equal(decideGate(rounds('FP'), policy).verdict, 'undecided');
    assert.match(decideGate([], policy, 100_000).reason, /before the first probe/);
  });

  test('a streak that completes in the last round counts even at the deadline', () => {
    assert.equal(decideGate(rounds('PPP'), policy, 200_000).verdict, 'healthy');
  });

  test('latency SLO: measured once the streaks complete, p95 above max-p95-ms is unhealthy naming the SLO', () => {
    const slow = rounds('PPP', { latencyMs: 250 });
    const d = decideGate(slow, { ...policy, maxP95Ms: 200 });
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.check, 'latency SLO');
    assert.equal(d.limit, 'max-p95-ms');
    assert.equal(
      d.reason,
      'Latency SLO failed: p95 latency is 250 ms over 3 probes, above max-p95-ms 200 ms.',
    );
    assert.equal(decideGate(slow, { ...policy, maxP95Ms: 250 }).verdict, 'healthy');
  });

  test('latency SLO during the bake: latency that grows later fails it', () => {
    const r = rounds('PPPPPPPP');
    for (const round of r.slice(3)) (round.probes[0] as ProbeResult).latencyMs = 900;
    const d = decideGate(r, { ...policy, maxP95Ms: 200, bakeMs: 60_000 });
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(d.limit, 'max-p95-ms');
  });

  test('the SLO counts failing answers but not old-version answers or smoke journeys', () => {
    const r = rounds('WFPPP');
    (r[0]?.probes[0] as ProbeResult).latencyMs = 5000;
    (r[1]?.probes[0] as ProbeResult).latencyMs = 900;
    for (const round of r)
      round.probes.push(probe('pass', { kind: 'smoke', target: 'smoke journey', latencyMs: 4000 }));
    assert.deepEqual(sloLatencies(r), [900, 10, 10, 10]);
    assert.equal(decideGate(r, { ...policy, maxP95Ms: 500 }).verdict, 'unhealthy');
    assert.equal(decideGate(r, { ...policy, maxP95Ms: 900 }).verdict, 'healthy');
  });

  test('errors carry no latency into the SLO', () => {
    const r = rounds('EPPP', { latencyMs: 20 });
    (r[0]?.probes[0] as ProbeResult).latencyMs = 5000;
    assert.deepEqual(sloLatencies(r), [20, 20, 20]);
  });

  test('Sentry: healthy waits for its measurement; new issues above the budget are unhealthy', () => {
    const p = { ...policy, maxNewIssues: 1 };
    const r = rounds('PPP');
    assert.equal(decideGate(r, p).verdict, 'undecided', 'no Sentry measurement yet');
    assert.equal(analyse(r, p).perRoundSucceeded, true, 'Sentry is due');
    (r[2] as Round).sentry = { outcome: 'pass', detail: 'shows 0 new issues first seen in release r1' };
    assert.equal(decideGate(r, p).verdict, 'healthy');
    (r[2] as Round).sentry = { outcome: 'fail', detail: 'shows 2 new issues first seen in release r1' };
    const d = decideGate(r, p);
    assert.equal(d.verdict, 'unhealthy');
    assert.equal(
      d.reason,
      'The probes passed but Sentry shows 2 new issues first seen in release r1, above max-new-issues 1.',
    );
  });

  test('Sentry that cannot be asked: inconclusive after consecutive-error-limit + 1 errors, naming Sentry', () => {
    const p = { ...policy, maxNewIssues: 0 };
    const r = rounds('PPPPP');
    for (const round of r.slice(2)) round.sentry = { outcome: 'error', detail: 'Sentry rejected the token.' };
    const d = decideGate(r, p);
    assert.equal(d.verdict, 'inconclusive');
    assert.equal(d.check, 'Sentry');
    assert.equal(
      d.reason,
      'Sentry could not be queried 3 times in a row, above consecutive-error-limit 2: Sentry rejected the token.',
    );
    assert.equal(decideGate(r.slice(0, 4), p).verdict, 'undecided');
  });

  test('with several URLs each is its own check', () => {
    const r = rounds('PPP');
    for (const round of r) round.probes.push(probe('fail', { target: 'http://svc/ready' }));
    const d = decideGate(r, policy);
    assert.equal(d.verdict, 'undecided');
    assert.deepEqual(
      d.checks?.map((c) => [c.name, c.phase]),
      [
        ['http://svc/health', 'successful'],
        ['http://svc/ready', 'running'],
      ],
    );
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
