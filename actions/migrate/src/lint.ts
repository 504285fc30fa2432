/**
 * Lint over PostgreSQL's own syntax trees: statements that block a busy table, or make the app
 * version still serving (or the one a rollback returns to) fail. Files are linted in order as one
 * set: a table created earlier in the set is new, so locking it hurts nobody.
 */
import { type AstNode, type Comment, nodeOf, type Statement, unwrap } from '../../../lib/migrations/sql.js';
import { type ProblemRule, transactionBlocks } from '../../../lib/migrations/transactions.js';
import { isRuleName, RULES, type RuleName, type Severity } from './rules.js';

/** Lint rules, a malformed allow comment, and the runner's problems (files that cannot run as written). */
export type FindingRule = RuleName | 'invalid-allow' | ProblemRule;

export interface Finding {
  file: string;
  line: number;
  rule: FindingRule;
  severity: Severity;
  /** The lock PostgreSQL takes. */
  lock: string;
  /** What the statement does, why it matters, and the safe recipe. */
  message: string;
}

/** A finding turned off by `-- migrate:allow <rule>: <reason>`. */
export interface AllowedFinding extends Finding {
  reason: string;
}

export interface LintInput {
  name: string;
  noTransaction: boolean;
  statements: Statement[];
  comments: Comment[];
  lineOfLocation: (location: number) => number;
}

export interface LintResult {
  findings: Finding[];
  allowed: AllowedFinding[];
}

/** Functions whose value does not change row by row: a DEFAULT of them does not rewrite the table. */
const NON_VOLATILE = new Set([
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'current_timestamp',
  'current_date',
  'localtimestamp',
  'lower',
  'upper',
  'concat',
  'length',
  'make_date',
  'make_interval',
  'to_jsonb',
  'to_json',
  'jsonb_build_object',
  'jsonb_build_array',
  'json_build_object',
  'json_build_array',
  'array_fill',
]);
const SERIAL_TYPES = new Set(['serial', 'serial4', 'smallserial', 'serial2']);
const ALL_SERIAL_TYPES = new Set([...SERIAL_TYPES, 'bigserial', 'serial8']);

/** `users`, `ops.users` (public folded away): the spelling PostgreSQL resolves, quotes already removed. */
function tableKey(rangeVar: unknown): string | undefined {
  const r = rangeVar as { schemaname?: string; relname?: string } | undefined;
  if (!r?.relname) return undefined;
  return r.schemaname && r.schemaname !== 'public' ? `${r.schemaname}.${r.relname}` : r.relname;
}

function nameOfList(value: unknown): string | undefined {
  const items = (nodeOf(value, 'List')?.items as unknown[] | undefined) ?? [];
  const parts = items.map((i) => String(nodeOf(i, 'String')?.sval ?? ''));
  if (parts.length === 2 && parts[0] === 'public') parts.shift();
  return parts.length ? parts.join('.') : undefined;
}

function typeNameOf(column: AstNode): string {
  const names = ((column.typeName as AstNode | undefined)?.names as unknown[] | undefined) ?? [];
  return String(nodeOf(names.at(-1), 'String')?.sval ?? '');
}

function constraintsOf(column: AstNode): AstNode[] {
  return ((column.constraints as unknown[] | undefined) ?? [])
    .map((c) => nodeOf(c, 'Constraint'))
    .filter((c): c is AstNode => c !== undefined);
}

/** The first function in an expression that may be volatile (its name), or undefined. */
function volatileCall(expr: unknown): string | undefined {
  if (Array.isArray(expr)) {
    for (const item of expr) {
      const found = volatileCall(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!expr || typeof expr !== 'object') return undefined;
  for (const [key, value] of Object.entries(expr as AstNode)) {
    if (key === 'FuncCall') {
      const names = ((value as AstNode).funcname as unknown[]) ?? [];
      const name = String(nodeOf(names.at(-1), 'String')?.sval ?? '');
      if (!NON_VOLATILE.has(name)) return `${name}()`;
    }
    if (key === 'SubLink') return 'a subquery';
    const found = volatileCall(value);
    if (found) return found;
  }
  return undefined;
}

/** The smallest `location` inside a node (the place to point at), or undefined. */
function firstLocation(value: unknown): number | undefined {
  let best: number | undefined;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as AstNode)) {
        if (k === 'location' && typeof x === 'number' && x >= 0)
          best = best === undefined ? x : Math.min(best, x);
        else walk(x);
      }
    }
  };
  walk(value);
  return best;
}

interface Allow {
  rule: RuleName;
  reason: string;
}

const ALLOW = /^--\s*migrate:allow\b\s*(.*)$/i;

/** `-- migrate:allow` comments of a file: file-wide ones (before the first statement) and per statement. */
function allowsOf(
  file: LintInput,
  invalid: Finding[],
): { fileWide: Allow[]; byStatement: Map<number, Allow[]> } {
  const fileWide: Allow[] = [];
  const byStatement = new Map<number, Allow[]>();
  const first = file.statements[0];
  for (const comment of file.comments) {
    const match = ALLOW.exec(comment.text.trim());
    if (!match) continue;
    const body = (match[1] ?? '').trim();
    const parsed = /^([a-z][a-z-]*)\s*:\s*(\S.*)$/i.exec(body);
    const bad = (message: string) =>
      invalid.push({
        file: file.name,
        line: comment.line,
        rule: 'invalid-allow',
        severity: 'error',
        lock: 'none',
        message,
      });
    if (!parsed) {
      bad(
        `"${comment.text.trim()}" needs a rule and a reason, like -- migrate:allow drop-column: column unused since v1.4; nothing is allowed without a reason.`,
      );
      continue;
    }
    const rule = (parsed[1] as string).toLowerCase();
    if (!isRuleName(rule)) {
      bad(
        `-- migrate:allow names "${rule}", which is not a lint rule (a file that cannot run as written cannot be allowed either): use one of ${Object.keys(RULES).join(', ')}.`,
      );
      continue;
    }
    const allow = { rule, reason: (parsed[2] as string).trim() };
    if (!first || comment.offset < first.offset) {
      fileWide.push(allow);
      continue;
    }
    const target = file.statements.findIndex((st) => comment.offset <= st.offset + st.text.length);
    if (target === -1) {
      bad(
        `-- migrate:allow ${rule} comes after the last statement, so it allows nothing: put it on the line before the statement it is for.`,
      );
      continue;
    }
    byStatement.set(target, [...(byStatement.get(target) ?? []), allow]);
  }
  return { fileWide, byStatement };
}

/** Lints pending migration files in the order they will run. */
export function lintMigrations(files: LintInput[]): LintResult {
  const created = new Set<string>();
  const createdIndexes = new Set<string>();
  const validated = new Set<string>();
  const findings: Finding[] = [];
  const allowed: AllowedFinding[] = [];

  for (const file of files) {
    const invalid: Finding[] = [];
    const { fileWide, byStatement } = allowsOf(file, invalid);
    findings.push(...invalid);
    const blocks = transactionBlocks(file);
    // Constraints added NOT VALID, by "table constraint", with the transaction block they are in.
    const notValid = new Map<string, number>();

    file.statements.forEach((st, index) => {
      const block = blocks[index] ?? 0;
      const raw: Finding[] = [];
      const add = (rule: RuleName, subject: string, at?: unknown) => {
        const def = RULES[rule];
        const location = firstLocation(at);
        raw.push({
          file: file.name,
          line: location === undefined ? st.line : file.lineOfLocation(location),
          rule,
          severity: def.severity,
          lock: def.lock,
          message: `${subject} ${def.hazard} (lock: ${def.lock}). Instead: ${def.recipe}`,
        });
      };
      lintStatement(st, { created, createdIndexes, validated, notValid, block }, add);
      const allows = [...fileWide, ...(byStatement.get(index) ?? [])];
      for (const f of raw) {
        const allow = allows.find((a) => a.rule === f.rule);
        if (allow) allowed.push({ ...f, reason: allow.reason });
        else findings.push(f);
      }
    });
  }
  return { findings, allowed };
}

interface LintState {
  created: Set<string>;
  createdIndexes: Set<string>;
  validated: Set<string>;
  notValid: Map<string, number>;
  /** Transaction block of this statement: one per transactional file, BEGIN … COMMIT blocks otherwise (0 = none). */
  block: number;
}

type Add = (rule: RuleName, subject: string, at?: unknown) => void;

function checkColumn(column: AstNode, table: string, add: Add, isNewTable: boolean): void {
  const name = String(column.colname ?? '?');
  const type = typeNameOf(column);
  if (SERIAL_TYPES.has(type)) add('serial-column', `Column ${table}.${name} of type ${type}`, column);
  if (isNewTable) return;
  const constraints = constraintsOf(column);
  const has = (t: string) => constraints.find((c) => c.contype === t);
  const def = has('CONSTR_DEFAULT');
  const generated = has('CONSTR_GENERATED');
  const identity = has('CONSTR_IDENTITY');
  const volatile = def ? volatileCall(def.raw_expr) : undefined;
  if (volatile) {
    add('add-column-volatile-default', `Adding ${table}.${name} with DEFAULT ${volatile}`, def);
  } else if (ALL_SERIAL_TYPES.has(type) || identity) {
    add(
      'add-column-volatile-default',
      `Adding ${table}.${name} as ${identity ? 'an identity' : type} column`,
      column,
    );
  }
  if (generated && generated.generated_kind !== 'v') {
    add('add-generated-column', `Adding stored generated column ${table}.${name}`, generated);
  }
  if (has('CONSTR_NOTNULL') && !def && !generated && !identity && !ALL_SERIAL_TYPES.has(type)) {
    add('add-not-null-column', `Adding NOT NULL column ${table}.${name} without a DEFAULT`, column);
  }
  const unique = has('CONSTR_UNIQUE') ?? has('CONSTR_PRIMARY');
  if (unique) {
    add(
      'unique-in-place',
      `Adding ${table}.${name} as ${unique.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'}`,
      unique,
    );
  }
}

function lintStatement(st: Statement, state: LintState, add: Add): void {
  const n = st.node;
  const isNew = (table: string | undefined) => table !== undefined && state.created.has(table);
  switch (st.kind) {
    case 'CreateStmt': {
      const table = tableKey(n.relation);
      if (table) state.created.add(table);
      for (const element of (n.tableElts as unknown[]) ?? []) {
        const column = nodeOf(element, 'ColumnDef');
        if (column) checkColumn(column, table ?? '?', add, true);
      }
      return;
    }
    case 'CreateTableAsStmt': {
      const table = tableKey((n.into as AstNode | undefined)?.rel);
      if (table) state.created.add(table);
      return;
    }
    case 'DropdbStmt':
      add('drop-database', `DROP DATABASE ${String(n.dbname)}`);
      return;
    case 'DropStmt': {
      const names = ((n.objects as unknown[]) ?? []).map(nameOfList).filter((x): x is string => !!x);
      if (n.removeType === 'OBJECT_TABLE') {
        const old = names.filter((t) => !isNew(t));
        if (old.length) add('drop-table', `DROP TABLE ${old.join(', ')}`);
      } else if (n.removeType === 'OBJECT_SCHEMA') {
        add('drop-schema', `DROP SCHEMA ${names.join(', ')}`);
      } else if (n.removeType === 'OBJECT_INDEX' && !n.concurrent) {
        const old = names.filter((i) => !state.createdIndexes.has(i));
        if (old.length) add('drop-index-not-concurrent', `DROP INDEX ${old.join(', ')} without CONCURRENTLY`);
      }
      return;
    }
    case 'TruncateStmt': {
      const tables = ((n.relations as unknown[]) ?? [])
        .map((r) => tableKey(nodeOf(r, 'RangeVar')))
        .filter((t): t is string => !!t && !isNew(t));
      if (tables.length) add('truncate', `TRUNCATE ${tables.join(', ')}`);
      return;
    }
    case 'RenameStmt': {
      const table = tableKey(n.relation);
      if (isNew(table)) return;
      if (n.renameType === 'OBJECT_COLUMN' && n.relationType === 'OBJECT_TABLE') {
        add(
          'rename-column',
          `Renaming column ${table}.${String(n.subname)} to ${String(n.newname)}`,
          n.relation,
        );
      } else if (n.renameType === 'OBJECT_TABLE') {
        add('rename-table', `Renaming table ${table} to ${String(n.newname)}`, n.relation);
      }
      return;
    }
    case 'IndexStmt': {
      const table = tableKey(n.relation);
      if (n.idxname && isNew(table)) state.createdIndexes.add(String(n.idxname));
      if (!n.concurrent && !isNew(table)) {
        add(
          'index-not-concurrent',
          `CREATE ${n.unique ? 'UNIQUE ' : ''}INDEX on existing table ${table} without CONCURRENTLY`,
        );
      }
      return;
    }
    case 'ReindexStmt': {
      const concurrently = ((n.params as unknown[]) ?? []).some(
        (p) => nodeOf(p, 'DefElem')?.defname === 'concurrently',
      );
      if (!concurrently) add('reindex-not-concurrent', 'REINDEX without CONCURRENTLY');
      return;
    }
    case 'AlterTableStmt':
      if (n.objtype === 'OBJECT_TABLE') lintAlterTable(n, state, add);
      return;
    default:
      return;
  }
}

function lintAlterTable(n: AstNode, state: LintState, add: Add): void {
  const table = tableKey(n.relation) ?? '?';
  const fresh = state.created.has(table);
  for (const item of (n.cmds as unknown[]) ?? []) {
    const cmd = nodeOf(item, 'AlterTableCmd');
    if (!cmd) continue;
    const column = String(cmd.name ?? '');
    const def = unwrap(cmd.def);
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        if (def?.[0] === 'ColumnDef') checkColumn(def[1], table, add, fresh);
        break;
      case 'AT_DropColumn':
        if (!fresh) add('drop-column', `Dropping column ${table}.${column}`);
        break;
      case 'AT_AlterColumnType':
        if (!fresh) add('column-type-change', `Changing the type of ${table}.${column}`, cmd.def);
        break;
      case 'AT_SetNotNull':
        if (!fresh && !state.validated.has(table)) add('set-not-null', `SET NOT NULL on ${table}.${column}`);
        break;
      case 'AT_DropNotNull':
        if (!fresh) add('drop-not-null', `DROP NOT NULL on ${table}.${column}`);
        break;
      case 'AT_ValidateConstraint': {
        const added = state.notValid.get(`${table} ${column}`);
        if (added !== undefined && added !== 0 && added === state.block) {
          add('validate-same-transaction', `VALIDATE CONSTRAINT ${column} on ${table}`);
        }
        state.validated.add(table);
        break;
      }
      case 'AT_DetachPartition': {
        const partition = nodeOf(cmd.def, 'PartitionCmd');
        if (!partition?.concurrent) {
          add(
            'detach-partition-not-concurrent',
            `DETACH PARTITION ${tableKey(partition?.name) ?? ''} from ${table}`,
            partition?.name,
          );
        }
        break;
      }
      case 'AT_AddConstraint': {
        if (def?.[0] !== 'Constraint') break;
        const c = def[1];
        const name = c.conname ? ` ${String(c.conname)}` : '';
        if (c.skip_validation && c.conname) state.notValid.set(`${table} ${String(c.conname)}`, state.block);
        if (fresh) break;
        if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation) {
          add('foreign-key-not-valid', `Adding foreign key${name} to ${table} without NOT VALID`, c);
        } else if (c.contype === 'CONSTR_CHECK' && !c.skip_validation) {
          add('check-not-valid', `Adding CHECK constraint${name} to ${table} without NOT VALID`, c);
        } else if (
          (c.contype === 'CONSTR_UNIQUE' ||
            c.contype === 'CONSTR_PRIMARY' ||
            c.contype === 'CONSTR_EXCLUSION') &&
          !c.indexname
        ) {
          const what = {
            CONSTR_UNIQUE: 'UNIQUE',
            CONSTR_PRIMARY: 'PRIMARY KEY',
            CONSTR_EXCLUSION: 'EXCLUDE',
          }[c.contype];
          add('unique-in-place', `Adding ${what} constraint${name} to ${table} in place`, c);
        }
        break;
      }
      default:
        break;
    }
  }
}
