/**
 * `npm run bench:service`: the service as its own process on a fresh PostgreSQL database, a project
 * with 10,000 decisions, then autocannon at a fixed 200 req/s for 20 s each on GET /api/health and
 * GET /api/projects/:id/decisions. Prints p50/p95/p99 latency, throughput, errors and the server's
 * peak RSS. Numbers only: no pass/fail (targets: p95 < 50 ms, RSS < 150 MB on a 2-core machine).
 */
import pg from 'pg';
import { load, startBenchService } from '../harness.js';

const RATE = 200;
const DURATION_S = 20;
const DECISIONS = 10_000;

async function main() {
  const svc = await startBenchService('bench_svc');
  try {
    const { base, auth, bootMs } = svc;
    const project = { id: svc.projectId };
    const db = new pg.Client({ connectionString: svc.dbUrl });
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
      await load('GET /api/health', `${base}/api/health`, {}, svc.pid, RATE, DURATION_S),
      await load(
        `GET /api/projects/:id/decisions (${DECISIONS.toLocaleString('en')} rows, limit 20)`,
        `${base}/api/projects/${project.id}/decisions?limit=20`,
        auth,
        svc.pid,
        RATE,
        DURATION_S,
      ),
    ];
    console.log(
      `\nDecisionLog service — ${RATE} req/s for ${DURATION_S} s per endpoint, Node ${process.versions.node}, boot ${bootMs} ms (${svc.mode}, migrations included)`,
    );
    console.table(rows);
  } finally {
    await svc.stop();
  }
}

await main();
