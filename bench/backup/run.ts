/**
 * `npm run bench:backup [-- --mb 300]`: a database of about that size (decisions-like rows of text),
 * then the encrypted backup (pg_dump streamed into age) and the restore (age → pg_restore) into an
 * empty database. Prints both times, the file size and this process's peak RSS during each — the
 * memory must stay flat whatever the database size, because nothing is buffered whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import pg from 'pg';
import { dumpEncrypted, restoreBackup } from '../../lib/backup.js';
import { ADMIN_URL, rssMb } from '../harness.js';

const i = process.argv.indexOf('--mb');
const MB = Number(i >= 0 ? process.argv[i + 1] : 300);

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.href;
}

async function peakDuring<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number }> {
  let peak = rssMb(process.pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(process.pid));
  }, 50);
  const started = performance.now();
  try {
    const result = await fn();
    return { result, seconds: (performance.now() - started) / 1000, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

const suffix = randomBytes(4).toString('hex');
const source = `bench_backup_src_${suffix}`;
const target = `bench_backup_dst_${suffix}`;
const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
try {
  await withAdmin(async (c) => {
    await c.query(`CREATE DATABASE ${source}`);
    await c.query(`CREATE DATABASE ${target}`);
  });
  const src = new pg.Client({ connectionString: dbUrl(source) });
  await src.connect();
  await src.query('CREATE TABLE decisions (id bigserial PRIMARY KEY, title text, rationale text)');
  // ~1 KB of incompressible-ish text per row (md5 chains), so the dump is about the table's size.
  const rows = Math.round((MB * 1024 * 1024) / 1100);
  for (let done = 0; done < rows; done += 50_000) {
    await src.query(
      `INSERT INTO decisions (title, rationale)
       SELECT md5(g::text), array_to_string(ARRAY(SELECT md5((g * 31 + k + $2::bigint)::text) FROM generate_series(1, 30) k), '')
         FROM generate_series(1, $1::int) g`,
      [Math.min(50_000, rows - done), done * 31],
    );
  }
  const size = (
    await src.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')
  ).rows[0]?.s;
  await src.end();
  const identity = await generateIdentity();
  const path = join(dir, 'bench.dump.age');
  const baseline = rssMb(process.pid);
  const recipient = await identityToRecipient(identity);
  const dump = await peakDuring(() =>
    dumpEncrypted({ databaseUrl: dbUrl(source), path, recipients: [recipient] }),
  );
  const restore = await peakDuring(() =>
    restoreBackup({ file: path, identities: identity, targetUrl: dbUrl(target), countTables: async () => 0 }),
  );
  console.log(
    `\nEncrypted backup and restore — database ${size} (${rows.toLocaleString('en')} rows), Node ${process.versions.node}`,
  );
  console.table([
    {
      step: 'pg_dump → age (stream)',
      seconds: dump.seconds.toFixed(1),
      'file MB': (dump.result.bytes / 1048576).toFixed(0),
      'peak RSS MB': dump.peakMb.toFixed(0),
      'RSS before MB': baseline.toFixed(0),
    },
    {
      step: 'age → pg_restore (stream)',
      seconds: restore.seconds.toFixed(1),
      'file MB': '',
      'peak RSS MB': restore.peakMb.toFixed(0),
      'RSS before MB': '',
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  });
}
