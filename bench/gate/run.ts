// health-gate benchmark: (1) per-probe overhead beyond the endpoint's own latency (target ≤ 5 ms),
// (2) time from a service dying to the gate's verdict (the committed bundle, run as the runner runs it).
// Prints numbers; no pass/fail on time.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from '../../actions/health-gate/src/decide.js';
import { parseCondition, parseExpectStatus, probeUrl } from '../../actions/health-gate/src/probe.js';
import { startAction } from '../../test/harness/run-action.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const BODY = JSON.stringify({ status: 'healthy', version: SHA, checks: { database: { status: 'ok' } } });

type Mode = 'healthy' | 'refuse' | '503' | 'hang';

/** A /health endpoint that reports how long it spent on each request (its own latency). */
async function endpoint(delayMs: number) {
  const own: number[] = [];
  let mode: Mode = 'healthy';
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    req.resume();
    req.on('end', () => {
      if (mode === 'hang') return;
      setTimeout(() => {
        if (mode === '503') {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"down"}');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
        }
        own.push(performance.now() - t0);
      }, delayMs);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  return {
    url,
    own,
    setMode(m: Mode) {
      mode = m;
      if (m === 'refuse') {
        server.close();
        for (const s of sockets) s.destroy();
      }
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
        if (!server.listening) r();
      }),
  };
}

const fmt = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));

async function overhead(delayMs: number, n: number) {
  const ep = await endpoint(delayMs);
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

async function deathToVerdict(
  mode: Exclude<Mode, 'healthy'>,
  intervalMs: number,
  timeoutMs: number,
  threshold: number,
) {
  const ep = await endpoint(0);
  const run = startAction('health-gate', {
    inputs: {
      url: ep.url,
      'expect-json': 'status=healthy',
      interval: `${intervalMs}ms`,
      timeout: `${timeoutMs}ms`,
      'success-threshold': 100_000,
      'failure-threshold': threshold,
      deadline: '60s',
    },
    timeoutMs: 60_000,
  });
  // Let it pass for a while, then kill the service.
  await new Promise((r) => setTimeout(r, 1500));
  const died = performance.now();
  ep.setMode(mode);
  const result = await run.result;
  const verdictMs = performance.now() - died;
  await ep.stop();
  return {
    verdictMs,
    result: result.outputs.result,
    errors: result.outputs.errors,
    failures: result.outputs.failures,
  };
}

console.log('health-gate benchmark (Node %s)\n', process.versions.node);
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

console.log(
  '2) time from the service dying to the verdict (bundle in a Node 24 child; includes report + process exit)',
);
console.log(
  '   death          | interval | timeout | failure-threshold | bound ms | verdict after ms | result',
);
const cases: Array<[Exclude<Mode, 'healthy'>, number, number, number]> = [
  ['refuse', 200, 1000, 3],
  ['503', 200, 1000, 3],
  ['hang', 200, 500, 3],
];
for (const [mode, interval, timeout, threshold] of cases) {
  const r = await deathToVerdict(mode, interval, timeout, threshold);
  // Worst case: the death lands just after a round started, then `threshold` failing rounds.
  const bound = threshold * Math.max(interval, mode === 'hang' ? timeout : 0) + interval;
  console.log(
    `   ${mode.padEnd(14)} | ${String(interval).padStart(5)} ms | ${String(timeout).padStart(4)} ms | ${String(threshold).padStart(17)} | ${String(bound).padStart(8)} | ${r.verdictMs.toFixed(0).padStart(16)} | ${r.result} (failures ${r.failures}, errors ${r.errors})`,
  );
}
