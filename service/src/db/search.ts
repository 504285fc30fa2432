/**
 * Decision search whose cost is bounded by design, not by the planner's guess (service/README.md,
 * "Search"). The indexes are the project's date index (project_id, created_at DESC, id DESC), the GIN
 * index on `search`, and the GIN index on decisions_search_dated(project_id, created_at, search) — the
 * same words prefixed with the project and the week (migration 0003), so a lookup reads one project's
 * rows of the weeks asked for. PostgreSQL cannot order GIN matches, and its guess of how many rows a
 * word matches decides between walking the date index and reading the GIN index. So this module decides
 * itself, and pins each statement's plan (no sequential scans, index scans only where an index-only scan
 * is meant, and a generic plan so the words' statistics cannot change it):
 *
 * 1. **Recent window** — the newest RECENT_WINDOW rows after the cursor, by the date index, filtered:
 *    a common word fills its page here, whatever the table size.
 * 2. **Rare: the complete set through the GIN index** — at most MATCH_CAP + 1 rows that match the
 *    query's *index term* (below), from the whole table; fewer means they are every match: sorted, paged.
 *    Before step 3, or after its first window (by the term's frequency).
 * 3. **Plentiful: week windows** — consecutive weeks of the project after the cursor, newest first
 *    (FIRST_WEEKS, then WINDOW_GROWTH× more, fewer when the last one was dense), each one statement that
 *    looks the index term up in those weeks of the dated index and fetches at most WINDOW_FETCH_CAP + 1
 *    rows (more: fewer weeks). A single week denser than that is read in row windows: stretches of the
 *    date index, each a BitmapAnd of its date range and that week's term. Stops when the page is full.
 * 4. **Every required word is common** (pg_stats frequency ≥ COMMON_FREQ) or nothing is indexable (only
 *    negated words): the date walk, whose rows mostly match.
 *
 * The index term: the query's rarest required word (pg_stats' most_common_elems; a word missing from
 * that list is rarer than all in it), or an OR of such terms — never a very common word, whose postings
 * cost more to read than the rows they would save. The full query is checked on each row.
 * Everything after step 1 runs in one read-only transaction under SEARCH_TIMEOUT_MS in total and
 * answers 503 past it.
 *
 * Relevance order ranks the complete match set when it is at most MATCH_CAP, else the newest
 * MATCH_CAP matches (as of the first page, so paging never skips or repeats a row).
 */
import type { Queryable, TransactionOptions } from './database.js';
import { COLUMNS, type Decision } from './decisions.js';

export const RECENT_WINDOW = 400;
export const MATCH_CAP = 1000;
export const FIRST_WINDOW = 4000;
export const MAX_FIRST_WINDOW = 64_000;
export const WINDOW_GROWTH = 4;
export const WINDOW_FETCH_CAP = 1000;
/** A word in more than this share of all rows is never the index term. */
export const COMMON_FREQ = 0.2;
/**
 * Step 2 runs first when pg_stats expect at most this many rows for the index term (a word missing from
 * its list counts as 0): below it, fetching every match costs less than one window.
 */
export const RARE_ROWS = 100;
/** After this many rows of windows, check once whether the matches are few (step 2). */
export const RARE_CHECK_AFTER = 64_000;
export const SEARCH_TIMEOUT_MS = 2000;
/** Week windows (step 3) start with this many weeks, then WINDOW_GROWTH× more each time. */
export const FIRST_WEEKS = 1;
/** decisions_search_dated's week (migration 0003): seconds since the epoch / WEEK_S, rounded down. */
const WEEK_S = 604_800;
/** Lexemes longer than this are not in decisions_search_dated (migration 0003). */
const DATED_LEXEME_BYTES = 1000;
const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** The week of one of our timestamps as decisions_search_dated numbers it; undefined for null or infinite. */
export function weekOf(ts: string | null | undefined): number | undefined {
  if (!ts || !TIMESTAMP.test(ts)) return undefined;
  return Math.floor(Date.parse(ts) / (WEEK_S * 1000));
}

/** The first instant of a week, in our timestamp format. */
function isoOfWeek(week: number): string {
  return new Date(week * WEEK_S * 1000).toISOString().replace('Z', '000Z');
}

/**
 * The index term within a project's weeks `from`..`to`, as a tsquery over decisions_search_dated: each of
 * its words prefixed with the project (the first 8 characters of its id) and each week.
 */
export function datedTerm(
  projectId: string,
  from: number,
  to: number,
  lexemes: IndexTerm['lexemes'],
): string {
  const project = projectId.toLowerCase().slice(0, 8);
  const parts: string[] = [];
  for (let week = from; week <= to; week++) {
    for (const l of lexemes)
      parts.push(`${quoteLexeme(`${project}.${week}.${l.lexeme}`)}${l.prefix ? ':*' : ''}`);
  }
  return parts.join(' | ');
}

export type SearchSort = 'newest' | 'relevance';

/** Keyset position: newest → (created_at, id); relevance → (rank, id) within matches as of `asOf`. */
export type SearchCursor =
  | { sort: 'newest'; createdAt: string; id: string }
  | { sort: 'relevance'; rank: number; id: string; asOf: string };

export interface SearchPage {
  items: Decision[];
  next: SearchCursor | undefined;
  /** Which path answered (logged, and measured by bench/search). */
  path: 'recent' | 'index' | 'windows' | 'walk';
}

export interface SearchDb extends Queryable {
  /** Runs `fn` in one transaction (SET LOCAL settings with its BEGIN; read-only: see Db.transaction). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: TransactionOptions): Promise<T>;
}

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

/** A parsed tsquery (PostgreSQL's text output of one). */
export type TsNode =
  | { op: 'lex'; lexeme: string; prefix: boolean }
  | { op: 'not'; arg: TsNode }
  | { op: 'and' | 'or' | 'phrase'; left: TsNode; right: TsNode };

/** Parses tsquery text as PostgreSQL prints it (`'a' & !'b' | 'c' <-> 'd'`); undefined when empty. */
export function parseTsquery(text: string): TsNode | undefined {
  const tokens: Array<string | TsNode> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ') i++;
    else if (c === "'") {
      let lexeme = '';
      i++;
      for (;;) {
        const ch = text[i];
        if (ch === undefined) throw new Error(`unterminated lexeme in tsquery ${text}`);
        if (ch === "'" && text[i + 1] === "'") [lexeme, i] = [`${lexeme}'`, i + 2];
        else if (ch === '\\' && i + 1 < text.length) [lexeme, i] = [lexeme + text[i + 1], i + 2];
        else if (ch === "'") break;
        else [lexeme, i] = [lexeme + ch, i + 1];
      }
      i++;
      const suffix = /^:[*A-D]+/.exec(text.slice(i))?.[0] ?? '';
      i += suffix.length;
      tokens.push({ op: 'lex', lexeme, prefix: suffix.includes('*') });
    } else if (c === '<') {
      const end = text.indexOf('>', i);
      tokens.push('<->');
      i = end + 1;
    } else {
      tokens.push(c);
      i++;
    }
  }
  let at = 0;
  const peek = () => tokens[at];
  const unary = (): TsNode => {
    const t = tokens[at++];
    if (t === '!') return { op: 'not', arg: unary() };
    if (t === '(') {
      const inner = or();
      at++; // ')'
      return inner;
    }
    if (typeof t === 'object') return t;
    throw new Error(`unexpected ${String(t)} in tsquery ${text}`);
  };
  const binary = (next: () => TsNode, symbol: string, op: 'and' | 'or' | 'phrase') => (): TsNode => {
    let left = next();
    while (peek() === symbol) {
      at++;
      left = { op, left, right: next() };
    }
    return left;
  };
  const phrase = binary(unary, '<->', 'phrase');
  const and = binary(phrase, '&', 'and');
  const or = binary(and, '|', 'or');
  return tokens.length ? or() : undefined;
}

/** A tsquery the GIN index can answer that every match of the query also matches, and its share of rows. */
export interface IndexTerm {
  text: string;
  freq: number;
  /** The words it ORs: a row matches the term when it holds one of them. */
  lexemes: Array<{ lexeme: string; prefix: boolean }>;
}

const quoteLexeme = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The cheapest index term of a query: for AND and phrases, the rarer side; for OR, both sides; a
 * negation has none. `freq` gives a word's share of rows (0 when unknown: not among the common ones).
 */
export function indexTerm(
  node: TsNode,
  freq: (lexeme: string, prefix: boolean) => number,
): IndexTerm | undefined {
  switch (node.op) {
    case 'lex':
      return {
        text: `${quoteLexeme(node.lexeme)}${node.prefix ? ':*' : ''}`,
        freq: freq(node.lexeme, node.prefix),
        lexemes: [{ lexeme: node.lexeme, prefix: node.prefix }],
      };
    case 'not':
      return undefined;
    case 'or': {
      const l = indexTerm(node.left, freq);
      const r = indexTerm(node.right, freq);
      return l && r
        ? {
            text: `(${l.text} | ${r.text})`,
            freq: Math.min(1, l.freq + r.freq),
            lexemes: [...l.lexemes, ...r.lexemes],
          }
        : undefined;
    }
    default: {
      const l = indexTerm(node.left, freq);
      const r = indexTerm(node.right, freq);
      if (!l || !r) return l ?? r;
      return r.freq < l.freq ? r : l;
    }
  }
}

interface Plan {
  /** The full query as SQL (parameters already in `params`). */
  full: string;
  params: unknown[];
  /** Nothing can match (only stopwords). */
  empty: boolean;
  /** Parameter number of the index term (a tsquery), when there is a usable one. */
  term: { param: number; rows: number; freq: number; lexemes: IndexTerm['lexemes'] } | undefined;
  /** The database's clock (relevance pages rank the matches as of the first page). */
  now: string;
  /** The project's newest and oldest weeks, when the week windows can serve it (see `weekOf`). */
  weeks: { newest: number; oldest: number } | undefined;
}

/** Each lexeme's share of rows (pg_stats' most_common_elems of decisions.search) and the row count. */
interface WordStats {
  at: number;
  freqs: Map<string, number>;
  reltuples: number;
}
/** The newest read per pool, kept as a promise so concurrent searches share one pg_stats query. */
const statsCache = new WeakMap<object, { at: number; stats: Promise<WordStats> }>();
/** pg_stats is a costly view to plan: its numbers change only at ANALYZE, so they are kept this long. */
export const STATS_TTL_MS = 60_000;

async function wordStats(db: Queryable): Promise<WordStats> {
  const cached = statsCache.get(db);
  if (cached && Date.now() - cached.at < STATS_TTL_MS) return cached.stats;
  const stats = readWordStats(db);
  statsCache.set(db, { at: Date.now(), stats });
  // A failed read is not kept: the next search asks again.
  stats.catch(() => statsCache.delete(db));
  return stats;
}

async function readWordStats(db: Queryable): Promise<WordStats> {
  const res = await db.query<{ e: string[] | null; f: number[] | null; reltuples: number }>(
    `SELECT s.most_common_elems::text::text[] AS e, s.most_common_elem_freqs AS f,
            (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'decisions'::regclass)::float8 AS reltuples
       FROM (SELECT 1) one LEFT JOIN pg_stats s
         ON s.schemaname = current_schema() AND s.tablename = 'decisions' AND s.attname = 'search'`,
  );
  const row = res.rows[0];
  const freqs = new Map<string, number>();
  (row?.e ?? []).forEach((e, i) => {
    freqs.set(e, Number(row?.f?.[i] ?? 0));
  });
  return { at: Date.now(), freqs, reltuples: Math.max(0, Number(row?.reltuples ?? 0)) };
}

/**
 * What step 1 learns on the way: the words' tsquery as text, the database's clock, and the project's
 * newest and oldest timestamps (where the week windows start and end; null for no rows or an infinite one).
 */
interface Parsed {
  words: string;
  now: string;
  newest: string | null;
  oldest: string | null;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
/** Parsed's columns, with the project at $1 and the words at $`param`. */
const PARSED_SQL = (param: number) =>
  `websearch_to_tsquery('english', $${param})::text AS words, to_char(now() AT TIME ZONE 'UTC', ${ISO}) AS now,
   (SELECT to_char(b.created_at AT TIME ZONE 'UTC', ${ISO}) FROM decisions b WHERE b.project_id = $1
     ORDER BY b.created_at DESC, b.id DESC LIMIT 1) AS newest,
   (SELECT to_char(b.created_at AT TIME ZONE 'UTC', ${ISO}) FROM decisions b WHERE b.project_id = $1
     ORDER BY b.created_at, b.id LIMIT 1) AS oldest`;

/** Parses the query and picks its index term. */
async function planQuery(db: Queryable, projectId: string, q: string, known?: Parsed): Promise<Plan> {
  const { words, prefixes } = tsqueryOf(q);
  const row = known ?? (await db.query<Parsed>(`SELECT ${PARSED_SQL(2)}`, [projectId, words])).rows[0];
  const stats = await wordStats(db);
  const freqs = stats.freqs;
  const freq = (lexeme: string, prefix: boolean) => {
    if (!prefix) return freqs.get(lexeme) ?? 0;
    let sum = 0;
    for (const [e, f] of freqs) if (e.startsWith(lexeme)) sum += f;
    return Math.min(1, sum);
  };
  let tree: TsNode | undefined;
  let parsed = true;
  try {
    tree = words ? parseTsquery(row?.words ?? '') : undefined;
  } catch {
    // Text we cannot read: no index term, so the date walk (correct, only slower).
    parsed = false;
  }
  for (const p of prefixes) {
    const lex: TsNode = { op: 'lex', lexeme: p, prefix: true };
    tree = tree ? { op: 'and', left: tree, right: lex } : lex;
  }
  const params: unknown[] = [projectId];
  const full = tsquerySql(q, params);
  const term = tree && parsed ? indexTerm(tree, freq) : undefined;
  let termParam: Plan['term'];
  if (term && term.freq < COMMON_FREQ) {
    params.push(term.text);
    termParam = {
      param: params.length,
      rows: term.freq * stats.reltuples,
      freq: term.freq,
      lexemes: term.lexemes,
    };
  }
  const newest = weekOf(row?.newest);
  const oldest = weekOf(row?.oldest);
  const datable = term?.lexemes.every((l) => Buffer.byteLength(l.lexeme) <= DATED_LEXEME_BYTES);
  return {
    full,
    params,
    empty: parsed && !tree,
    term: termParam,
    now: row?.now ?? new Date().toISOString(),
    weeks: datable && newest !== undefined && oldest !== undefined ? { newest, oldest } : undefined,
  };
}

interface Row extends Decision {
  sort_key: string;
  rank?: number;
}

function strip(rows: Row[]): Decision[] {
  return rows.map(({ sort_key: _s, rank: _r, ...d }) => d);
}

type Position = { createdAt: string; id: string };

class SearchTimeout extends Error {
  readonly code = '57014';
}

/**
 * Steps 2–4 run in one read-only transaction whose plan settings are sent with its BEGIN: no sequential scans, a generic plan (so a word's
 * statistics cannot pick another one) and the time left. Each row-window statement runs with index scans
 * off (only bitmap scans: the BitmapAnd); the edge statement before it needs them on. To save round
 * trips, each of the two switches them for the next one as it runs (`set_config` at execution, after its
 * own planning).
 */
function pinnedPlans(timeoutMs: number): TransactionOptions {
  return {
    readOnly: true,
    settings: {
      enable_seqscan: 'off',
      plan_cache_mode: 'force_generic_plan',
      statement_timeout: Math.max(1, Math.ceil(timeoutMs)),
    },
  };
}

/** `(created_at, id) < position` as SQL, its values appended to `params`. */
function before(params: unknown[], pos: Position | undefined): string {
  if (!pos) return '';
  params.push(pos.createdAt, pos.id);
  return `AND (d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
}

/** A page's rows plus a statement-wide count in one answer that has a row even when no row matched. */
type CountedRow = Row & { counted: string; unpinned?: string };
function counted(rows: CountedRow[]): { rows: Row[]; count: number } {
  const count = Number(rows[0]?.counted ?? 0);
  return {
    rows: rows.filter((r) => r.id !== null).map(({ counted: _c, unpinned: _u, ...r }) => r as Row),
    count,
  };
}

/**
 * Step 2: the matches after `after` (newest first, at most `limit`) when the index term matches at most
 * MATCH_CAP rows of the whole table; undefined when it matches more. Heap rows read ≤ MATCH_CAP + 1.
 */
async function completeSet(
  tx: Queryable,
  plan: Plan,
  term: number,
  after: Position | undefined,
  limit: number,
  rankSql: string,
): Promise<Row[] | undefined> {
  const params = [...plan.params];
  const keyset = before(params, after);
  const res = await tx.query<CountedRow>(
    `WITH m AS MATERIALIZED (
       SELECT d.* FROM decisions d WHERE d.search @@ $${term}::tsquery LIMIT ${MATCH_CAP + 1})
     SELECT (SELECT count(*) FROM m) AS counted, p.* FROM (SELECT 1) one LEFT JOIN LATERAL (
       SELECT ${COLUMNS}${rankSql} FROM m d
        WHERE d.project_id = $1 AND (d.search @@ ${plan.full}) ${keyset}
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}) p ON true`,
    params,
  );
  const { rows, count } = counted(res.rows);
  return count > MATCH_CAP ? undefined : rows;
}

/**
 * The newest `limit` matches after `after` (steps 2–4, under one time budget). Heap rows read per
 * statement: ≤ MATCH_CAP + 1 (step 2), ≤ WINDOW_FETCH_CAP + 1 or one window of WINDOW_FETCH_CAP rows
 * (step 3, plus rows sharing the window edge's timestamp).
 */
async function newestMatches(
  db: SearchDb,
  plan: Plan,
  after: Position | undefined,
  limit: number,
  opts: { rank: boolean; timeoutMs: number },
): Promise<{ rows: Row[]; path: SearchPage['path'] }> {
  const term = plan.term;
  const deadline = performance.now() + opts.timeoutMs;
  const remaining = () => {
    const ms = deadline - performance.now();
    if (ms <= 0) throw new SearchTimeout('the search exceeded its time budget');
    return ms;
  };
  const rankSql = opts.rank ? `, ts_rank(d.search, ${plan.full}) AS rank` : '';
  return db.transaction(async (tx) => {
    if (!term) {
      // 4. No usable index term: the date walk (every required word is common, or only negations).
      const params = [...plan.params];
      const keyset = before(params, after);
      const walked = await tx.query<Row>(
        `SELECT ${COLUMNS}${rankSql} FROM decisions d
          WHERE d.project_id = $1 AND (d.search @@ ${plan.full}) IS TRUE ${keyset}
          ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}`,
        params,
      );
      return { rows: walked.rows, path: 'walk' };
    }
    let checked = false;
    const rare = async () => {
      checked = true;
      return completeSet(tx, plan, term.param, after, limit, rankSql);
    };
    if (term.rows <= RARE_ROWS) {
      const rows = await rare();
      if (rows) return { rows, path: 'index' };
    }
    const found: Row[] = [];
    const ctx = { tx, plan, limit, rankSql, remaining, found };
    if (plan.weeks) {
      // 3. Week windows through decisions_search_dated: only this project's rows of those weeks.
      const weeks = plan.weeks;
      let to = Math.min(weeks.newest, after ? (weekOf(after.createdAt) ?? weeks.newest) : weeks.newest);
      let span = FIRST_WEEKS;
      for (let first = true; to >= weeks.oldest; first = false) {
        // Step 2 after the first window when the statistics expect the term to be rare-ish (its rows may
        // all be long ago, or in other projects).
        if (!checked && !first && term.rows <= 2 * MATCH_CAP) {
          const rows = await rare();
          if (rows) return { rows, path: 'index' };
        }
        const from = Math.max(weeks.oldest, to - span + 1);
        remaining();
        // The term's parameter carries the term in these weeks.
        const params = [...plan.params];
        params[term.param - 1] = datedTerm(plan.params[0] as string, from, to, term.lexemes);
        const keyset = before(params, after);
        const res = await tx.query<CountedRow>(
          `WITH w AS MATERIALIZED (
             SELECT d.* FROM decisions d
              WHERE decisions_search_dated(d.project_id, d.created_at, d.search) @@ $${term.param}::tsquery
              LIMIT ${WINDOW_FETCH_CAP + 1})
           SELECT (SELECT count(*) FROM w) AS counted, p.* FROM (SELECT 1) one LEFT JOIN LATERAL (
             SELECT ${COLUMNS}${rankSql} FROM w d
              WHERE d.project_id = $1 AND (d.search @@ ${plan.full}) IS TRUE ${keyset}
              ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit - found.length}) p ON true`,
          params,
        );
        const { rows, count } = counted(res.rows);
        if (count > WINDOW_FETCH_CAP && from < to) {
          // More term rows than one statement may read: fewer weeks from the same place.
          span = Math.max(1, Math.floor((to - from + 1) / WINDOW_GROWTH));
          continue;
        }
        if (count > WINDOW_FETCH_CAP) {
          // One week that dense: row windows inside it, each a BitmapAnd of its dates and the week's term.
          const weekEnd = isoOfWeek(to + 1);
          const start =
            after && weekOf(after.createdAt) === to ? after : { createdAt: weekEnd, id: MIN_UUID };
          const weekTerm = datedTerm(plan.params[0] as string, to, to, term.lexemes);
          const done = await rowWindows(ctx, start, {
            floor: isoOfWeek(to),
            match: (params) => {
              params[term.param - 1] = weekTerm;
              return `decisions_search_dated(d.project_id, d.created_at, d.search) @@ $${term.param}::tsquery`;
            },
          });
          if (done === 'full') return { rows: found, path: 'windows' };
          to -= 1;
          continue;
        }
        found.push(...rows);
        if (found.length >= limit) break;
        // Next: WINDOW_GROWTH× more weeks, but no more than this window's density says would fill half a
        // statement (a window that overflows costs a statement for nothing).
        const perWeek = count / (to - from + 1);
        const fits = perWeek > 0 ? Math.floor(WINDOW_FETCH_CAP / 2 / perWeek) : Number.POSITIVE_INFINITY;
        span = Math.max(1, Math.min(span * WINDOW_GROWTH, fits));
        to = from - 1;
      }
      return { rows: found, path: 'windows' };
    }
    // 3'. Row windows over the plain index (an infinite timestamp, or a word too long for the dated index).
    const done = await rowWindows(ctx, after, {
      match: () => `d.search @@ $${term.param}::tsquery`,
      rareCheck: async (scanned) => {
        if (checked || (term.rows > 2 * MATCH_CAP && scanned < RARE_CHECK_AFTER)) return undefined;
        return rare();
      },
    });
    return { rows: found, path: done === 'rare' ? 'index' : 'windows' };
  }, pinnedPlans(remaining()));
}

/**
 * Row windows: consecutive stretches of the project's date index after `start`, newest first, each a
 * BitmapAnd of its date range and `match` (sized from the term's frequency, then WINDOW_GROWTH× larger;
 * a stretch with more than WINDOW_FETCH_CAP term rows is retried smaller). Appends to `found`; stops at
 * `floor` (older rows are not read) or at the project's oldest row. `full`: the page is full; `rare`:
 * step 2 answered (its rows replace `found`); `more`: the stretch is read and the page is not full.
 */
async function rowWindows(
  ctx: {
    tx: Queryable;
    plan: Plan;
    limit: number;
    rankSql: string;
    remaining: () => number;
    found: Row[];
  },
  start: Position | undefined,
  opts: {
    match: (params: unknown[]) => string;
    floor?: string;
    /** Step 2, asked before each window but the first with the rows scanned so far; rows end the search. */
    rareCheck?: (scanned: number) => Promise<Row[] | undefined>;
  },
): Promise<'full' | 'rare' | 'more'> {
  const { tx, plan, limit, rankSql, remaining, found } = ctx;
  const term = plan.term as NonNullable<Plan['term']>;
  let pos = start;
  // Sized so the index term's rows (pg_stats) would fill the page about twice; FIRST_WINDOW if unknown.
  let size =
    term.freq > 0
      ? Math.min(MAX_FIRST_WINDOW, Math.max(WINDOW_FETCH_CAP, Math.ceil((2 * limit) / term.freq)))
      : FIRST_WINDOW;
  let scanned = 0;
  for (;;) {
    if (opts.rareCheck && scanned > 0) {
      const rows = await opts.rareCheck(scanned);
      if (rows) {
        found.splice(0, found.length, ...rows);
        return 'rare';
      }
    }
    // The window's oldest row: `size` rows down the project's date index — an index-only scan, so
    // index scans are allowed for this statement only (it turns them off again as it runs).
    remaining();
    const edgeParams: unknown[] = [plan.params[0]];
    const edgeKeyset = before(edgeParams, pos);
    const edge = await tx.query<{ sort_key: string | null; id: string | null }>(
      // (The timestamp is formatted outside the OFFSET: a projection below it runs for every skipped row.)
      `SELECT e.id, to_char(e.created_at AT TIME ZONE 'UTC', ${ISO}) AS sort_key,
              set_config('enable_indexscan', 'off', true) AS pinned
         FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT d.id, d.created_at
           FROM decisions d WHERE d.project_id = $1 ${pos ? 'AND d.created_at <= $2::timestamptz' : ''} ${edgeKeyset}
          ORDER BY d.created_at DESC, d.id DESC OFFSET ${size - 1} LIMIT 1) e ON true`,
      edgeParams,
    );
    const oldest = edge.rows[0]?.id ? (edge.rows[0] as { sort_key: string; id: string }) : undefined;
    const params = [...plan.params];
    const keyset = before(params, pos);
    params.push(oldest?.sort_key ?? '-infinity', oldest?.id ?? MIN_UUID);
    const lo = params.length - 1;
    params.push(pos?.createdAt ?? 'infinity');
    const hi = params.length;
    let floor = '';
    if (opts.floor) {
      params.push(opts.floor);
      floor = `AND d.created_at >= $${params.length}::timestamptz`;
    }
    const match = opts.match(params);
    const capped = size > WINDOW_FETCH_CAP;
    const res = await tx.query<CountedRow>(
      `WITH w AS MATERIALIZED (
         SELECT d.* FROM decisions d
          WHERE d.project_id = $1 AND d.created_at >= $${lo}::timestamptz AND d.created_at <= $${hi}::timestamptz
            ${floor} AND ${match}
          ${capped ? `LIMIT ${WINDOW_FETCH_CAP + 1}` : ''})
       SELECT (SELECT count(*) FROM w) AS counted, set_config('enable_indexscan', 'on', true) AS unpinned, p.*
         FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT ${COLUMNS}${rankSql} FROM w d
          WHERE (d.search @@ ${plan.full}) IS TRUE
            AND (d.created_at, d.id) >= ($${lo}::timestamptz, $${lo + 1}::uuid) ${keyset}
          ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit - found.length}) p ON true`,
      params,
    );
    const { rows, count } = counted(res.rows);
    if (capped && count > WINDOW_FETCH_CAP) {
      // Denser than one statement may read: a smaller window from the same place.
      size = Math.max(WINDOW_FETCH_CAP, Math.floor(size / WINDOW_GROWTH));
      continue;
    }
    found.push(...rows);
    scanned += size;
    if (found.length >= limit) return 'full';
    if (!oldest || (opts.floor && oldest.sort_key < opts.floor)) return 'more';
    pos = { createdAt: oldest.sort_key, id: oldest.id };
    size *= WINDOW_GROWTH;
  }
}

/** One page of a project's decisions matching `q`, in the chosen order, keyset-paginated. */
export async function searchDecisions(
  db: SearchDb,
  projectId: string,
  opts: { q: string; limit: number; sort: SearchSort; after?: SearchCursor | undefined; timeoutMs?: number },
): Promise<SearchPage> {
  const timeoutMs = opts.timeoutMs ?? SEARCH_TIMEOUT_MS;
  const n = opts.limit + 1;
  if (opts.sort === 'relevance') return byRelevance(db, projectId, { ...opts, timeoutMs });
  const after =
    opts.after?.sort === 'newest' ? { createdAt: opts.after.createdAt, id: opts.after.id } : undefined;

  // 1. The newest RECENT_WINDOW rows after the cursor, by the date index, filtered (and, for the
  //    next steps, the words' tsquery as text).
  const params: unknown[] = [projectId];
  const tsq = tsquerySql(opts.q, params);
  const keyset = before(params, after);
  params.push(tsqueryOf(opts.q).words);
  const recent = await db.query<Row & Parsed>(
    `SELECT ${PARSED_SQL(params.length)}, p.* FROM (SELECT 1) one LEFT JOIN LATERAL (
       SELECT ${COLUMNS} FROM (
         SELECT * FROM decisions d WHERE d.project_id = $1 ${keyset}
          ORDER BY d.created_at DESC, d.id DESC LIMIT ${RECENT_WINDOW}) d
        WHERE d.search @@ ${tsq}
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${n}) p ON true`,
    params,
  );
  const first = recent.rows[0];
  const parsed: Parsed = {
    words: first?.words ?? '',
    now: first?.now ?? '',
    newest: first?.newest ?? null,
    oldest: first?.oldest ?? null,
  };
  const recentRows = recent.rows
    .filter((r) => r.id !== null)
    .map(({ words: _w, now: _n, newest: _e, oldest: _o, ...r }) => r as Row);
  if (recentRows.length === n) return newestPage(recentRows, opts.limit, 'recent');

  const plan = await planQuery(db, projectId, opts.q, parsed);
  if (plan.empty) return { items: [], next: undefined, path: 'index' };
  const { rows, path } = await newestMatches(db, plan, after, n, { rank: false, timeoutMs });
  return newestPage(rows, opts.limit, path);
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

const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

async function byRelevance(
  db: SearchDb,
  projectId: string,
  opts: { q: string; limit: number; after?: SearchCursor | undefined; timeoutMs: number },
): Promise<SearchPage> {
  const after = opts.after?.sort === 'relevance' ? opts.after : undefined;
  const plan = await planQuery(db, projectId, opts.q);
  if (plan.empty) return { items: [], next: undefined, path: 'index' };
  const asOf = after?.asOf ?? plan.now;
  // The complete match set as of the first page when it is at most MATCH_CAP, else its newest MATCH_CAP.
  const { rows, path } = await newestMatches(db, plan, { createdAt: asOf, id: MAX_UUID }, MATCH_CAP, {
    rank: true,
    timeoutMs: opts.timeoutMs,
  });
  const ranked = rows
    .map((r) => ({ ...r, rank: Number(r.rank) }))
    .sort((a, b) => b.rank - a.rank || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const rest = after
    ? ranked.filter((r) => r.rank < after.rank || (r.rank === after.rank && r.id < after.id))
    : ranked;
  const more = rest.length > opts.limit;
  const shown = more ? rest.slice(0, opts.limit) : rest;
  const last = shown.at(-1);
  return {
    items: strip(shown),
    next: more && last ? { sort: 'relevance', rank: last.rank, id: last.id, asOf } : undefined,
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
