/**
 * Migration SQL read by PostgreSQL's own parser (libpg-query: PostgreSQL 18's grammar compiled to
 * WebAssembly): statement boundaries, line numbers, comments and syntax trees come from the parser,
 * never from regular expressions over text.
 */
import { UserError } from '../errors.js';
import { loadPgParser, PgParseError, parseWith, type RawParseResult, scanWith } from './pg-parser.js';

/** A syntax-tree node as the parser returns it: `{ "<NodeType>": { …fields } }` or its fields. */
export type AstNode = { [key: string]: unknown };

/** One top-level statement of a migration file. */
export interface Statement {
  /** The statement as written, from its first token, without the terminating semicolon. */
  text: string;
  /** 1-based line of the statement's first token in the file. */
  line: number;
  /** Character offset of `text` in the file. */
  offset: number;
  /** The node type, e.g. `AlterTableStmt`. */
  kind: string;
  /** The node's fields (the inside of `{ [kind]: … }`). */
  node: AstNode;
}

/** A `--` or `/* *\/` comment with its place. */
export interface Comment {
  text: string;
  line: number;
  offset: number;
}

export interface ParsedSql {
  statements: Statement[];
  comments: Comment[];
  /** 1-based line of a `location` in a syntax tree (the parser counts UTF-8 bytes). */
  lineOfLocation: (location: number) => number;
}

/** PostgreSQL's parser rejected a file: its message and the line it points at. */
export class SqlSyntaxError extends UserError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Instantiates the WebAssembly parser once (about 1.7 MB); later calls are free. */
export async function loadParser(): Promise<void> {
  await loadPgParser();
}

/** Maps the parser's UTF-8 byte offsets to string offsets (identity for ASCII files). */
function byteToChar(sql: string): (byte: number) => number {
  const bytes = Buffer.byteLength(sql);
  if (bytes === sql.length) return (b) => b;
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < sql.length; i++) {
    const code = sql.codePointAt(i) as number;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) map[b + k] = i;
    b += width;
    if (code >= 0x10000) i++; // the low surrogate
  }
  map[bytes] = sql.length;
  return (byte) => map[Math.max(0, Math.min(byte, bytes))] as number;
}

/** Line starts, for 1-based line numbers of offsets in O(log n). */
function lineIndex(sql: string): (offset: number) => number {
  const starts = [0];
  for (let i = sql.indexOf('\n'); i !== -1; i = sql.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Parses a whole migration file. Statements that are only comments or whitespace do not exist for
 * the parser, so they are never sent. Throws SqlSyntaxError with PostgreSQL's message and the line
 * when the file does not parse.
 */
export async function parseSql(sql: string, file: string): Promise<ParsedSql> {
  const mod = await loadPgParser();
  const source = sql.replace(/^\uFEFF/, '');
  const toChar = byteToChar(source);
  const lineOf = lineIndex(source);
  let result: RawParseResult;
  try {
    result = parseWith(mod, source);
  } catch (err) {
    if (!(err instanceof PgParseError)) throw err;
    const reason = err.message.replace(/\.$/, '');
    const line = lineOf(toChar(err.cursorByte));
    throw new SqlSyntaxError(
      `${file}:${line}: PostgreSQL cannot parse this file (${reason}): fix the SQL; nothing was applied.`,
      file,
      line,
      reason,
    );
  }
  const statements: Statement[] = [];
  for (const raw of result.stmts ?? []) {
    const startByte = raw.stmt_location ?? 0;
    const start = toChar(startByte);
    const end = raw.stmt_len ? toChar(startByte + raw.stmt_len) : source.length;
    const text = source.slice(start, end).trimEnd();
    const [kind, node] = Object.entries(raw.stmt ?? {})[0] ?? ['Unknown', {}];
    statements.push({ text, line: lineOf(start), offset: start, kind, node: node as AstNode });
  }
  const comments: Comment[] = [];
  if (source.includes('--') || source.includes('/*')) {
    for (const token of scanWith(mod, source)) {
      if (token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT') continue;
      const offset = toChar(token.start);
      comments.push({ text: source.slice(offset, toChar(token.end)), line: lineOf(offset), offset });
    }
  }
  return { statements, comments, lineOfLocation: (location) => lineOf(toChar(location)) };
}

/**
 * True when the file's leading comment block contains `-- migrate:no-transaction`
 * (the file then runs statement by statement outside a transaction).
 */
export function isNoTransaction(sql: string): boolean {
  for (const raw of sql.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) return false;
    if (/^--\s*migrate:no-transaction\b/i.test(line)) return true;
  }
  return false;
}

/** The inside of a `{ Kind: {...} }` wrapper, when `value` is one of kind `kind`. */
export function nodeOf(value: unknown, kind: string): AstNode | undefined {
  if (value && typeof value === 'object' && kind in value) return (value as AstNode)[kind] as AstNode;
  return undefined;
}

/** `[kind, fields]` of a wrapped node. */
export function unwrap(value: unknown): [string, AstNode] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const entry = Object.entries(value as AstNode)[0];
  return entry ? [entry[0], entry[1] as AstNode] : undefined;
}

/** Every wrapped node of `kind` anywhere below `root` (depth first). */
export function findNodes(root: unknown, kind: string, out: AstNode[] = []): AstNode[] {
  if (Array.isArray(root)) {
    for (const item of root) findNodes(item, kind, out);
  } else if (root && typeof root === 'object') {
    for (const [key, value] of Object.entries(root as AstNode)) {
      if (key === kind && value && typeof value === 'object') out.push(value as AstNode);
      findNodes(value, kind, out);
    }
  }
  return out;
}
