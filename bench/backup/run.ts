/**
 * `npm run bench:backup [-- --mb 300]`: a database of about that size (decisions-like rows of text),
 * then the encrypted backup (pg_dump streamed into age) and the restore (age → pg_restore) into an
 * empty database. Prints both times, the file size and this process's peak RSS during each — the
 * memory must stay flat whatever the database size, because nothing is buffered whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import pg from 'pg';
import { dumpEncrypted, restoreBackup } from '../../lib/backup.js';
import { rssMb, scratchDatabase } from '../harness.js';

const i = process.argv.indexOf('--mb');
const MB = Number(i >= 0 ? process.argv[i + 1] : 300);

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

const source = await scratchDatabase('bench_backup_src');
const target = await scratchDatabase('bench_backup_dst');
const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
try {
  const src = new pg.Client({ connectionString: source.url });
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
    dumpEncrypted({ databaseUrl: source.url, path, recipients: [recipient] }),
  );
  const restore = await peakDuring(() =>
    restoreBackup({ file: path, identities: identity, targetUrl: target.url, countTables: async () => 0 }),
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
  await source.drop();
  await target.drop();
}
