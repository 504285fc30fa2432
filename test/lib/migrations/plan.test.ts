/** lib/migrations files and plan: versions, checksums, drift, history table names. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { UserError } from '../../../lib/errors.js';
import { checksumOf, versionOf } from '../../../lib/migrations/files.js';
import { planMigrations } from '../../../lib/migrations/plan.js';
import { historyTableName } from '../../../lib/migrations/runner.js';

describe('files', () => {
  test('versions come from NNNN_name.sql names, numerically', () => {
    assert.equal(versionOf('0002_add_users.sql'), 2);
    assert.equal(versionOf('10_x.sql'), 10);
    assert.equal(versionOf('add_users.sql'), undefined);
    assert.equal(versionOf('0002-add.sql'), undefined);
  });
  test('checksums ignore CRLF vs LF but see any other change', () => {
    assert.equal(checksumOf('a\r\nb\r\n'), checksumOf('a\nb\n'));
    assert.notEqual(checksumOf('a\nb\n'), checksumOf('a\nb \n'));
    assert.match(checksumOf(''), /^[0-9a-f]{64}$/);
  });
});

describe('planMigrations (drift)', () => {
  const f = (version: number, sql = `v${version}`) => ({
    version,
    name: `${String(version).padStart(4, '0')}_m.sql`,
    checksum: checksumOf(sql),
  });
  const h = (version: number, sql = `v${version}`) => ({
    ...f(version, sql),
    appliedAt: '2025-01-01T00:00:00Z',
  });

  test('pending are the never-applied versions; current is the newest applied', () => {
    const plan = planMigrations([f(1), f(2), f(3)], [h(1)]);
    assert.deepEqual(
      plan.pending.map((p) => p.version),
      [2, 3],
    );
    assert.equal(plan.current, 1);
    assert.deepEqual(plan.drift, []);
  });
  test('an edited applied file is drift naming the file', () => {
    const plan = planMigrations([f(1, 'changed'), f(2)], [h(1)]);
    assert.equal(plan.drift.length, 1);
    assert.equal(plan.drift[0]!.kind, 'edited');
    assert.match(plan.drift[0]!.message, /0001_m\.sql was edited after it was applied/);
  });
  test('a missing applied file is drift', () => {
    const plan = planMigrations([f(2)], [h(1), h(2)], 'db/migrations');
    assert.deepEqual(
      plan.drift.map((d) => [d.kind, d.version]),
      [['missing', 1]],
    );
    assert.match(plan.drift[0]!.message, /missing from db\/migrations/);
  });
  test('a new file older than the newest applied is drift; a renamed applied file too', () => {
    const plan = planMigrations([f(1), f(2), { ...f(5), name: '0005_new_name.sql' }], [h(1), h(5)]);
    assert.deepEqual(plan.drift.map((d) => d.kind).sort(), ['out-of-order', 'renamed']);
  });
  test('empty history: everything pending, current null', () => {
    const plan = planMigrations([f(3), f(7)], []);
    assert.equal(plan.current, null);
    assert.equal(plan.pending.length, 2);
  });
});

describe('history table', () => {
  test('history table names are validated and quoted', () => {
    assert.equal(historyTableName(), '"schema_migrations"');
    assert.equal(historyTableName('ops.history'), '"ops"."history"');
    assert.throws(() => historyTableName('x; DROP TABLE y'), UserError);
  });
});
