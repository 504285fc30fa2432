/**
 * Migration benchmark (prints numbers, no pass/fail): lint over a 2,000-file corpus (files/s, ms per
 * statement) and what PostgreSQL's parser adds to the bundle and start-up; `plan` against 1,000
 * applied files (runner and whole action), and applying 200 small files. Target: plan < 1 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations, pgAdapter, planFromDatabase } from '../../lib/migrations/runner.js';
import { runAction } from '../../test/harness/run-action.js';
import { median, scratchDatabase } from '../harness.js';
import { benchLint, benchStartup } from './lint.js';

function makeDir(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-migrations-'));
  for (let i = 1; i <= count; i++) {
    const v = String(i).padStart(4, '0');
    writeFileSync(
      join(dir, `${v}_step.sql`),
      `-- step ${i}\nCREATE TABLE t_${v} (id int PRIMARY KEY, note text DEFAULT 'a;b');\nINSERT INTO t_${v} VALUES (1);\n`,
    );
  }
  return dir;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function withDb<T>(fn: (url: string, client: pg.Client) => Promise<T>): Promise<T> {
  const db = await scratchDatabase('bench_migrate');
  const url = db.url;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(url, client);
  } finally {
    await client.end();
    await db.drop();
  }
}

await benchLint();
const emptyDir = mkdtempSync(join(tmpdir(), 'bench-empty-'));
const oneDir = makeDir(1);
await withDb(async (url) => benchStartup(url, emptyDir, oneDir));
rmSync(emptyDir, { recursive: true, force: true });
rmSync(oneDir, { recursive: true, force: true });

const planDir = makeDir(1000);
await withDb(async (url, client) => {
  const db = pgAdapter(client);
  let t = performance.now();
  await applyMigrations(db, { dir: planDir });
  console.log(`setup: applied 1,000 files in ${ms(performance.now() - t)}`);
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    t = performance.now();
    const plan = await planFromDatabase(db, { dir: planDir });
    runs.push(performance.now() - t);
    if (plan.pending.length !== 0 || plan.drift.length !== 0) throw new Error('unexpected plan');
  }
  console.log(
    `plan (runner) vs 1,000 applied files: median ${ms(median(runs))}, min ${ms(Math.min(...runs))} (7 runs)`,
  );
  const actionRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await runAction('migrate', {
      inputs: { 'database-url': url, dir: planDir, command: 'plan' },
    });
    if (res.exitCode !== 0) throw new Error(res.log);
    actionRuns.push(res.durationMs);
  }
  console.log(
    `plan (whole action process, Node 24) vs 1,000 applied files: median ${ms(median(actionRuns))} (3 runs)`,
  );
});
rmSync(planDir, { recursive: true, force: true });

const applyDir = makeDir(200);
await withDb(async (_url, client) => {
  const t = performance.now();
  const res = await applyMigrations(pgAdapter(client), { dir: applyDir });
  const total = performance.now() - t;
  console.log(`apply 200 small files: ${ms(total)} total, ${ms(total / res.applied.length)} per file`);
});
rmSync(applyDir, { recursive: true, force: true });
