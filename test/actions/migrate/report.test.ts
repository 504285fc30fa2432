/** The migrate report (summary, report output, PR comment). */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { renderReport } from '../../../actions/migrate/src/report.js';

describe('renderReport', () => {
  test('lists applied and pending files with durations, drift, findings, allowed findings and the error', () => {
    const md = renderReport({
      command: 'apply',
      database: 'main',
      dir: 'migrations',
      applied: [{ version: 1, name: '0001_a.sql', durationMs: 12 }],
      pending: [{ version: 2, name: '0002_b.sql', noTransaction: true }],
      current: 1,
      findings: [
        {
          file: '0002_b.sql',
          line: 3,
          rule: 'truncate',
          severity: 'warning',
          lock: 'ACCESS EXCLUSIVE',
          message: 'why | pipe',
        },
        { file: '0002_b.sql', line: 4, rule: 'set-not-null', severity: 'error', lock: 'x', message: 'scan' },
      ],
      allowed: [
        {
          file: '0002_b.sql',
          line: 9,
          rule: 'drop-column',
          severity: 'warning',
          lock: 'x',
          message: 'm',
          reason: 'unused since v1.4',
        },
      ],
      drift: ['0001_a.sql was edited'],
      backupPath: '/tmp/b.dump',
      error: 'boom',
    });
    assert.match(md, /Database `main`, files in `migrations`/);
    assert.match(md, /\| 1 \| `0001_a\.sql` \| applied \| 12ms \|/);
    assert.match(md, /\| 2 \| `0002_b\.sql` \| pending \(no transaction\) \|/);
    assert.match(md, /`0002_b\.sql:3` \| ⚠️ truncate \| why \\\| pipe/);
    assert.match(md, /`0002_b\.sql:4` \| ⛔ set-not-null \| scan/);
    assert.match(md, /2 findings, 1 of them an error/);
    assert.match(md, /- `0002_b\.sql:9` drop-column: unused since v1\.4/);
    assert.match(md, /\*\*Failed:\*\* boom/);
    assert.match(md, /- 0001_a\.sql was edited/);
    assert.match(md, /Backup: `\/tmp\/b\.dump`/);
  });
});
