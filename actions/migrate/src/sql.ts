/** One top-level statement of a migration file. */
export interface Statement {
  /** The statement as written (comments included, no trailing semicolon). */
  text: string;
  /** Same length as `text`, with comments, string literals, quoted identifiers' insides and
   * dollar-quoted bodies blanked out (newlines kept), so keyword searches cannot be fooled. */
  code: string;
  /** 1-based line of the statement's first keyword in the file. */
  line: number;
  /** Offset of `text` in the file. */
  offset: number;
}

/**
 * Splits a SQL script into top-level statements the way PostgreSQL's lexer sees them: `;` inside
 * strings ('', E'', $tag$…$tag$), quoted identifiers and -- or nested /* comments does not end a
 * statement. Statements that are only comments or whitespace are dropped.
 */
export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let code = '';
  let start = 0;
  let i = 0;
  const n = sql.length;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');

  const push = (end: number) => {
    const text = sql.slice(start, end);
    const masked = code;
    const first = masked.search(/\S/);
    if (first >= 0) {
      const lead = text.slice(0, first);
      statements.push({
        text: text.slice(first).trimEnd(),
        code: masked.slice(first, first + text.slice(first).trimEnd().length),
        line: lineAt(sql, start) + countNewlines(lead),
        offset: start + first,
      });
    }
    code = '';
  };

  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      code += blank(sql.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      code += blank(sql.slice(i, j));
      i = j;
    } else if (c === "'") {
      // E'' strings allow backslash escapes; standard strings only double the quote.
      const escapes = i > 0 && /[eE]/.test(sql[i - 1] as string) && !/[\w$]/.test(sql[i - 2] ?? ' ');
      let j = i + 1;
      while (j < n) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      code += `'${blank(sql.slice(i + 1, Math.min(j, n)))}${j < n ? "'" : ''}`;
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') break;
        else j++;
      }
      // Keep quoted identifiers readable for table names, but they can never be keywords.
      code += sql.slice(i, Math.min(j + 1, n)).replace(/;/g, ' ');
      i = j + 1;
    } else if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const bodyStart = i + tag[0].length;
        const close = sql.indexOf(tag[0], bodyStart);
        code += tag[0] + blank(sql.slice(bodyStart, close === -1 ? n : close));
        if (close !== -1) code += tag[0];
        i = close === -1 ? n : close + tag[0].length;
      } else {
        code += c;
        i++;
      }
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else {
      code += c;
      i++;
    }
  }
  push(n);
  return statements;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const ch of text) if (ch === '\n') count++;
  return count;
}

/** 1-based line number of an offset. */
export function lineAt(text: string, offset: number): number {
  return countNewlines(text.slice(0, offset)) + 1;
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
