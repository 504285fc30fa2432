/** Applies service/migrations with the migrate action's runner (the one implementation), on one connection. */
import { type ApplyResult, applyMigrations, pgAdapter } from '../../../lib/migrations/runner.js';
import type { Db } from './database.js';

export function migrate(db: Db, dir: string, log: (line: string) => void): Promise<ApplyResult> {
  return db.withClient((client) =>
    applyMigrations(pgAdapter(client), { dir, appliedBy: `decisionlog-service ${db.kind}`, log }),
  );
}
