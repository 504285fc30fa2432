/**
 * `npm run bench:search [-- --sizes 10000,100000,1000000 --duration 10 --keep]`: decision search at 10k,
 * 100k and 1M decisions in one project, with realistic text — a common vocabulary, a long tail of
 * rare words, rare words clustered in time (topics come and go). For each query shape it prints the
 * SQL time (median of the search's own queries, measured from this process) and p50/p99 through the
 * service's production bundle at a fixed 200 req/s, then the growth from 100k to 1M. Numbers only.
 */
import pg from 'pg';
import { beginSql, type TransactionOptions } from '../../service/src/db/database.js';
import { searchDecisions } from '../../service/src/db/search.js';
import { load, percentile, startBenchService } from '../harness.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const SIZES = arg('--sizes', '10000,100000,1000000').split(',').map(Number);
const DURATION_S = Number(arg('--duration', '10'));
const RATE = 200;
const SQL_RUNS = 30;

// A deterministic generator, so every run sees the same text.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const COMMON = [
  'deploy',
  'pricing',
  'launch',
  'customer',
  'release',
  'database',
  'team',
  'budget',
  'hiring',
  'security',
  'migrate',
  'api',
  'latency',
  'roadmap',
  'vendor',
  'contract',
  'support',
  'design',
  'review',
  'incident',
  'mobile',
  'billing',
  'onboarding',
  'analytics',
  'search',
  'cache',
  'queue',
  'region',
  'backup',
  'compliance',
];
const syllables = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tor',
  'vex',
  'qua',
  'zil',
  'pra',
  'dun',
  'shi',
  'mor',
  'gal',
  'fen',
];
const TAIL = Array.from({ length: 60_000 }, (_, i) => {
  let n = i + 7;
  let w = '';
  while (n > 0) {
    w += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  }
  return `${w}x`;
});
/** Zipf-like: index ~ n^u over [1, n]. */
const zipf = (n: number) => Math.min(n - 1, Math.floor(n ** random()) - 1);

/** One decision's text at position `age` (0 = newest): common words, then a topic's tail words. */
function sentence(words: number, age: number, size: number): string {
  const topic = Math.floor((age / size) * 200); // 200 topics over the project's life
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = random();
    if (r < 0.55) out.push(COMMON[zipf(COMMON.length)] as string);
    else if (r < 0.9) out.push(TAIL[(zipf(2000) + topic * 300) % TAIL.length] as string);
    else out.push(TAIL[zipf(TAIL.length)] as string);
  }
  if (random() < 0.004) out.push('blue', 'green');
  if (random() < 0.002) out.push(random() < 0.5 ? 'kubernetes' : 'kubectl');
  return out.join(' ');
}

async function generate(db: pg.Client, projectId: string, size: number): Promise<Map<string, number>> {
  // Built without the secondary indexes, then indexed the way the migrations do (same definitions).
  const idx = await db.query<{ indexdef: string; indexname: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'decisions' AND indexname <> 'decisions_pkey'`,
  );
  for (const i of idx.rows) await db.query(`DROP INDEX ${i.indexname}`);
  const counts = new Map<string, number>();
  const now = Date.now();
  const BATCH = 5000;
  for (let start = 0; start < size; start += BATCH) {
    const titles: string[] = [];
    const rationales: string[] = [];
    const times: string[] = [];
    for (let age = start; age < Math.min(size, start + BATCH); age++) {
      const title = sentence(6, age, size);
      const rationale = sentence(18, age, size);
      for (const w of new Set(`${title} ${rationale}`.split(' '))) counts.set(w, (counts.get(w) ?? 0) + 1);
      titles.push(title);
      rationales.push(rationale);
      times.push(new Date(now - age * 60_000).toISOString());
    }
    await db.query(
      `INSERT INTO decisions (project_id, title, rationale, created_at)
       SELECT $1, t, r, c FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS x(t, r, c)`,
      [projectId, titles, rationales, times],
    );
  }
  for (const i of idx.rows) await db.query(i.indexdef);
  await db.query('VACUUM ANALYZE decisions');
  return counts;
}

/** The tail word whose count is closest to `target`. */
function wordWithCount(counts: Map<string, number>, target: number): string {
  let best = '';
  let bestDiff = Number.POSITIVE_INFINITY;
  for (const [w, c] of counts) {
    if (!w.endsWith('x')) continue;
    const d = Math.abs(c - target);
    if (d < bestDiff) [best, bestDiff] = [w, d];
  }
  return best;
}

interface Shape {
  name: string;
  q?: string;
  cursorPages?: number;
}

async function main() {
  const results: Record<
    string,
    Record<number, { sqlMs: number; p50: number; p99: number; path: string }>
  > = {};
  for (const size of SIZES) {
    const svc = await startBenchService('bench_search');
    try {
      const db = new pg.Client({ connectionString: svc.dbUrl });
      await db.connect();
      const t0 = Date.now();
      const counts = await generate(db, svc.projectId, size);
      await db.end();
      console.error(
        `${size.toLocaleString('en')} decisions generated and indexed in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      const shapes: Shape[] = [
        { name: 'first page (no search)' },
        { name: 'common word', q: 'deploy' },
        { name: 'rare word (~5 rows)', q: wordWithCount(counts, 5) },
        { name: 'absent word', q: 'zzyzxqv' },
        { name: 'two words', q: `pricing ${wordWithCount(counts, Math.round(size / 200))}` },
        { name: 'phrase', q: '"blue green"' },
        { name: 'prefix', q: 'kube*' },
        { name: 'page 50 by cursor (common word)', q: 'pricing', cursorPages: 49 },
      ];
      const pool = new pg.Pool({ connectionString: svc.dbUrl, max: 2 });
      const searchDb = {
        query: (text: string, params?: unknown[]) => pool.query(text, params),
        async transaction<T>(
          fn: (tx: { query: typeof pool.query }) => Promise<T>,
          opts: TransactionOptions,
        ): Promise<T> {
          const client = await pool.connect();
          try {
            await client.query(beginSql(opts));
            const r = await fn({ query: client.query.bind(client) as typeof pool.query });
            await client.query('COMMIT');
            return r;
          } finally {
            client.release();
          }
        },
      };
      for (const shape of shapes) {
        let url = `${svc.base}/api/projects/${svc.projectId}/decisions?limit=20`;
        if (shape.q) url += `&q=${encodeURIComponent(shape.q)}`;
        let cursor: string | null = null;
        for (let i = 0; i < (shape.cursorPages ?? 0); i++) {
          const r = await fetch(`${url}${cursor ? `&cursor=${cursor}` : ''}`, { headers: svc.auth });
          cursor = ((await r.json()) as { next_cursor: string | null }).next_cursor;
        }
        if (cursor) url += `&cursor=${cursor}`;
        // SQL time: the search's own queries, from this process (no HTTP, no JSON).
        const times: number[] = [];
        let path = 'list';
        if (shape.q) {
          const after = cursor
            ? (await import('../../service/src/db/search.js')).decodeSearchCursor(cursor, 'newest')
            : undefined;
          for (let i = 0; i < SQL_RUNS; i++) {
            const started = performance.now();
            const page = await searchDecisions(searchDb as never, svc.projectId, {
              q: shape.q,
              limit: 20,
              sort: 'newest',
              after,
            });
            times.push(performance.now() - started);
            path = page.path;
          }
        }
        times.sort((a, b) => a - b);
        const row = await load(shape.name, url, svc.auth, svc.pid, RATE, DURATION_S);
        results[shape.name] ??= {};
        (results[shape.name] as Record<number, unknown>)[size] = {
          sqlMs: percentile(times, 50),
          p50: Number(row['p50 ms']),
          p99: Number(row['p99 ms']),
          path,
        };
        console.error(
          `  ${shape.name}${shape.q ? ` (${shape.q})` : ''}: p50 ${row['p50 ms']} ms, p99 ${row['p99 ms']} ms, non-2xx ${row['non-2xx']}`,
        );
      }
      await pool.end();
    } finally {
      await svc.stop();
    }
  }
  const table = Object.entries(results).map(([name, bySize]) => {
    const row: Record<string, string> = { shape: name };
    for (const size of SIZES) {
      const r = bySize[size];
      const k = size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`;
      row[`${k} sql ms`] = r ? (Number.isNaN(r.sqlMs) ? '—' : r.sqlMs.toFixed(2)) : '';
      row[`${k} p50/p99 ms`] = r ? `${r.p50}/${r.p99}` : '';
      row[`${k} path`] = r?.path ?? '';
    }
    const a = bySize[100_000];
    const b = bySize[1_000_000];
    if (a && b && !Number.isNaN(a.sqlMs)) row['sql growth 100k→1M'] = `${(b.sqlMs / a.sqlMs).toFixed(1)}×`;
    return row;
  });
  console.log(
    `\nDecision search — ${RATE} req/s for ${DURATION_S} s per shape, limit 20, Node ${process.versions.node}`,
  );
  console.table(table);
}

await main();
