/**
 * Project members. An owner adds people by email: an account with that email becomes a member at
 * once, an email without one waits as an invite and becomes a member when it registers. The answer
 * is the same either way, so adding a member never reveals whether someone has an account.
 */
import type { Queryable } from './database.js';
import type { Role } from './projects.js';

export interface Member {
  email: string;
  role: Role;
}

/** Everyone on the project: the creator (owner), members and pending invites, by email. */
export async function listMembers(db: Queryable, projectId: string): Promise<Member[]> {
  const res = await db.query<Member>(
    `SELECT u.email, 'owner' AS role, 0 AS o, p.created_at AS t
       FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.id = $1
     UNION ALL
     SELECT u.email, m.role, 1, m.created_at
       FROM project_members m JOIN users u ON u.id = m.user_id
       JOIN projects p ON p.id = m.project_id
      WHERE m.project_id = $1 AND m.user_id <> p.owner_id
     UNION ALL
     SELECT i.email, i.role, 1, i.created_at FROM project_invites i WHERE i.project_id = $1
     ORDER BY o, t, email`,
    [projectId],
  );
  return res.rows.map(({ email, role }) => ({ email, role }));
}

export type SetMemberResult = 'set' | 'creator';

/** Adds or changes the role of `email` on the project (call inside `db.transaction`). */
export async function setMember(
  tx: Queryable,
  projectId: string,
  email: string,
  role: Role,
): Promise<SetMemberResult> {
  const user = await tx.query<{ id: string; creator: boolean }>(
    `SELECT u.id, (p.owner_id = u.id) AS creator FROM users u, projects p
      WHERE lower(u.email) = lower($1) AND p.id = $2`,
    [email, projectId],
  );
  const found = user.rows[0];
  if (found?.creator) return 'creator';
  if (found) {
    await tx.query(
      `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [projectId, found.id, role],
    );
  } else {
    await tx.query(
      `INSERT INTO project_invites (project_id, email, role) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, lower(email)) DO UPDATE SET role = EXCLUDED.role`,
      [projectId, email, role],
    );
  }
  return 'set';
}

/** Removes `email` from the project (member or invite); 'creator' when it is the creator, who stays. */
export async function removeMember(
  tx: Queryable,
  projectId: string,
  email: string,
): Promise<'removed' | 'creator'> {
  const creator = await tx.query(
    'SELECT 1 FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.id = $1 AND lower(u.email) = lower($2)',
    [projectId, email],
  );
  if (creator.rows.length > 0) return 'creator';
  await tx.query(
    `DELETE FROM project_members m USING users u
      WHERE m.project_id = $1 AND m.user_id = u.id AND lower(u.email) = lower($2)`,
    [projectId, email],
  );
  await tx.query('DELETE FROM project_invites WHERE project_id = $1 AND lower(email) = lower($2)', [
    projectId,
    email,
  ]);
  return 'removed';
}
