import { type Statement, splitStatements } from './sql.js';

export type LintRule =
  | 'drop-table'
  | 'drop-column'
  | 'drop-schema'
  | 'rename-column'
  | 'rename-table'
  | 'column-type-change'
  | 'set-not-null'
  | 'add-not-null-column'
  | 'index-not-concurrent'
  | 'concurrently-in-transaction'
  | 'transaction-control'
  | 'truncate';

export interface Finding {
  file: string;
  line: number;
  rule: LintRule;
  /** `error` findings make `apply` stop before anything runs (the file cannot work as written). */
  severity: 'warning' | 'error';
  /** Why it matters for a rollback of the app, and what to do instead. */
  message: string;
}

export interface LintInput {
  name: string;
  sql: string;
  noTransaction: boolean;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QNAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const ERROR_RULES = new Set<LintRule>(['concurrently-in-transaction', 'transaction-control']);

/** `public.users`, `"Users"`, `users` → one comparable spelling. */
export function normaliseName(name: string): string {
  const parts = name
    .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()));
  if (parts.length === 2 && parts[0] === 'public') parts.shift();
  return parts.join('.');
}

/**
 * Flags statements that make rolling the app back unsafe, lock a busy table, or cannot run as
 * written. Files are linted in order: a table created earlier in the same set counts as new, so
 * indexing it or adding NOT NULL columns to it is fine.
 */
export function lintMigrations(files: LintInput[]): Finding[] {
  const created = new Set<string>();
  const findings: Finding[] = [];
  for (const file of files) {
    for (const statement of splitStatements(file.sql)) {
      findings.push(...lintStatement(file, statement, created));
    }
  }
  return findings;
}

function lintStatement(file: LintInput, st: Statement, created: Set<string>): Finding[] {
  const out: Finding[] = [];
  const code = st.code;
  const add = (rule: LintRule, index: number, message: string) =>
    out.push({
      file: file.name,
      line: st.line + (code.slice(0, index).match(/\n/g)?.length ?? 0),
      rule,
      severity: ERROR_RULES.has(rule) ? 'error' : 'warning',
      message,
    });
  const isNew = (name: string | undefined) => name !== undefined && created.has(normaliseName(name));

  const createTable = new RegExp(
    String.raw`^\s*CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QNAME}`,
    'i',
  ).exec(code);
  if (createTable?.[1]) created.add(normaliseName(createTable[1]));

  if (!file.noTransaction) {
    const control = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION|END)\b/i.exec(code);
    if (control) {
      add(
        'transaction-control',
        control.index,
        `${control[1]!.toUpperCase()} inside a migration: each file already runs in its own transaction with its history row, so this would commit part of the file on its own; remove it (or mark the file -- migrate:no-transaction).`,
      );
    }
    const concurrently = /\bCONCURRENTLY\b/i.exec(code);
    if (concurrently && !/^\s*REFRESH\b/i.test(code)) {
      add(
        'concurrently-in-transaction',
        concurrently.index,
        'CONCURRENTLY cannot run inside a transaction and PostgreSQL will reject it: put this statement in its own file whose first line is -- migrate:no-transaction.',
      );
    }
  }

  const dropTable = new RegExp(String.raw`^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${QNAME}`, 'i').exec(code);
  if (dropTable && !isNew(dropTable[1])) {
    add(
      'drop-table',
      dropTable.index,
      `DROP TABLE ${dropTable[1]} deletes the table and its data: the app version still serving traffic, and any version you roll back to, fails on every query that reads it, and a rollback cannot bring the data back; stop using the table in one release and drop it in a later one.`,
    );
  }
  const dropSchema = /^\s*DROP\s+SCHEMA\b/i.exec(code);
  if (dropSchema) {
    add(
      'drop-schema',
      dropSchema.index,
      'DROP SCHEMA deletes every object in it with their data: older app versions that use it break and a rollback cannot restore it; drop it in a later release, after nothing uses it.',
    );
  }
  const truncate = /^\s*TRUNCATE\b/i.exec(code);
  if (truncate) {
    add(
      'truncate',
      truncate.index,
      'TRUNCATE deletes every row and takes an ACCESS EXCLUSIVE lock: an app rollback cannot bring the data back; restore from the backup is the only way, so make sure this is intended.',
    );
  }

  const alter = new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QNAME}`, 'i').exec(
    code,
  );
  if (alter?.[1]) {
    const table = alter[1];
    const fresh = isNew(table);
    const offset = alter.index + alter[0].length;
    for (const action of topLevelParts(code.slice(offset), offset)) {
      const text = action.text;
      const at = (m: RegExpExecArray) => action.offset + m.index + (/^\s*/.exec(m[0])?.[0].length ?? 0);
      const dropColumn = new RegExp(
        String.raw`^\s*DROP\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|DEFAULT|NOT|IDENTITY|EXPRESSION)\b)(?:IF\s+EXISTS\s+)?(${IDENT})`,
        'i',
      ).exec(text);
      if (dropColumn && !fresh) {
        add(
          'drop-column',
          at(dropColumn),
          `Dropping column ${dropColumn[1]} of ${table} deletes its data: the app version still serving traffic, and any version you roll back to, fails when it reads or writes it; stop using the column in one release and drop it in a later one.`,
        );
      }
      const renameColumn = new RegExp(
        String.raw`^\s*RENAME\s+(?:COLUMN\s+)?(?!(?:TO|CONSTRAINT)\b)(${IDENT})\s+TO\s+(${IDENT})`,
        'i',
      ).exec(text);
      if (renameColumn && !fresh) {
        add(
          'rename-column',
          at(renameColumn),
          `Renaming column ${renameColumn[1]} of ${table} to ${renameColumn[2]} breaks the app version still running and any version you roll back to, which use the old name; add the new column, write both, and drop the old one in a later release.`,
        );
      }
      const renameTable = new RegExp(String.raw`^\s*RENAME\s+TO\s+(${IDENT})`, 'i').exec(text);
      if (renameTable && !fresh) {
        add(
          'rename-table',
          at(renameTable),
          `Renaming table ${table} to ${renameTable[1]} breaks the app version still running and any version you roll back to; create a view with the old name or rename in a later release.`,
        );
      }
      const typeChange = new RegExp(
        String.raw`^\s*ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+(?:SET\s+DATA\s+)?TYPE\b`,
        'i',
      ).exec(text);
      if (typeChange && !fresh) {
        add(
          'column-type-change',
          at(typeChange),
          `Changing the type of ${table}.${typeChange[1]} usually rewrites the table under an ACCESS EXCLUSIVE lock, and the old app version may not read or write the new type; add a new column and migrate in steps.`,
        );
      }
      const setNotNull = /^\s*ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+NOT\s+NULL\b/i.exec(text);
      if (setNotNull && !fresh) {
        add(
          'set-not-null',
          at(setNotNull),
          `SET NOT NULL on ${table} scans the whole table under an ACCESS EXCLUSIVE lock, and the app version still running (or one you roll back to) may insert NULLs and start failing; add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, then set NOT NULL.`,
        );
      }
      const addColumn = new RegExp(
        String.raw`^\s*ADD\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|EXCLUDE)\b)(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})`,
        'i',
      ).exec(text);
      if (
        addColumn &&
        !fresh &&
        /\bNOT\s+NULL\b/i.test(text) &&
        !/\bDEFAULT\b/i.test(text) &&
        !/\bGENERATED\b/i.test(text)
      ) {
        add(
          'add-not-null-column',
          at(addColumn),
          `Adding NOT NULL column ${addColumn[1]} without a DEFAULT to ${table} fails if the table has rows, and the app version still running (or one you roll back to) does not set it, so its inserts fail; add a DEFAULT or make it nullable first.`,
        );
      }
    }
  }

  const index = new RegExp(
    String.raw`^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b(\s+CONCURRENTLY\b)?[\s\S]*?\bON\s+(?:ONLY\s+)?${QNAME}`,
    'i',
  ).exec(code);
  if (index && !index[1] && !isNew(index[2])) {
    add(
      'index-not-concurrent',
      index.index,
      `CREATE INDEX without CONCURRENTLY on existing table ${index[2]} blocks every write to it until the index is built; use CREATE INDEX CONCURRENTLY in a file marked -- migrate:no-transaction.`,
    );
  }
  return out;
}

/** Splits an ALTER TABLE action list on commas outside parentheses, keeping offsets. */
function topLevelParts(text: string, base: number): Array<{ text: string; offset: number }> {
  const parts: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      parts.push({ text: text.slice(start, i), offset: base + start });
      start = i + 1;
    }
  }
  return parts;
}
