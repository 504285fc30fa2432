/**
 * The lint rules as data: what each one flags, the lock PostgreSQL takes, why it hurts a deploy or
 * a rollback, and the safe recipe in one sentence. The README's rule list and the tests are checked
 * against `bad` (flagged) and `good` (clean) of every rule.
 */
export type Severity = 'error' | 'warning';

export interface Rule {
  /** `error`: lint and plan fail and apply stops before anything runs, unless allowed with a reason. */
  severity: Severity;
  /** The lock the statement takes, in PostgreSQL's names. */
  lock: string;
  /** Why it matters, completing "This …". */
  hazard: string;
  /** The safe way, one sentence. */
  recipe: string;
  /** A migration this rule flags (existing table `users`/`orders` unless created in the same example). */
  bad: string;
  /** The safe version: no finding at all. */
  good: string;
}

export const RULES = {
  'add-column-volatile-default': {
    severity: 'error',
    lock: 'ACCESS EXCLUSIVE for a rewrite of the whole table',
    hazard:
      'rewrites every row to fill the new column (a volatile default, serial or identity column), blocking all reads and writes of the table meanwhile',
    recipe:
      'add the column without a default (or with a constant one), set the default for new rows, and backfill existing rows in batches.',
    bad: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    good: 'ALTER TABLE users ADD COLUMN token uuid;\nALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
  },
  'add-generated-column': {
    severity: 'error',
    lock: 'ACCESS EXCLUSIVE for a rewrite of the whole table',
    hazard:
      'computes and stores the value for every row, blocking all reads and writes of the table meanwhile',
    recipe:
      'add a plain nullable column, fill it with a trigger for new rows and in batches for old ones, or compute it in a view or a virtual column (PostgreSQL 18).',
    bad: 'ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED;',
    good: 'ALTER TABLE users ADD COLUMN email_lower text;',
  },
  'add-not-null-column': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE (brief)',
    hazard:
      'fails if the table has rows, and the app version still serving (or one you roll back to) does not set the column, so its inserts fail',
    recipe:
      'add the column nullable or with a constant DEFAULT, backfill, and add NOT NULL in a later release.',
    bad: 'ALTER TABLE users ADD COLUMN plan text NOT NULL;',
    good: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
  },
  'check-not-valid': {
    severity: 'error',
    lock: 'ACCESS EXCLUSIVE while every row is checked',
    hazard: 'scans the whole table to check existing rows while blocking all reads and writes',
    recipe:
      'add the constraint NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later migration file, which only takes SHARE UPDATE EXCLUSIVE.',
    bad: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);',
    good: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;',
  },
  'column-type-change': {
    severity: 'error',
    lock: 'ACCESS EXCLUSIVE, usually for a rewrite of the table and its indexes',
    hazard:
      'usually rewrites the table while blocking all reads and writes, and the app version still serving (or one you roll back to) may not read or write the new type',
    recipe:
      'add a column of the new type, write both from the app, backfill in batches, switch reads, and drop the old column in a later release.',
    bad: 'ALTER TABLE orders ALTER COLUMN id TYPE bigint;',
    good: 'ALTER TABLE orders ADD COLUMN id_new bigint;',
  },
  'detach-partition-not-concurrent': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE on the parent table',
    hazard: 'blocks every query on the partitioned table, and waits behind any running query on it',
    recipe:
      'use DETACH PARTITION … CONCURRENTLY in a file marked -- migrate:no-transaction (PostgreSQL 14 or newer).',
    bad: 'ALTER TABLE events DETACH PARTITION events_2024;',
    good: '-- migrate:no-transaction\nALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;',
  },
  'drop-column': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE (brief)',
    hazard:
      'deletes the column and its data: the app version still serving, and any version you roll back to, fails when it reads or writes it',
    recipe: 'stop using the column in one release and drop it in a later one.',
    bad: 'ALTER TABLE users DROP COLUMN nickname;',
    good: '-- the release before stopped reading and writing nickname\nSELECT 1;',
  },
  'drop-database': {
    severity: 'error',
    lock: 'exclusive use of the database (every connection to it must be closed)',
    hazard: 'deletes a whole database, which no app rollback can bring back',
    recipe: 'drop databases by hand after a verified backup, never from a deploy migration.',
    bad: '-- migrate:no-transaction\nDROP DATABASE legacy;',
    good: '-- databases are dropped by hand after a backup\nSELECT 1;',
  },
  'drop-index-not-concurrent': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE on the index’s table',
    hazard: 'blocks every query on the table, and waits behind any running query on it',
    recipe: 'use DROP INDEX CONCURRENTLY in a file marked -- migrate:no-transaction.',
    bad: 'DROP INDEX users_nickname_idx;',
    good: '-- migrate:no-transaction\nDROP INDEX CONCURRENTLY users_nickname_idx;',
  },
  'drop-not-null': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE (brief)',
    hazard:
      'lets the new version write NULLs that an older version you roll back to does not expect, so the rollback breaks on them',
    recipe:
      'keep NOT NULL until no version that relies on it can be rolled back to, or make sure rollbacks never meet NULLs (backfill first).',
    bad: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
    good: "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';",
  },
  'drop-schema': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE on every table in it',
    hazard: 'deletes every object in the schema with its data: older app versions that use it break',
    recipe: 'stop using the schema in one release and drop it in a later one, after a backup.',
    bad: 'DROP SCHEMA legacy CASCADE;',
    good: '-- the release before stopped using schema legacy\nSELECT 1;',
  },
  'drop-table': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE',
    hazard:
      'deletes the table and its data: the app version still serving, and any version you roll back to, fails on every query that reads it',
    recipe: 'stop using the table in one release and drop it in a later one.',
    bad: 'DROP TABLE sessions;',
    good: '-- the release before stopped using sessions\nSELECT 1;',
  },
  'foreign-key-not-valid': {
    severity: 'error',
    lock: 'SHARE ROW EXCLUSIVE on both tables while every row is checked',
    hazard:
      'scans the whole table to check existing rows while blocking writes to it and to the referenced table',
    recipe:
      'add the foreign key NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later migration file, which only takes SHARE UPDATE EXCLUSIVE.',
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    good: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
  },
  'index-not-concurrent': {
    severity: 'error',
    lock: 'SHARE for the whole index build',
    hazard: 'blocks every insert, update and delete on the table until the index is built',
    recipe: 'use CREATE INDEX CONCURRENTLY in a file marked -- migrate:no-transaction.',
    bad: 'CREATE INDEX orders_user_idx ON orders (user_id);',
    good: '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);',
  },
  'reindex-not-concurrent': {
    severity: 'error',
    lock: 'SHARE on the table (ACCESS EXCLUSIVE on the index) for the whole rebuild',
    hazard: 'blocks writes to the table, and reads that use the index, until the rebuild ends',
    recipe: 'use REINDEX … CONCURRENTLY in a file marked -- migrate:no-transaction.',
    bad: 'REINDEX INDEX orders_user_idx;',
    good: '-- migrate:no-transaction\nREINDEX INDEX CONCURRENTLY orders_user_idx;',
  },
  'rename-column': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE (brief)',
    hazard: 'breaks the app version still serving, and any version you roll back to, which use the old name',
    recipe:
      'add the new column, write both, backfill, switch reads, and drop the old one in a later release.',
    bad: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
    good: 'ALTER TABLE users ADD COLUMN email_address text;',
  },
  'rename-table': {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE (brief)',
    hazard: 'breaks the app version still serving, and any version you roll back to, which use the old name',
    recipe:
      'create the new name as a view over the table, move the app to it, and rename in a later release once no rollback target uses the old name.',
    bad: 'ALTER TABLE users RENAME TO accounts;',
    good: 'CREATE VIEW accounts AS SELECT * FROM users;',
  },
  'serial-column': {
    severity: 'warning',
    lock: 'none beyond the statement’s own',
    hazard:
      'makes a 4-byte (or 2-byte) counter that runs out at 2,147,483,647 and a sequence with separate ownership and permissions',
    recipe: 'use bigint GENERATED ALWAYS AS IDENTITY for key columns.',
    bad: 'CREATE TABLE invoices (id serial PRIMARY KEY);',
    good: 'CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
  },
  'set-not-null': {
    severity: 'error',
    lock: 'ACCESS EXCLUSIVE while every row is checked',
    hazard:
      'scans the whole table under a lock that blocks all reads and writes, and the version still serving (or one you roll back to) may insert NULLs and start failing',
    recipe:
      'add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later file, then SET NOT NULL after the VALIDATE, which PostgreSQL then does without a scan.',
    bad: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    good: 'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
  },
  truncate: {
    severity: 'warning',
    lock: 'ACCESS EXCLUSIVE',
    hazard: 'deletes every row: an app rollback cannot bring the data back, only a restore from backup can',
    recipe: 'delete in batches with a WHERE clause, or keep the data until no version needs it.',
    bad: 'TRUNCATE sessions;',
    good: "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';",
  },
  'unique-in-place': {
    severity: 'error',
    lock: 'ACCESS EXCLUSIVE for the whole index build',
    hazard: 'builds the unique index while blocking all reads and writes of the table',
    recipe:
      'CREATE UNIQUE INDEX CONCURRENTLY in a -- migrate:no-transaction file, then ADD CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX in a later file.',
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    good: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
  },
  'validate-same-transaction': {
    severity: 'error',
    lock: 'the ADD’s lock (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE for FOREIGN KEY) held through the whole scan',
    hazard:
      'validates in the same transaction that added the constraint NOT VALID, so the strong lock of the ADD is held while every row is checked',
    recipe:
      'VALIDATE CONSTRAINT in a later migration file than the ADD … NOT VALID, so it runs with only SHARE UPDATE EXCLUSIVE.',
    bad: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT total_positive;',
    good: 'ALTER TABLE orders VALIDATE CONSTRAINT total_positive;',
  },
} as const satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

export function isRuleName(name: string): name is RuleName {
  return Object.hasOwn(RULES, name);
}
