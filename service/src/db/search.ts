/**
 * Decision search whose cost is bounded by design, not by the planner's guess (service/README.md,
 * "Search"). PostgreSQL has no statistics for rare words and, given `ORDER BY created_at DESC LIMIT n`,
 * may walk the project's date index past every row looking for a word that matches five of them. So:
 *
 * 1. **Recent window** — scan at most RECENT_WINDOW of the project's newest rows (after the cursor)
 *    by the date index and filter them: a common word fills its page here, whatever the table size.
 * 2. **Through the full-text index, capped** — otherwise fetch the matches through the GIN index
 *    (the project filter is written so the date index cannot serve it), at most MATCH_CAP + 1 of
 *    them. When there are at most MATCH_CAP, they are the complete set: sort them and serve the page.
 * 3. **Plentiful but old** — more than MATCH_CAP matches, none among the recent window: walk the date
 *    index until the page fills. This is the only path whose cost depends on the data (rows between
 *    the cursor and the older matches); it runs under SEARCH_TIMEOUT_MS and answers 503 past it.
 *
 * Relevance order ranks the complete match set when it is at most MATCH_CAP, else the newest
 * MATCH_CAP matches (as of the first page, so paging never skips or repeats a row).
 */
import type { Queryable } from './database.js';
import type { Decision } from './decisions.js';

export const RECENT_WINDOW = 400;
export const MATCH_CAP = 1000;
export const SEARCH_TIMEOUT_MS = 2000;

export type SearchSort = 'newest' | 'relevance';

/** Keyset position: newest → (created_at, id); relevance → (rank, id) within matches as of `asOf`. */
export type SearchCursor =
  | { sort: 'newest'; createdAt: string; id: string }
  | { sort: 'relevance'; rank: number; id: string; asOf: string };

export interface SearchPage {
  items: Decision[];
  next: SearchCursor | undefined;
  /** Which path answered (logged, and measured by bench/search). */
  path: 'recent' | 'index' | 'walk';
}

export interface SearchDb extends Queryable {
  /** Runs `fn` in one transaction (for SET LOCAL statement_timeout). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

const COLUMNS = `d.id, d.project_id, d.transcript_id, d.title, d.rationale, d.owner, d.confidence, d.quote, d.created_at,
  to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key`;

/**
 * The tsquery for what people type, as SQL over parameter `$n`: websearch_to_tsquery semantics
 * (all words, "a phrase", -not) plus prefixes (`kube*`), which websearch syntax lacks. Prefix words
 * are matched unstemmed ('simple'), so `deploym*` finds "deployment".
 */
export function tsqueryOf(q: string): { words: string; prefixes: string[] } {
  const prefixes: string[] = [];
  const words = q
    .replace(/(^|\s)([\p{L}\p{N}]{2,40})\*(?=\s|$)/gu, (_, space: string, word: string) => {
      prefixes.push(word.toLowerCase());
      return space;
    })
    .trim();
  return { words, prefixes };
}

function tsquerySql(q: string, params: unknown[]): string {
  const { words, prefixes } = tsqueryOf(q);
  const parts: string[] = [];
  if (words) {
    params.push(words);
    parts.push(`websearch_to_tsquery('english', $${params.length})`);
  }
  for (const p of prefixes) {
    params.push(`${p}:*`);
    parts.push(`to_tsquery('simple', $${params.length})`);
  }
  return parts.length ? `(${parts.join(' && ')})` : `''::tsquery`;
}

interface Row extends Decision {
  sort_key: string;
  rank?: number;
}

function strip(rows: Row[]): Decision[] {
  return rows.map(({ sort_key: _s, rank: _r, ...d }) => d);
}

/** One page of a project's decisions matching `q`, in the chosen order, keyset-paginated. */
export async function searchDecisions(
  db: SearchDb,
  projectId: string,
  opts: { q: string; limit: number; sort: SearchSort; after?: SearchCursor | undefined; timeoutMs?: number },
): Promise<SearchPage> {
  if (opts.sort === 'relevance') return byRelevance(db, projectId, opts);
  const timeoutMs = opts.timeoutMs ?? SEARCH_TIMEOUT_MS;
  const params: unknown[] = [projectId];
  const tsq = tsquerySql(opts.q, params);
  let keyset = '';
  if (opts.after?.sort === 'newest') {
    params.push(opts.after.createdAt, opts.after.id);
    keyset = `AND (d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  const n = opts.limit + 1;

  // 1. The newest RECENT_WINDOW rows after the cursor, by the date index, filtered.
  const recent = await db.query<Row>(
    `SELECT ${COLUMNS} FROM (
       SELECT * FROM decisions d WHERE d.project_id = $1 ${keyset}
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${RECENT_WINDOW}) d
      WHERE d.search @@ ${tsq}
      ORDER BY d.created_at DESC, d.id DESC LIMIT ${n}`,
    params,
  );
  if (recent.rows.length === n) return newestPage(recent.rows, opts.limit, 'recent');

  // 2. Through the GIN index: `(project_id = $1) IS TRUE` cannot use the date index.
  const viaIndex = await db.query<Row & { total: string }>(
    `WITH m AS MATERIALIZED (
       SELECT d.id FROM decisions d
        WHERE d.search @@ ${tsq} AND (d.project_id = $1) IS TRUE ${keyset}
        LIMIT ${MATCH_CAP + 1})
     SELECT ${COLUMNS}, (SELECT count(*) FROM m) AS total
       FROM decisions d JOIN m USING (id)
      ORDER BY d.created_at DESC, d.id DESC LIMIT ${n}`,
    params,
  );
  const total = Number(viaIndex.rows[0]?.total ?? 0);
  if (total <= MATCH_CAP) return newestPage(viaIndex.rows, opts.limit, 'index');

  // 3. Plentiful but older than the window: the date walk, under a short statement timeout.
  const walked = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    return tx.query<Row>(
      `SELECT ${COLUMNS} FROM decisions d WHERE d.project_id = $1 AND d.search @@ ${tsq} ${keyset}
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${n}`,
      params,
    );
  });
  return newestPage(walked.rows, opts.limit, 'walk');
}

function newestPage(rows: Row[], limit: number, path: SearchPage['path']): SearchPage {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    items: strip(page),
    next: more && last ? { sort: 'newest', createdAt: last.sort_key, id: last.id } : undefined,
    path,
  };
}

async function byRelevance(
  db: SearchDb,
  projectId: string,
  opts: { q: string; limit: number; after?: SearchCursor | undefined; timeoutMs?: number },
): Promise<SearchPage> {
  const timeoutMs = opts.timeoutMs ?? SEARCH_TIMEOUT_MS;
  const params: unknown[] = [projectId];
  const tsq = tsquerySql(opts.q, params);
  const after = opts.after?.sort === 'relevance' ? opts.after : undefined;
  params.push(after?.asOf ?? null);
  const asOf = `COALESCE($${params.length}::timestamptz, 'infinity')`;
  let keyset = '';
  if (after) {
    params.push(after.rank, after.id);
    keyset = `WHERE (c.rank, c.id) < ($${params.length - 1}::real, $${params.length}::uuid)`;
  }
  const n = opts.limit + 1;
  const page = (candidates: string) =>
    `WITH c AS MATERIALIZED (
       SELECT d.id, ts_rank(d.search, ${tsq}) AS rank FROM (${candidates}) d)
     SELECT ${COLUMNS}, c.rank, (SELECT count(*) FROM c) AS total,
            to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS as_of
       FROM c JOIN decisions d USING (id) ${keyset}
      ORDER BY c.rank DESC, c.id DESC LIMIT ${n}`;
  type RankedRow = Row & { rank: number; total: string; as_of: string };
  // The complete match set through the GIN index when it is small…
  let res = await db.query<RankedRow>(
    page(`SELECT d.id, d.search FROM decisions d
           WHERE d.search @@ ${tsq} AND (d.project_id = $1) IS TRUE AND d.created_at <= ${asOf}
           LIMIT ${MATCH_CAP + 1}`),
    params,
  );
  let path: SearchPage['path'] = 'index';
  if (Number(res.rows[0]?.total ?? 0) > MATCH_CAP) {
    // …else the newest MATCH_CAP matches, by the date walk under the search timeout.
    res = await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      return tx.query<RankedRow>(
        page(`SELECT d.id, d.search FROM decisions d
               WHERE d.project_id = $1 AND d.search @@ ${tsq} AND d.created_at <= ${asOf}
               ORDER BY d.created_at DESC, d.id DESC LIMIT ${MATCH_CAP}`),
        params,
      );
    });
    path = 'walk';
  }
  const rows = res.rows;
  const more = rows.length > opts.limit;
  const shown = more ? rows.slice(0, opts.limit) : rows;
  const last = shown.at(-1);
  const asOfValue = after?.asOf ?? rows[0]?.as_of ?? new Date().toISOString();
  return {
    items: strip(shown.map(({ total: _t, as_of: _a, ...r }) => r)),
    next:
      more && last ? { sort: 'relevance', rank: Number(last.rank), id: last.id, asOf: asOfValue } : undefined,
    path,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** Our own timestamp format and a real instant (a tampered month 13 is a 400, not a 500). */
function isTimestamp(s: unknown): s is string {
  if (typeof s !== 'string' || !TIMESTAMP.test(s)) return false;
  const d = new Date(s);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === s.slice(0, 19);
}

export function encodeSearchCursor(c: SearchCursor): string {
  const value = c.sort === 'newest' ? [c.createdAt, c.id] : ['r', c.rank, c.id, c.asOf];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The cursor, or undefined when the text is not one we issued for this order. */
export function decodeSearchCursor(text: string, sort: SearchSort): SearchCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(text)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v)) return undefined;
  if (sort === 'newest' && v.length === 2) {
    const [createdAt, id] = v as unknown[];
    if (isTimestamp(createdAt) && typeof id === 'string' && UUID.test(id)) {
      return { sort, createdAt, id };
    }
  }
  if (sort === 'relevance' && v.length === 4 && v[0] === 'r') {
    const [, rank, id, asOf] = v as unknown[];
    if (
      typeof rank === 'number' &&
      Number.isFinite(rank) &&
      typeof id === 'string' &&
      UUID.test(id) &&
      isTimestamp(asOf)
    ) {
      return { sort, rank, id, asOf };
    }
  }
  return undefined;
}

/** PostgreSQL cancelled the statement (statement_timeout). */
export function isStatementTimeout(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === '57014';
}
