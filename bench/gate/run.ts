import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULTS } from '../../actions/health-gate/src/config.js';
import {
  type GateDecision,
  type GatePolicy,
  HealthGate,
  type Outcome,
  type ProbeResult,
  type Round,
} from '../../actions/health-gate/src/decide.js';
import { parseCondition, parseExpectStatus, probeUrl } from '../../actions/health-gate/src/probe.js';
import { percentile } from '../../actions/health-gate/src/stats.js';
import * as old from '../../test/actions/health-gate/reference-gate.js';
import { startAction } from '../../test/harness/run-action.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const BODY = JSON.stringify({ status: 'healthy', version: SHA, checks: { database: { status: 'ok' } } });
const TRIALS = Number(process.env.TRIALS ?? 20);
const ONLY_ANALYSIS = process.argv.includes('--analysis');

/** What the endpoint does with request n (1-based): answer healthy, 503, or drop the connection. */
type Behaviour = (n: number) => 'ok' | '503' | 'drop';

/** A /health endpoint that reports how long it spent on each request (its own latency). */
async function endpoint(behaviour: Behaviour, delayMs = 0) {
  const own: number[] = [];
  let n = 0;
  /** When the first request came, and the first bad answer went out. */
  const seen: { firstAt?: number; firstBadAt?: number } = {};
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    req.resume();
    req.on('end', () => {
      const what = behaviour(++n);
      seen.firstAt ??= performance.now();
      if (what !== 'ok') seen.firstBadAt ??= performance.now();
      if (what === 'drop') {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        if (what === '503')
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"down"}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
        own.push(performance.now() - started);
      }, delayMs);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
    own,
    seen,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '–' : n.toFixed(digits));

async function overhead(delayMs: number, n: number) {
  const ep = await endpoint(() => 'ok', delayMs);
  const exp = {
    statuses: parseExpectStatus('200', 'x'),
    conditions: ['status=healthy', 'checks.database.status=ok'].map((c) => parseCondition(c, 'x')),
    expectVersion: SHA,
    versionPath: 'version',
  };
  const extra: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const before = ep.own.length;
    const t0 = performance.now();
    const p = await probeUrl(ep.url, exp, { timeoutMs: 5000, headers: { authorization: 'Bearer bench' } });
    const wall = performance.now() - t0;
    if (p.outcome !== 'pass') throw new Error(`probe failed: ${p.detail}`);
    // The first 20 warm the JIT and the connection pool.
    if (i >= 20) extra.push(wall - (ep.own[before] ?? 0));
  }
  await ep.stop();
  return extra;
}

console.log('health-gate benchmark (Node %s)\n', process.versions.node);
if (!ONLY_ANALYSIS) {
  console.log(
    "1) per-probe overhead beyond the endpoint's own latency (keep-alive, JSON conditions + version check)",
  );
  console.log('   endpoint delay | probes | overhead p50 ms | p95 ms | p99 ms | max ms');
  for (const delay of [0, 20]) {
    const n = delay === 0 ? 500 : 150;
    const o = await overhead(delay, n);
    console.log(
      `   ${String(delay).padStart(11)} ms | ${String(n).padStart(6)} | ${fmt(percentile(o, 50)).padStart(15)} | ${fmt(percentile(o, 95)).padStart(6)} | ${fmt(percentile(o, 99)).padStart(6)} | ${fmt(Math.max(...o)).padStart(6)}`,
    );
  }
  console.log('   target: ≤ 5 ms per probe\n');
}

// The production defaults (5 s interval, 2 m bake = 24 rounds) scaled to a 100 ms interval.
const INTERVAL_MS = 100;
const BAKE_MS = 2400;

interface Scenario {
  name: string;
  expected: 'healthy' | 'unhealthy';
  behaviour: () => Behaviour;
  /** The clock for time-to-verdict starts at the first request (a bad release) or the first bad answer. */
  clock: 'first request' | 'first bad answer';
}
const random =
  (p: number): Behaviour =>
  () =>
    Math.random() < p ? '503' : 'ok';
const scenarios: Scenario[] = [
  { name: 'dead (503)', expected: 'unhealthy', behaviour: () => () => '503', clock: 'first request' },
  { name: 'flapping (50% 503)', expected: 'unhealthy', behaviour: () => random(0.5), clock: 'first request' },
  {
    name: 'noisy (3% 503, 2% drops)',
    expected: 'healthy',
    behaviour: () => () => {
      const x = Math.random();
      return x < 0.03 ? '503' : x < 0.05 ? 'drop' : 'ok';
    },
    clock: 'first request',
  },
  {
    // 3 rounds of streak, 7 of bake, then dead.
    name: 'slow-burn (dies in bake)',
    expected: 'unhealthy',
    behaviour: () => (n) => (n <= 10 ? 'ok' : '503'),
    clock: 'first bad answer',
  },
];

async function trial(s: Scenario) {
  const ep = await endpoint(s.behaviour());
  const run = startAction('health-gate', {
    inputs: {
      url: ep.url,
      'expect-json': 'status=healthy',
      interval: `${INTERVAL_MS}ms`,
      timeout: '1s',
      'bake-time': `${BAKE_MS}ms`,
      deadline: '60s',
    },
    timeoutMs: 90_000,
  });
  const result = await run.result;
  const ended = performance.now();
  await ep.stop();
  const from = s.clock === 'first request' ? ep.seen.firstAt : ep.seen.firstBadAt;
  return {
    result: result.outputs.result ?? `exit ${result.exitCode}`,
    rounds: Number(result.outputs.probes ?? 0),
    // Until the process ended: the report and the exit are in it, the process start is not.
    verdictMs: from === undefined ? Number.NaN : ended - from,
    limit: /above (\S+)/.exec(result.outputs.reason ?? '')?.[1] ?? '–',
  };
}

if (!ONLY_ANALYSIS) {
  console.log(
    `2) the bundle with the default limits (success-threshold ${DEFAULTS.successThreshold}, failure-limit ${DEFAULTS.failureLimit}, consecutive-error-limit ${DEFAULTS.consecutiveErrorLimit}, bake-time ${DEFAULTS.bakeTime} = 24 rounds) at a ${INTERVAL_MS} ms interval (bake ${BAKE_MS} ms), ${TRIALS} trials each`,
  );
  console.log(
    '   scenario                 | expected  | false verdicts | rounds to verdict p50 / max | ms from going bad to the exit p50 / max | deciding limit',
  );
  for (const s of scenarios) {
    const runs = [];
    for (let i = 0; i < TRIALS; i++) runs.push(await trial(s));
    const wrong = runs.filter((r) => r.result !== s.expected);
    const rounds = runs.map((r) => r.rounds);
    const ms = runs.map((r) => r.verdictMs);
    const limits = [...new Set(runs.map((r) => r.limit))].join(', ');
    console.log(
      `   ${s.name.padEnd(24)} | ${s.expected.padEnd(9)} | ${`${wrong.length} of ${TRIALS}`.padStart(14)} | ${`${percentile(rounds, 50)} / ${Math.max(...rounds)}`.padStart(27)} | ${`${fmt(percentile(ms, 50), 0)} / ${fmt(Math.max(...ms), 0)}`.padStart(38)} | ${limits}${wrong.length ? ` (wrong: ${wrong.map((w) => w.result).join(', ')})` : ''}`,
    );
  }
  console.log(
    '   ms: from the first request (dead, flapping, noisy) or the first bad answer (slow-burn) to the process exit, report included.\n',
  );
}
// 3) the decision alone (HealthGate), one URL check, at the production scale.
const policy: GatePolicy = {
  successThreshold: DEFAULTS.successThreshold,
  failureLimit: DEFAULTS.failureLimit,
  consecutiveErrorLimit: DEFAULTS.consecutiveErrorLimit,
  inconclusiveLimit: DEFAULTS.inconclusiveLimit,
  bakeMs: 120_000,
  deadlineMs: 300_000,
};
function simulate(outcomeAt: (round: number) => Outcome, p: GatePolicy) {
  const gate = new HealthGate(p);
  for (let i = 0; ; i++) {
    const outcome = outcomeAt(i);
    gate.add({
      index: i + 1,
      startedAtMs: i * 5000,
      endedAtMs: i * 5000 + 20,
      probes: [
        {
          target: 'u',
          kind: 'url',
          outcome,
          latencyMs: 10,
          answered: outcome !== 'error',
          detail: outcome,
        },
      ],
    });
    const d = gate.decide(i * 5000 + 20 >= p.deadlineMs ? p.deadlineMs : undefined);
    if (d.verdict !== 'undecided') return { verdict: d.verdict, rounds: i + 1 };
  }
}
const N = 10_000;
const bernoulli =
  (pFail: number, pError = 0) =>
  (): Outcome => {
    const x = Math.random();
    return x < pFail ? 'fail' : x < pFail + pError ? 'error' : 'pass';
  };
const sims: Array<[string, 'healthy' | 'unhealthy', () => (round: number) => Outcome, number]> = [
  ['dead (every answer wrong)', 'unhealthy', () => () => 'fail', 0],
  ['refusing (no answers)', 'unhealthy', () => () => 'error', 0],
  ['flapping (50% wrong)', 'unhealthy', () => bernoulli(0.5), 0],
  ['a third wrong', 'unhealthy', () => bernoulli(1 / 3), 0],
  ['noisy (3% wrong, 2% errors)', 'healthy', () => bernoulli(0.03, 0.02), 0],
  ['noisy (5% wrong)', 'healthy', () => bernoulli(0.05), 0],
  ['slow-burn (dead from round 10)', 'unhealthy', () => (i) => (i < 9 ? 'pass' : 'fail'), 9],
];
if (!ONLY_ANALYSIS) {
  console.log(
    `3) the decision alone at 5 s intervals with a 2 m bake (production defaults), ${N} simulated gates each`,
  );
  console.log(
    '   scenario                        | expected  | false verdicts | mean s from going bad to verdict | max s',
  );
  for (const [name, expected, make, badFromRound] of sims) {
    let wrong = 0;
    const secs: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = simulate(make(), policy);
      if (r.verdict !== expected) wrong++;
      secs.push((r.rounds - badFromRound) * 5);
    }
    const mean = secs.reduce((a, b) => a + b, 0) / secs.length;
    console.log(
      `   ${name.padEnd(31)} | ${expected.padEnd(9)} | ${`${wrong} (${((100 * wrong) / N).toFixed(2)}%)`.padStart(14)} | ${mean.toFixed(0).padStart(32)} | ${Math.max(...secs)}`,
    );
  }
}

// 4) The analysis alone over a long gate: ROUNDS rounds of 3 URLs that all pass, an SLO (so the p95 is
// measured every round) and a bake longer than the gate, so no round decides. Each round is analysed
// the way main() does it: before, `analyse` for the Sentry question and `decideGate`, each replaying
// every round so far; after, `countProbes` + `judgeRound` + `decide` on one HealthGate. Then the
// report's and the outputs' numbers. CPU time is the process's user + system time.
const ROUNDS = 2000;
const URLS = ['https://svc/health', 'https://svc/ready', 'https://svc/api/projects'];
const longGate: GatePolicy = {
  ...policy,
  maxP95Ms: 10_000,
  bakeMs: ROUNDS * 10_000,
  deadlineMs: ROUNDS * 20_000,
};

/** The same rounds for both: seeded latencies from 5 to 205 ms. */
function longRounds(): Round[] {
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: ROUNDS }, (_, i) => ({
    index: i + 1,
    startedAtMs: i * 5000,
    endedAtMs: i * 5000 + 250,
    probes: URLS.map(
      (target): ProbeResult => ({
        target,
        kind: 'url',
        outcome: 'pass',
        status: 200,
        latencyMs: 5 + next() * 200,
        answered: true,
        detail: 'answered 200',
      }),
    ),
  }));
}

interface AnalysisRun {
  decision: GateDecision;
  outputs: unknown;
}

function cpu<T>(run: () => T): { result: T; cpuMs: number; wallMs: number } {
  const wall = performance.now();
  const before = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

function after(rounds: readonly Round[]): AnalysisRun {
  const gate = new HealthGate(longGate);
  let decision: GateDecision = { verdict: 'undecided', reason: 'Still probing.' };
  for (const round of rounds) {
    gate.countProbes(round);
    gate.judgeRound(round);
    decision = gate.decide(round.endedAtMs);
  }
  const slo = gate.tally.slo.values();
  return {
    decision,
    outputs: { ...gate.tally.totals(), ...slo, stats: gate.tally.targetStats() },
  };
}

console.log(
  `\n4) the analysis alone: ${ROUNDS} rounds × ${URLS.length} URLs, every probe passing, SLO measured every round, no decision (a bake longer than the gate), analysed as main() does`,
);
console.log('   version                                   | CPU ms | wall ms | CPU µs per round');
const rounds = longRounds();
const beforeRun = cpu((): AnalysisRun => {
  const soFar: Round[] = [];
  let decision: GateDecision = { verdict: 'undecided', reason: 'Still probing.' };
  for (const round of rounds) {
    soFar.push(round);
    old.analyse(soFar, longGate);
    decision = old.decideGate(soFar, longGate, round.endedAtMs);
  }
  const latencies: number[] = old.sloLatencies(soFar);
  const all = soFar.flatMap((r) => r.probes);
  return {
    decision,
    outputs: {
      probes: all.length,
      passes: all.filter((p) => p.outcome === 'pass').length,
      failures: all.filter((p) => p.outcome === 'fail').length,
      errors: all.filter((p) => p.outcome === 'error').length,
      p50: old.percentile(latencies, 50),
      p95: old.percentile(latencies, 95),
      p99: old.percentile(latencies, 99),
      stats: old.targetStats(soFar),
    },
  };
});
const afterRun = cpu(() => after(rounds));
const row = (name: string, r: { cpuMs: number; wallMs: number }) =>
  console.log(
    `   ${name.padEnd(41)} | ${r.cpuMs.toFixed(0).padStart(6)} | ${r.wallMs.toFixed(0).padStart(7)} | ${((r.cpuMs * 1000) / ROUNDS).toFixed(1).padStart(16)}`,
  );
row('before: from-scratch replay (25fcba5)', beforeRun);
row('after: HealthGate (incremental)', afterRun);
{
  const same = JSON.stringify(beforeRun.result) === JSON.stringify(afterRun.result);
  console.log(
    `   ${(beforeRun.cpuMs / afterRun.cpuMs).toFixed(0)}× less CPU; the same decision and outputs: ${same ? 'yes' : 'NO'}`,
  );
  if (!same) process.exitCode = 1;
}
