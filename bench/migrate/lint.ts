/**
 * Lint benchmark (prints numbers, no pass/fail): PostgreSQL's parser + the lint rules over a large
 * generated corpus (files/s, ms per statement), and what the parser adds to the action: bundle bytes
 * and process start-up (a `lint` run with nothing to parse against one that parses a file).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { lintMigrations } from '../../actions/migrate/src/lint.js';
import { RULES } from '../../actions/migrate/src/rules.js';
import { loadPgParser } from '../../lib/migrations/pg-parser.js';
import { WASM_GZIP_BASE64 } from '../../lib/migrations/pg-parser-wasm.js';
import { type ParsedMigration, parseMigrations } from '../../lib/migrations/runner.js';
import { repoRoot, runAction } from '../../test/harness/run-action.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** A realistic file: a new table with its indexes, then changes to older tables (some hazardous). */
function corpusFile(i: number): string {
  const examples = Object.values(RULES).flatMap((r) => [r.bad, r.good]);
  const parts = [
    `-- step ${i}: orders_${i} and friends`,
    `CREATE TABLE orders_${i} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id),\n  note text DEFAULT 'a;b',\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
    `CREATE INDEX orders_${i}_user ON orders_${i} (user_id, created_at DESC);`,
    `INSERT INTO orders_${i} (user_id) SELECT id FROM users WHERE email LIKE '%@example.com';`,
    `CREATE FUNCTION touch_${i}() RETURNS trigger AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$ LANGUAGE plpgsql;`,
    examples[i % examples.length] as string,
    examples[(i * 7 + 3) % examples.length] as string,
  ];
  return parts.map((p) => (p.trim().endsWith(';') ? p : `${p};`)).join('\n');
}

export async function benchLint(): Promise<void> {
  const files = Array.from({ length: 2000 }, (_, i) => {
    const sql = corpusFile(i + 1);
    return {
      version: i + 1,
      name: `${String(i + 1).padStart(4, '0')}_step.sql`,
      path: '',
      sql,
      checksum: '',
      noTransaction: sql.startsWith('-- migrate:no-transaction'),
    };
  });
  let t = performance.now();
  await loadPgParser();
  console.log(
    `parser (WebAssembly) instantiated in ${(performance.now() - t).toFixed(0)} ms in this process`,
  );

  const runs: Array<{ ms: number; statements: number; findings: number }> = [];
  for (let r = 0; r < 5; r++) {
    t = performance.now();
    const { parsed } = await parseMigrations(files);
    const { findings } = lintMigrations(parsed as ParsedMigration[]);
    runs.push({
      ms: performance.now() - t,
      statements: parsed.reduce((n, f) => n + f.statements.length, 0),
      findings: findings.length,
    });
  }
  const ms = median(runs.map((r) => r.ms));
  const { statements, findings } = runs[0]!;
  console.log(
    `lint ${files.length} files (${statements} statements, ${findings} findings): median ${ms.toFixed(0)} ms of 5 → ${Math.round((files.length / ms) * 1000)} files/s, ${(ms / statements).toFixed(3)} ms per statement`,
  );

  const bundle = statSync(join(repoRoot, 'actions', 'migrate', 'dist', 'index.js')).size;
  console.log(
    `bundle actions/migrate/dist/index.js: ${(bundle / 1e6).toFixed(2)} MB, of which the embedded parser ${(WASM_GZIP_BASE64.length / 1e6).toFixed(2)} MB (gzip + base64 of 1.72 MB WebAssembly)`,
  );
}

/** Whole-process start-up: a `lint` run with nothing pending (parser not loaded) vs one pending file. */
export async function benchStartup(url: string, emptyDir: string, oneFileDir: string): Promise<void> {
  // Interleaved, so a change in the machine's load hits both sides alike.
  const empty: number[] = [];
  const one: number[] = [];
  for (let i = 0; i < 7; i++) {
    for (const [dir, into] of [
      [emptyDir, empty],
      [oneFileDir, one],
    ] as const) {
      const res = await runAction('migrate', { inputs: { 'database-url': url, dir, command: 'lint' } });
      if (res.exitCode !== 0) throw new Error(res.log);
      into.push(res.durationMs);
    }
  }
  const without = median(empty);
  const withParser = median(one);
  console.log(
    `action start-up (lint, Node 24, median of 7): ${without.toFixed(0)} ms with nothing to parse, ${withParser.toFixed(0)} ms parsing one file → the parser adds ${(withParser - without).toFixed(0)} ms`,
  );
}
