/** A row of the history table. */
export interface HistoryRow {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date | string | null;
  executionMs?: number | null;
  appliedBy?: string | null;
}

export interface FileRef {
  version: number;
  name: string;
  checksum: string;
}

export type DriftKind = 'edited' | 'missing' | 'renamed' | 'out-of-order';

export interface Drift {
  kind: DriftKind;
  file: string;
  version: number;
  /** One sentence: which file, what is wrong, what to do. */
  message: string;
}

export interface Plan<F extends FileRef> {
  pending: F[];
  drift: Drift[];
  /** Newest applied version, or null when nothing is applied. */
  current: number | null;
}

/**
 * Compares the files with the history table. Pending files are those whose version was never
 * applied; drift is anything that makes applying unsafe: an applied file edited, renamed or
 * deleted, or a new file numbered below the newest applied one (it would run out of order).
 */
export function planMigrations<F extends FileRef>(
  files: F[],
  history: HistoryRow[],
  dir = 'migrations',
): Plan<F> {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const applied = new Map(history.map((h) => [h.version, h]));
  const drift: Drift[] = [];
  const current = history.length ? Math.max(...history.map((h) => h.version)) : null;

  for (const row of [...history].sort((a, b) => a.version - b.version)) {
    const when = row.appliedAt ? ` on ${new Date(row.appliedAt).toISOString()}` : '';
    const file = byVersion.get(row.version);
    if (!file) {
      drift.push({
        kind: 'missing',
        file: row.name,
        version: row.version,
        message: `${row.name} (version ${row.version}) was applied${when} but is missing from ${dir}: restore it, because applied migrations must stay in the repository.`,
      });
    } else if (file.checksum !== row.checksum) {
      drift.push({
        kind: 'edited',
        file: file.name,
        version: row.version,
        message: `${file.name} was edited after it was applied${when} (checksum ${row.checksum.slice(0, 12)}… recorded, ${file.checksum.slice(0, 12)}… now): revert the edit and put the change in a new migration file.`,
      });
    } else if (file.name !== row.name) {
      drift.push({
        kind: 'renamed',
        file: file.name,
        version: row.version,
        message: `${file.name} was applied${when} under the name ${row.name}: rename it back so the history and the repository agree.`,
      });
    }
  }

  const pending = files.filter((f) => !applied.has(f.version));
  if (current !== null) {
    for (const file of pending) {
      if (file.version < current) {
        drift.push({
          kind: 'out-of-order',
          file: file.name,
          version: file.version,
          message: `${file.name} is new but numbered below the newest applied version ${current}: renumber it above ${current} so every database applies migrations in the same order.`,
        });
      }
    }
  }
  return { pending, drift, current };
}
