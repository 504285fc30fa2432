/**
 * `npm run bench:service`: the service as its own process on a fresh PostgreSQL database, a project
 * with 10,000 decisions, then autocannon at a fixed 200 req/s for 20 s each on GET /api/health and
 * GET /api/projects/:id/decisions. Prints p50/p95/p99 latency, throughput, errors and the server's
 * peak RSS. Numbers only: no pass/fail (targets: p95 < 50 ms, RSS < 150 MB on a 2-core machine).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../test/harness/net.js';

// autocannon ships no types: the part we use, typed here.
interface AutocannonResult {
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type AutocannonInstance = PromiseLike<AutocannonResult> & {
  on(
    event: 'response',
    fn: (client: unknown, status: number, bytes: number, responseTime: number) => void,
  ): void;
};
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: {
  url: string;
  headers: Record<string, string>;
  overallRate: number;
  duration: number;
  connections: number;
}) => AutocannonInstance;

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RATE = 200;
const DURATION_S = 20;
const DECISIONS = 10_000;
const root = join(import.meta.dirname, '..', '..');

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function load(name: string, url: string, headers: Record<string, string>, pid: number) {
  const latencies: number[] = [];
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 250);
  const instance = autocannon({ url, headers, overallRate: RATE, duration: DURATION_S, connections: 10 });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  return {
    endpoint: name,
    requests: result.requests.total,
    'req/s': Math.round(result.requests.average),
    'non-2xx': result.non2xx,
    errors: result.errors + result.timeouts,
    'p50 ms': percentile(latencies, 50).toFixed(1),
    'p95 ms': percentile(latencies, 95).toFixed(1),
    'p99 ms': percentile(latencies, 99).toFixed(1),
    'max ms': (latencies.at(-1) ?? Number.NaN).toFixed(1),
    'peak RSS MB': peakRss.toFixed(0),
  };
}

async function main() {
  const dbName = `bench_svc_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    // Production shape by default: the ncc bundle Railway runs (`--tsx` measures `npm start` instead).
    const useTsx = process.argv.includes('--tsx');
    const bundleDir = join(root, 'service', 'dist');
    if (!useTsx) {
      execFileSync(process.execPath, [join(root, 'scripts', 'build-service.mjs'), '--out', bundleDir], {
        stdio: 'inherit',
      });
    }
    const command = useTsx
      ? [join(root, 'scripts', 'start-service.mjs')]
      : ['--import', './instrument/index.js', 'server/index.js'];
    const started = Date.now();
    child = spawn(process.execPath, command, {
      cwd: useTsx ? root : bundleDir,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl.href,
        MIGRATE_ON_BOOT: 'true',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        JWT_SECRET_KEY: randomBytes(32).toString('hex'),
        ENVIRONMENT: 'bench',
        // One client sends 200 req/s: above the default per-client limit, which stays active (and
        // measured) at this ceiling.
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let up = false; !up; ) {
      if (Date.now() - started > 60_000 || child.exitCode !== null)
        throw new Error('the service did not start');
      up = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 200));
    }
    const bootMs = Date.now() - started;

    const account = JSON.stringify({ email: 'bench@example.com', password: 'bench-password-123' });
    const json = { 'content-type': 'application/json' };
    await fetch(`${base}/api/auth/register`, { method: 'POST', headers: json, body: account });
    const signedIn = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: json, body: account });
    const { access_token } = (await signedIn.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}` };
    const project = (await (
      await fetch(`${base}/api/projects`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench' }),
      })
    ).json()) as { id: string };
    const db = new pg.Client({ connectionString: dbUrl.href });
    await db.connect();
    await db.query(
      `INSERT INTO decisions (project_id, title, rationale, owner, confidence, created_at)
       SELECT $1, 'Decision ' || g || ' about ' || (ARRAY['pricing','hiring','launch','infra','security'])[1 + g % 5],
              'Because option ' || g || ' was cheaper and faster to ship', 'Owner ' || (g % 17), 0.8,
              now() - g * interval '1 minute'
         FROM generate_series(1, $2::int) g`,
      [project.id, DECISIONS],
    );
    await db.query('ANALYZE decisions');
    await db.end();

    const rows = [
      await load('GET /api/health', `${base}/api/health`, {}, child.pid!),
      await load(
        `GET /api/projects/:id/decisions (${DECISIONS.toLocaleString('en')} rows, limit 20)`,
        `${base}/api/projects/${project.id}/decisions?limit=20`,
        auth,
        child.pid!,
      ),
    ];
    console.log(
      `\nDecisionLog service — ${RATE} req/s for ${DURATION_S} s per endpoint, Node ${process.versions.node}, boot ${bootMs} ms (${process.argv.includes('--tsx') ? 'tsx' : 'ncc bundle'}, migrations included)`,
    );
    console.table(rows);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
