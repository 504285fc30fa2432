/** lib/migrations/transactions: refused before apply, from the syntax tree. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { parseSql } from '../../../lib/migrations/sql.js';
import { blockPositions, transactionProblems } from '../../../lib/migrations/transactions.js';

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

describe('blockPositions', () => {
  // [block, line of its opener, line of the opener of the block open after it (0 = none), settled]
  async function positions(sql: string) {
    const { statements } = await parseSql(sql, 'f.sql');
    return blockPositions(statements).map((p) => [
      p.block,
      p.openedBy?.line ?? 0,
      p.openAfter?.line ?? 0,
      p.settled,
    ]);
  }
  test('BEGIN … COMMIT is one block; statements outside it commit on their own', async () => {
    assert.deepEqual(await positions('SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;\nSELECT 3;'), [
      [0, 0, 0, true],
      [1, 2, 2, false],
      [1, 2, 2, false],
      [1, 2, 0, true],
      [0, 0, 0, true],
    ]);
  });
  test('COMMIT AND CHAIN and ROLLBACK AND CHAIN end the block and open the next one at once', async () => {
    assert.deepEqual(
      await positions(
        'BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\nROLLBACK AND CHAIN;\nSELECT 3;\nCOMMIT;\nSELECT 4;',
      ),
      [
        [1, 1, 1, false],
        [1, 1, 1, false],
        [1, 1, 3, true],
        [2, 3, 3, false],
        [2, 3, 5, true],
        [3, 5, 5, false],
        [3, 5, 0, true],
        [0, 0, 0, true],
      ],
    );
  });
  test('a BEGIN inside a block is ignored, as PostgreSQL does (it only warns)', async () => {
    assert.deepEqual(await positions('BEGIN;\nBEGIN;\nCOMMIT;'), [
      [1, 1, 1, false],
      [1, 1, 1, false],
      [1, 1, 0, true],
    ]);
  });
});
