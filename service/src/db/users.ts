import type { Queryable } from './database.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  token_version: number;
}

/**
 * Inserts a user and turns the project invites waiting for this email into memberships (call
 * inside `db.transaction`); undefined when the email is taken (case-insensitively).
 */
export async function createUser(
  tx: Queryable,
  email: string,
  passwordHash: string,
): Promise<UserRow | undefined> {
  const res = await tx.query<UserRow>(
    `INSERT INTO users (email, password_hash) VALUES ($1, $2)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING id, email, password_hash, token_version`,
    [email, passwordHash],
  );
  const user = res.rows[0];
  if (!user) return undefined;
  await tx.query(
    `WITH taken AS (DELETE FROM project_invites WHERE lower(email) = lower($2) RETURNING project_id, role)
     INSERT INTO project_members (project_id, user_id, role) SELECT project_id, $1, role FROM taken
     ON CONFLICT (project_id, user_id) DO NOTHING`,
    [user.id, email],
  );
  return user;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const res = await db.query<UserRow>(
    'SELECT id, email, password_hash, token_version FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  return res.rows[0];
}

/** The user's current token version; undefined when the user no longer exists. */
export async function tokenVersionOf(db: Queryable, userId: string): Promise<number | undefined> {
  const res = await db.query<{ token_version: number }>('SELECT token_version FROM users WHERE id = $1', [
    userId,
  ]);
  return res.rows[0]?.token_version;
}

/** Revokes every token issued to the user so far. */
export async function revokeTokens(db: Queryable, userId: string): Promise<void> {
  await db.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [userId]);
}

/** Replaces a hash made with weaker parameters, unless the password changed meanwhile. */
export async function replacePasswordHash(
  db: Queryable,
  userId: string,
  oldHash: string,
  newHash: string,
): Promise<void> {
  await db.query('UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [
    userId,
    oldHash,
    newHash,
  ]);
}
