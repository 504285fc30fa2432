import type { Queryable } from './database.js';

/**
 * One round trip that proves the database answers and reads the newest applied migration
 * (schema_migrations is the runner's history table; absent before the first migration).
 */
export async function readSchemaVersion(db: Queryable): Promise<number | null> {
  try {
    const res = await db.query<{ current: string | null }>(
      'SELECT max(version)::text AS current FROM schema_migrations',
    );
    const current = res.rows[0]?.current;
    return current == null ? null : Number(current);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err;
    await db.query('SELECT 1');
    return null;
  }
}
