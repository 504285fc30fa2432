import { type Cursor, keysetPage } from '../pagination.js';
import type { Queryable } from './database.js';

export type Role = 'owner' | 'editor' | 'viewer';

export interface Project {
  id: string;
  name: string;
  description: string | null;
  owner_id: string;
  /** The caller's role: the creator is always an owner. */
  role: Role;
  created_at: Date;
}

const COLUMNS = `p.id, p.name, p.description, p.owner_id, p.created_at,
  CASE WHEN p.owner_id = $1 THEN 'owner' ELSE m.role END AS role`;

export interface ProjectPage {
  items: Project[];
  /** Key of the last item when more projects follow. */
  next: Cursor | undefined;
}

/**
 * One page of the projects the user owns or is a member of, newest first, keyset-paginated on
 * (created_at, id) like the decisions list, so no project is dropped or repeated between pages.
 */
export async function listProjects(
  db: Queryable,
  userId: string,
  opts: { limit: number; after?: Cursor | undefined },
): Promise<ProjectPage> {
  const params: unknown[] = [userId];
  let after = '';
  if (opts.after) {
    params.push(opts.after.createdAt, opts.after.id);
    after = 'AND (p.created_at, p.id) < ($2::timestamptz, $3::uuid)';
  }
  params.push(opts.limit + 1);
  const res = await db.query<Project & { sort_key: string }>(
    `SELECT ${COLUMNS},
            to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key
       FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
      WHERE (p.owner_id = $1 OR m.user_id IS NOT NULL) ${after}
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT $${params.length}`,
    params,
  );
  return keysetPage(res.rows, opts.limit);
}

/** The project if the user may see it (owner or member); undefined otherwise, so callers answer 404. */
export async function findProjectForUser(
  db: Queryable,
  userId: string,
  projectId: string,
): Promise<Project | undefined> {
  const res = await db.query<Project>(
    `SELECT ${COLUMNS}
       FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
      WHERE p.id = $2 AND (p.owner_id = $1 OR m.user_id IS NOT NULL)`,
    [userId, projectId],
  );
  return res.rows[0];
}

/**
 * Creates a project. With an idempotency key, a second call with the same key returns the project
 * the first one created (`created: false`) instead of a duplicate.
 */
export async function createProject(
  db: Queryable,
  ownerId: string,
  name: string,
  description: string | null,
  idempotencyKey: string | null = null,
  webhookSecret: string | null = null,
): Promise<{ project: Project; created: boolean }> {
  const res = await db.query<Project>(
    `INSERT INTO projects (owner_id, name, description, idempotency_key, webhook_secret) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING id, name, description, owner_id, created_at, 'owner' AS role`,
    [ownerId, name, description, idempotencyKey, webhookSecret],
  );
  if (res.rows[0]) return { project: res.rows[0], created: true };
  const existing = await db.query<Project>(
    `SELECT id, name, description, owner_id, created_at, 'owner' AS role
       FROM projects WHERE owner_id = $1 AND idempotency_key = $2`,
    [ownerId, idempotencyKey],
  );
  return { project: existing.rows[0]!, created: false };
}

/** How long the secret replaced by a rotation still verifies deliveries (time to update Tactiq). */
export const PREVIOUS_SECRET_HOURS = 24;

/** The secrets a delivery for this project may be signed with: current first. Empty for no such project. */
export async function webhookSecretsOf(db: Queryable, projectId: string): Promise<string[]> {
  const res = await db.query<{ current: string | null; previous: string | null }>(
    `SELECT webhook_secret AS current,
            CASE WHEN webhook_secret_rotated_at > now() - $2 * interval '1 hour' THEN webhook_secret_previous END AS previous
       FROM projects WHERE id = $1`,
    [projectId, PREVIOUS_SECRET_HOURS],
  );
  const row = res.rows[0];
  return row ? [row.current, row.previous].filter((s): s is string => s !== null) : [];
}

/** The project's webhook secret, storing `fresh` first when the project has none yet (older projects). */
export async function ensureWebhookSecret(db: Queryable, projectId: string, fresh: string): Promise<string> {
  const res = await db.query<{ webhook_secret: string }>(
    `UPDATE projects SET webhook_secret = coalesce(webhook_secret, $2) WHERE id = $1 RETURNING webhook_secret`,
    [projectId, fresh],
  );
  return res.rows[0]!.webhook_secret;
}

/** Replaces the secret; the one it replaces keeps verifying for PREVIOUS_SECRET_HOURS. */
export async function rotateWebhookSecret(db: Queryable, projectId: string, fresh: string): Promise<void> {
  await db.query(
    `UPDATE projects SET webhook_secret_previous = webhook_secret, webhook_secret = $2,
            webhook_secret_rotated_at = now() WHERE id = $1`,
    [projectId, fresh],
  );
}
