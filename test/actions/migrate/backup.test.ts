/** Backup decisions: pg_dump versions and file names. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  backupFileName,
  isBackupOf,
  pgDumpMajor,
  pgDumpProblem,
} from '../../../actions/migrate/src/backup.js';

describe('backup decisions', () => {
  test('pg_dump version parsing and the older-than-server rule', () => {
    assert.equal(pgDumpMajor('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)'), 15);
    assert.equal(pgDumpMajor('pg_dump (PostgreSQL) 9.6.24'), 9);
    assert.equal(pgDumpMajor('garbage'), undefined);
    assert.equal(pgDumpProblem(15, 150020), undefined);
    assert.equal(pgDumpProblem(16, 150020), undefined);
    assert.match(
      pgDumpProblem(15, 160004) ?? '',
      /pg_dump 15 is older than the server \(PostgreSQL 16\).*postgresql-client-16/,
    );
    assert.match(pgDumpProblem(undefined, 150020) ?? '', /version/);
  });
  test('backup file names are safe and say what they precede', () => {
    assert.equal(
      backupFileName('my db', 12, new Date('2025-03-04T05:06:07.891Z')),
      'my_db-20250304T050607Z-v12.dump',
    );
    assert.equal(backupFileName('db', null, new Date('2025-03-04T05:06:07Z')), 'db-20250304T050607Z-v0.dump');
  });

  test('isBackupOf: the names backupFileName gives this database, and nothing else (retention deletes only these)', () => {
    const name = backupFileName('my.db', 7, new Date('2025-03-04T05:06:07Z'));
    assert.equal(isBackupOf(name, 'my.db'), true);
    assert.equal(isBackupOf(`${name}.age`, 'my.db'), true);
    assert.equal(isBackupOf(backupFileName('my db', 1), 'my db'), true);
    assert.equal(isBackupOf(name.replace('my.db', 'myXdb'), 'my.db'), false, 'the dot is literal');
    assert.equal(isBackupOf(`prod-${name}`, 'my.db'), false);
    assert.equal(
      isBackupOf(backupFileName('my.db-staging', 7), 'my.db'),
      false,
      'another database sharing a prefix',
    );
    assert.equal(isBackupOf(`${name}.age.bak`, 'my.db'), false);
    assert.equal(isBackupOf('notes.txt', 'my.db'), false);
  });
});
