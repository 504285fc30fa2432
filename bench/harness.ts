/**
 * Shared by the service benchmarks: a fresh database, the service as its own process (the ncc
 * bundle Railway runs, or `npm start` with --tsx), a registered user with a project, and autocannon at
 * a fixed rate with p50/p95/p99 latencies, the server's peak RSS and its CPU time per request.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../test/harness/net.js';

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

export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = join(import.meta.dirname, '..');

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) the process has used so far, in ms (/proc/<pid>/stat, 100 ticks/s on Linux). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** autocannon at `rate` req/s for `durationS` against one URL. */
export async function load(
  name: string,
  url: string,
  headers: Record<string, string>,
  pid: number,
  rate: number,
  durationS: number,
) {
  const latencies: number[] = [];
  let peakRss = rssMb(pid);
  const cpuBefore = cpuMs(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 250);
  const instance = autocannon({ url, headers, overallRate: rate, duration: durationS, connections: 10 });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  clearInterval(sampler);
  const cpuPerRequest = (cpuMs(pid) - cpuBefore) / Math.max(1, result.requests.total);
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
    // The server's own CPU per request: steadier than latency on a shared machine.
    'CPU ms/req': cpuPerRequest.toFixed(2),
  };
}

export interface BenchService {
  base: string;
  pid: number;
  dbUrl: string;
  auth: Record<string, string>;
  projectId: string;
  bootMs: number;
  mode: 'tsx' | 'ncc bundle';
  stop(): Promise<void>;
}

/** Runs one statement as the admin user (CREATE/DROP DATABASE). */
export async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops it; with `--keep` on the command line it is left for EXPLAIN ANALYZE and its URL printed. */
  drop(): Promise<void>;
}

/** A fresh, empty database on ADMIN_URL's server, named `<prefix>_<random>`. */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: async () => {
      if (process.argv.includes('--keep')) console.error(`kept database ${url.href}`);
      else await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A fresh database and the service on it, with one user and one project. `stop` drops the database. */
export async function startBenchService(prefix: string): Promise<BenchService> {
  const db = await scratchDatabase(prefix);
  const dbUrl = new URL(db.url);
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await db.drop();
  };
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
    // `--profile <dir>`: the service writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
    const profileAt = process.argv.indexOf('--profile');
    const profile = profileAt >= 0 ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[profileAt + 1]}`] : [];
    const command = useTsx
      ? [...profile, join(root, 'scripts', 'start-service.mjs')]
      : [...profile, '--import', './instrument/index.js', 'server/index.js'];
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
    // Registering answers 202 without a token (it never says whether the email was taken): log in.
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
    return {
      base,
      pid: child.pid!,
      dbUrl: dbUrl.href,
      auth,
      projectId: project.id,
      bootMs,
      mode: useTsx ? 'tsx' : 'ncc bundle',
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
