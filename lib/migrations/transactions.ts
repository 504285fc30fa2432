/**
 * Transaction control decided before anything runs: a migration whose BEGIN never commits is
 * silently lost when the connection closes, and CONCURRENTLY fails inside a transaction block
 * (SQLSTATE 25001) halfway through a deploy. Both are refused up front.
 */
import { nodeOf, type Statement } from './sql.js';

export type ProblemRule =
  | 'syntax-error'
  | 'transaction-control'
  | 'concurrently-in-transaction'
  | 'cannot-run-in-transaction';

/** A file that cannot run as written: always an error, never allowed away. */
export interface Problem {
  file: string;
  line: number;
  rule: ProblemRule;
  message: string;
}

export interface TransactionInput {
  name: string;
  noTransaction: boolean;
  statements: Statement[];
}

/** Why this statement cannot run inside a transaction block, or undefined when it can. */
export function outsideTransactionOnly(st: Pick<Statement, 'kind' | 'node'>): string | undefined {
  const n = st.node;
  switch (st.kind) {
    case 'IndexStmt':
      return n.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return n.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return hasOption(n.params, 'concurrently') ? 'REINDEX CONCURRENTLY' : undefined;
    case 'AlterTableStmt':
      for (const cmd of (n.cmds as unknown[]) ?? []) {
        const c = nodeOf(cmd, 'AlterTableCmd');
        const partition = nodeOf(c?.def, 'PartitionCmd');
        if (c?.subtype === 'AT_DetachPartition' && partition?.concurrent)
          return 'DETACH PARTITION CONCURRENTLY';
      }
      return undefined;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'VacuumStmt':
      return n.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    default:
      return undefined;
  }
}

function hasOption(params: unknown, name: string): boolean {
  return Array.isArray(params) && params.some((p) => nodeOf(p, 'DefElem')?.defname === name);
}

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK']);
const TWO_PHASE = new Set([
  'TRANS_STMT_PREPARE',
  'TRANS_STMT_COMMIT_PREPARED',
  'TRANS_STMT_ROLLBACK_PREPARED',
]);

function transactionKind(st: Statement): string | undefined {
  return st.kind === 'TransactionStmt' ? String(st.node.kind) : undefined;
}

function keyword(st: Statement): string {
  return (/^\s*([A-Za-z]+(?:\s+TRANSACTION)?)/i.exec(st.text)?.[1] ?? 'COMMIT').toUpperCase();
}

/** Where one statement of a `-- migrate:no-transaction` file stands in the session's transaction blocks. */
export interface BlockPosition {
  /**
   * The explicit transaction this statement runs in, numbered from 1 (0 = none: it commits on its
   * own). A COMMIT or ROLLBACK belongs to the transaction it ends.
   */
  block: number;
  /** The statement that opened that transaction: BEGIN, START TRANSACTION, or the … AND CHAIN that started it. */
  openedBy: Statement | undefined;
  /**
   * The statement that opened the block still open after this one (undefined when none is): until
   * it ends, nothing since that statement has committed. After … AND CHAIN, that statement itself.
   */
  openAfter: Statement | undefined;
  /**
   * Everything up to this statement is settled (committed, or rolled back): it ran outside a block,
   * or it ended one, … AND CHAIN included.
   */
  settled: boolean;
}

/**
 * How PostgreSQL groups a no-transaction file's statements into transaction blocks: BEGIN opens one
 * (a second BEGIN inside it is ignored with a warning), COMMIT/ROLLBACK end it, and COMMIT AND CHAIN
 * / ROLLBACK AND CHAIN end it and at once start the next, so a block stays open.
 */
export function blockPositions(statements: readonly Statement[]): BlockPosition[] {
  let count = 0;
  let block = 0;
  let openedBy: Statement | undefined;
  return statements.map((st) => {
    const kind = transactionKind(st);
    if (kind && OPENS.has(kind)) {
      if (!openedBy) {
        block = ++count;
        openedBy = st;
      }
      return { block, openedBy, openAfter: openedBy, settled: false };
    }
    if (kind && CLOSES.has(kind)) {
      const ended = { block, openedBy };
      if (st.node.chain) {
        block = ++count;
        openedBy = st;
      } else {
        block = 0;
        openedBy = undefined;
      }
      return { ...ended, openAfter: openedBy, settled: true };
    }
    return { block, openedBy, openAfter: openedBy, settled: openedBy === undefined };
  });
}

/**
 * The transaction-control problems of one file. A transactional file (the default) already runs
 * in one transaction with its history row, so BEGIN/COMMIT/ROLLBACK inside it are refused, and so
 * is anything PostgreSQL cannot run in a transaction block. A `-- migrate:no-transaction` file may
 * use BEGIN … COMMIT, but they must balance and contain nothing that needs to run outside one.
 */
export function transactionProblems(file: TransactionInput): Problem[] {
  const problems: Problem[] = [];
  const add = (st: Statement, rule: ProblemRule, message: string) =>
    problems.push({ file: file.name, line: st.line, rule, message });
  const positions = file.noTransaction ? blockPositions(file.statements) : [];
  file.statements.forEach((st, i) => {
    const kind = transactionKind(st);
    if (kind && TWO_PHASE.has(kind)) {
      add(
        st,
        'transaction-control',
        `${keyword(st)} (two-phase commit) has no place in a migration: the runner commits each file itself; remove it.`,
      );
      return;
    }
    if (!file.noTransaction) {
      if (kind && (OPENS.has(kind) || CLOSES.has(kind))) {
        add(
          st,
          'transaction-control',
          `${keyword(st)} inside a migration: each file already runs in its own transaction with its history row, so this would commit or discard part of the file on its own; remove it (or mark the file -- migrate:no-transaction and balance BEGIN with COMMIT).`,
        );
      }
      const outside = outsideTransactionOnly(st);
      if (outside) {
        add(
          st,
          outside.includes('CONCURRENTLY') ? 'concurrently-in-transaction' : 'cannot-run-in-transaction',
          `${outside} cannot run inside a transaction and PostgreSQL will reject it: put this statement in its own file whose first line is -- migrate:no-transaction.`,
        );
      }
      return;
    }
    // The block open before this statement, if any.
    const open = i > 0 ? positions[i - 1]?.openAfter : undefined;
    if (kind && OPENS.has(kind)) {
      if (open) {
        add(
          st,
          'transaction-control',
          `${keyword(st)} while the transaction opened at line ${open.line} is still open: PostgreSQL ignores it with a warning, so the transaction boundaries are not what the file says; add the missing COMMIT.`,
        );
      }
    } else if (kind && CLOSES.has(kind)) {
      if (!open) {
        add(
          st,
          'transaction-control',
          `${keyword(st)} without a BEGIN before it: in a -- migrate:no-transaction file each statement commits on its own, so this does nothing; remove it or add the BEGIN it closes.`,
        );
      }
    } else if (open) {
      const outside = outsideTransactionOnly(st);
      if (outside) {
        add(
          st,
          outside.includes('CONCURRENTLY') ? 'concurrently-in-transaction' : 'cannot-run-in-transaction',
          `${outside} inside the transaction opened at line ${open.line}: PostgreSQL rejects it there (SQLSTATE 25001); move it after the COMMIT.`,
        );
      }
    }
  });
  const open = positions.at(-1)?.openAfter;
  if (open) {
    add(
      open,
      'transaction-control',
      `The transaction opened at line ${open.line} (${keyword(open)}) is never committed: it would roll back when the connection closes and the migration would be lost without an error; add COMMIT at the end of the block.`,
    );
  }
  return problems;
}

/** Each statement's transaction: 1 throughout a transactional file, blockPositions' block otherwise (0 = none). */
export function transactionBlocks(file: TransactionInput): number[] {
  if (!file.noTransaction) return file.statements.map(() => 1);
  return blockPositions(file.statements).map((p) => p.block);
}
