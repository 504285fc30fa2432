/**
 * `node scripts/node24.mjs --import tsx bench/search/probe.ts <database url> <project id> [q…]`: the SQL time
 * and path of each query shape against an existing database (one kept with `bench:search --keep`), and
 * every statement the search sent with its time. Read-only.
 */
import pg from 'pg';
import { beginSql, type TransactionOptions } from '../../service/src/db/database.js';
import { searchDecisions } from '../../service/src/db/search.js';
import { median } from '../harness.js';

const [url, projectId, ...qs] = process.argv.slice(2);
if (!url || !projectId) throw new Error('usage: probe.ts <database url> <project id> [q…]');
const pool = new pg.Pool({ connectionString: url, max: 1 });
let log: string[] = [];
const timed = (client: { query: (t: string, p?: unknown[]) => Promise<pg.QueryResult> }) => ({
  async query(text: string, params?: unknown[]) {
    const t = performance.now();
    const r = await client.query(text, params);
    log.push(`${(performance.now() - t).toFixed(2)} ms  ${text.replace(/\s+/g, ' ').slice(0, 90)}`);
    return r;
  },
});
const db = {
  ...timed(pool),
  async transaction<T>(
    fn: (tx: ReturnType<typeof timed>) => Promise<T>,
    opts: TransactionOptions,
  ): Promise<T> {
    const c = await pool.connect();
    try {
      await timed(c).query(beginSql(opts));
      const r = await fn(timed(c));
      await c.query('COMMIT');
      return r;
    } finally {
      c.release();
    }
  },
};
const shapes = qs.length
  ? qs
  : ['deploy', 'pricing dungalmix', '"blue green"', 'kube*', 'zzyzxqv', 'kubectl'];
for (const sort of ['newest', 'relevance'] as const) {
  for (const q of shapes) {
    const times: number[] = [];
    let path = '';
    for (let i = 0; i < 7; i++) {
      log = [];
      const t = performance.now();
      const page = await searchDecisions(db as never, projectId, { q, limit: 20, sort });
      times.push(performance.now() - t);
      path = `${page.path} (${page.items.length} items)`;
    }
    console.log(`${sort} ${q}: median ${median(times).toFixed(2)} ms, ${path}\n  ${log.join('\n  ')}`);
  }
}
await pool.end();
