/** lib/migrations/sql: statements, lines and comments from PostgreSQL's own parser. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'vitest';
import { WASM_GZIP_BASE64 } from '../../../lib/migrations/pg-parser-wasm.js';
import { isNoTransaction, parseSql, SqlSyntaxError } from '../../../lib/migrations/sql.js';

const lines = async (sql: string) => (await parseSql(sql, 'f.sql')).statements.map((s) => [s.line, s.text]);

describe('parseSql', () => {
  test('statement boundaries and first-token lines come from the parser', async () => {
    const sql = '-- header\nCREATE TABLE a (id int);\n\n  INSERT INTO a VALUES (1);\n/* c; */ SELECT 1';
    assert.deepEqual(await lines(sql), [
      [2, 'CREATE TABLE a (id int)'],
      [4, 'INSERT INTO a VALUES (1)'],
      [5, 'SELECT 1'],
    ]);
  });

  test('semicolons inside strings, identifiers, comments and dollar quotes do not split', async () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine', E'x\\';y');",
      'SELECT "we;ird" FROM t;',
      '/* outer /* nested; */ still; */ SELECT 2;',
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      "SELECT U&'d\\0061t;a';",
    ].join('\n');
    const parsed = await parseSql(sql, 'f.sql');
    assert.deepEqual(
      parsed.statements.map((s) => [s.line, s.kind]),
      [
        [1, 'InsertStmt'],
        [2, 'SelectStmt'],
        [3, 'SelectStmt'],
        [4, 'CreateFunctionStmt'],
        [5, 'DoStmt'],
        [6, 'SelectStmt'],
      ],
    );
    assert.match(parsed.statements[3]!.text, /SELECT 1; \$body\$ LANGUAGE sql$/);
  });

  test('offsets stay right after multi-byte characters (the parser counts bytes)', async () => {
    const sql = "SELECT 'été ☃ 𝄞';\nCREATE TABLE ü (x int);\nSELECT 3";
    const parsed = await parseSql(sql, 'f.sql');
    assert.deepEqual(
      parsed.statements.map((s) => [s.line, s.text]),
      [
        [1, "SELECT 'été ☃ 𝄞'"],
        [2, 'CREATE TABLE ü (x int)'],
        [3, 'SELECT 3'],
      ],
    );
  });

  test('comment-only and empty files have no statements; comments keep their lines', async () => {
    assert.deepEqual(await lines(';; -- nothing\n;'), []);
    assert.deepEqual(await lines(''), []);
    const parsed = await parseSql("SELECT '--no';\n-- yes\n/* and */ SELECT 1;", 'f.sql');
    assert.deepEqual(
      parsed.comments.map((c) => [c.line, c.text]),
      [
        [2, '-- yes'],
        [3, '/* and */'],
      ],
    );
  });

  test('a file PostgreSQL cannot parse fails with its message and the line it points at', async () => {
    // The regex splitter accepted all of these and left the error to the server, mid-deploy.
    const cases: Array<[string, number, RegExp]> = [
      ['SELECT 1;\n\nCREATE TABLE (;\n', 3, /syntax error at or near "\("/],
      ["SELECT 1;\nSELECT 'open; string\n", 2, /unterminated quoted string/],
      ['CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN;\n', 2, /syntax error at or near ";"/],
    ];
    for (const [sql, line, message] of cases) {
      const err = await parseSql(sql, '0003_bad.sql').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof SqlSyntaxError, sql);
      assert.equal(err.line, line, sql);
      assert.match(err.reason, message);
      assert.match(err.message, new RegExp(`^0003_bad\\.sql:${line}: PostgreSQL cannot parse this file`));
    }
  });

  test('no-transaction header only counts in the leading comment block', () => {
    assert.equal(isNoTransaction('-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);'), true);
    assert.equal(isNoTransaction('\n-- adds an index\n--   migrate:no-transaction\nSELECT 1;'), true);
    assert.equal(isNoTransaction('SELECT 1;\n-- migrate:no-transaction'), false);
    assert.equal(isNoTransaction('-- migrate:no-transactional\nSELECT 1;'), false);
  });

  test('the embedded WebAssembly is byte for byte the installed libpg-query (re-run scripts/embed-pg-parser.mjs)', () => {
    const require = createRequire(import.meta.url);
    const installed = readFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm'));
    assert.ok(gunzipSync(Buffer.from(WASM_GZIP_BASE64, 'base64')).equals(installed));
  });
});
