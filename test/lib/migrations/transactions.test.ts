/** lib/migrations/transactions: refused before apply, from the syntax tree. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { parseSql } from '../../../lib/migrations/sql.js';
import { transactionProblems } from '../../../lib/migrations/transactions.js';

async function problems(sql: string, noTransaction: boolean) {
  const { statements } = await parseSql(sql, 'f.sql');
  return transactionProblems({ name: 'f.sql', noTransaction, statements }).map((p) => [p.line, p.rule]);
}

describe('transactionProblems', () => {
  test('no-transaction file: BEGIN without COMMIT is refused (the migration would be silently lost)', async () => {
    assert.deepEqual(await problems('-- migrate:no-transaction\nBEGIN;\nCREATE TABLE t (id int);\n', true), [
      [2, 'transaction-control'],
    ]);
  });
  test('no-transaction file: CONCURRENTLY inside BEGIN … COMMIT is refused (SQLSTATE 25001 at apply)', async () => {
    assert.deepEqual(await problems('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\n', true), [
      [2, 'concurrently-in-transaction'],
    ]);
  });
  test('no-transaction file: balanced blocks and CONCURRENTLY outside them are fine', async () => {
    assert.deepEqual(
      await problems(
        'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);\nSTART TRANSACTION;\nSELECT 1;\nEND;\n',
        true,
      ),
      [],
    );
  });
  test('no-transaction file: COMMIT without BEGIN, nested BEGIN and COMMIT AND CHAIN at the end', async () => {
    assert.deepEqual(await problems('COMMIT;\n', true), [[1, 'transaction-control']]);
    assert.deepEqual(await problems('BEGIN;\nBEGIN;\nCOMMIT;\n', true), [[2, 'transaction-control']]);
    assert.deepEqual(await problems('BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\n', true), [
      [3, 'transaction-control'],
    ]);
  });
  test('transactional file: any BEGIN/COMMIT/ROLLBACK and statements that need no transaction', async () => {
    assert.deepEqual(await problems('BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;', false), [
      [1, 'transaction-control'],
      [3, 'transaction-control'],
    ]);
    assert.deepEqual(
      await problems(
        'CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY i;\nREINDEX INDEX CONCURRENTLY i;\nALTER TABLE p DETACH PARTITION c CONCURRENTLY;\nVACUUM t;\nREFRESH MATERIALIZED VIEW CONCURRENTLY m;\nSAVEPOINT a;\nRELEASE a;',
        false,
      ),
      [
        [1, 'concurrently-in-transaction'],
        [2, 'concurrently-in-transaction'],
        [3, 'concurrently-in-transaction'],
        [4, 'concurrently-in-transaction'],
        [5, 'cannot-run-in-transaction'],
      ],
    );
  });
  test('a semicolon-looking comment cannot fake a statement', async () => {
    assert.deepEqual(await problems("-- BEGIN;\nSELECT 'COMMIT;';\n", false), []);
  });
});
