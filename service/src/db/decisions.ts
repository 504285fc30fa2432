import { type Cursor, keysetPage } from '../pagination.js';
import type { Queryable } from './database.js';

export interface Decision {
  id: string;
  project_id: string;
  transcript_id: string | null;
  title: string;
  rationale: string | null;
  owner: string | null;
  confidence: number | null;
  quote: string | null;
  created_at: Date;
}

export interface DecisionPage {
  items: Decision[];
  /** Key of the last item when more rows follow. */
  next: Cursor | undefined;
}

/** A decision's columns and its keyset sort key (microseconds, UTC), for every query that returns decisions. */
export const COLUMNS = `d.id, d.project_id, d.transcript_id, d.title, d.rationale, d.owner, d.confidence, d.quote, d.created_at,
  to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key`;

/**
 * One page of a project's decisions, newest first, keyset-paginated on (created_at, id). Searches go
 * through `searchDecisions` (db/search.ts), whose cost is bounded whatever the words.
 */
export async function listDecisions(
  db: Queryable,
  projectId: string,
  opts: { limit: number; after?: Cursor | undefined },
): Promise<DecisionPage> {
  const params: unknown[] = [projectId];
  const where = ['d.project_id = $1'];
  if (opts.after) {
    params.push(opts.after.createdAt, opts.after.id);
    where.push(`(d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(opts.limit + 1);
  const res = await db.query<Decision & { sort_key: string }>(
    `SELECT ${COLUMNS} FROM decisions d WHERE ${where.join(' AND ')}
      ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length}`,
    params,
  );
  return keysetPage(res.rows, opts.limit);
}

/** A decision if the user may see its project; undefined otherwise. */
export async function findDecisionForUser(
  db: Queryable,
  userId: string,
  decisionId: string,
): Promise<Decision | undefined> {
  const res = await db.query<Decision>(
    `SELECT ${COLUMNS}
       FROM decisions d JOIN projects p ON p.id = d.project_id
       LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
      WHERE d.id = $2 AND (p.owner_id = $1 OR m.user_id IS NOT NULL)`,
    [userId, decisionId],
  );
  const row = res.rows[0] as (Decision & { sort_key?: string }) | undefined;
  if (!row) return undefined;
  const { sort_key: _, ...d } = row;
  return d;
}

/** A decision logged by hand (editors and owners); `transcript_id` stays null. */
export async function createDecision(
  db: Queryable,
  projectId: string,
  d: { title: string; rationale: string | null; owner: string | null; quote: string | null },
): Promise<Decision> {
  const res = await db.query<Decision>(
    `INSERT INTO decisions (project_id, title, rationale, owner, quote) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, project_id, transcript_id, title, rationale, owner, confidence, quote, created_at`,
    [projectId, d.title, d.rationale, d.owner, d.quote],
  );
  return res.rows[0]!;
}
