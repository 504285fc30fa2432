import type { Queryable } from './database.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
}

/** Inserts a user; undefined when the email is taken (case-insensitively). */
export async function createUser(
  db: Queryable,
  email: string,
  passwordHash: string,
): Promise<UserRow | undefined> {
  const res = await db.query<UserRow>(
    `INSERT INTO users (email, password_hash) VALUES ($1, $2)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING id, email, password_hash`,
    [email, passwordHash],
  );
  return res.rows[0];
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const res = await db.query<UserRow>(
    'SELECT id, email, password_hash FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  return res.rows[0];
}
