/** Lint rules over PostgreSQL's syntax trees: every hazard flagged with its recipe, the safe sequences clean. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { type FindingRule, lintMigrations } from '../../../actions/migrate/src/lint.js';
import { RULES } from '../../../actions/migrate/src/rules.js';
import { isNoTransaction, parseSql } from '../../../lib/migrations/sql.js';

async function file(name: string, sql: string) {
  return { name, noTransaction: isNoTransaction(sql), ...(await parseSql(sql, name)) };
}
async function lint(...sqls: string[]) {
  return lintMigrations(await Promise.all(sqls.map((sql, i) => file(`000${i + 1}_m.sql`, sql))));
}
const rules = async (...sqls: string[]) => (await lint(...sqls)).findings.map((f) => f.rule);

describe('the rule catalogue', () => {
  for (const [name, rule] of Object.entries(RULES)) {
    test(`${name}: its bad example is flagged, its good example is clean`, async () => {
      const bad = await lint(rule.bad);
      assert.deepEqual(
        bad.findings.map((f) => f.rule),
        [name],
      );
      const finding = bad.findings[0]!;
      assert.equal(finding.severity, rule.severity);
      assert.ok(
        finding.message.includes(rule.lock) && finding.message.endsWith(rule.recipe),
        finding.message,
      );
      assert.deepEqual((await lint(rule.good)).findings, []);
    });
  }

  test('the README documents every rule with its bad and good example', () => {
    const readme = readFileSync(new URL('../../../actions/migrate/README.md', import.meta.url), 'utf8');
    for (const [name, rule] of Object.entries(RULES)) {
      assert.ok(readme.includes(`#### \`${name}\``), `README heading for ${name}`);
      assert.ok(readme.includes(rule.bad) && readme.includes(rule.good), `README examples for ${name}`);
    }
  });
});

describe('hazards the regex lint missed (issue 15)', () => {
  const cases: Array<[string, FindingRule[]]> = [
    ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', ['unique-in-place']],
    ['ALTER TABLE users ADD PRIMARY KEY (id);', ['unique-in-place']],
    ['ALTER TABLE users ADD COLUMN code text UNIQUE;', ['unique-in-place']],
    ['ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;', ['foreign-key-not-valid']],
    ['ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);', ['check-not-valid']],
    [
      'ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;',
      ['validate-same-transaction'],
    ],
    [
      // COMMIT AND CHAIN opens the next transaction at once: NOT VALID and VALIDATE share it.
      '-- migrate:no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;\nCOMMIT;',
      ['validate-same-transaction'],
    ],
    ['DROP INDEX orders_user_idx;', ['drop-index-not-concurrent']],
    ['REINDEX TABLE orders;', ['reindex-not-concurrent']],
    ['ALTER TABLE events DETACH PARTITION events_2024;', ['detach-partition-not-concurrent']],
    ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', ['drop-not-null']],
    [
      'ALTER TABLE users ADD COLUMN created timestamptz DEFAULT clock_timestamp();',
      ['add-column-volatile-default'],
    ],
    ['ALTER TABLE users ADD COLUMN n bigserial;', ['add-column-volatile-default']],
    ['ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;', ['add-column-volatile-default']],
    ['ALTER TABLE users ADD COLUMN f int GENERATED ALWAYS AS (id * 2) STORED;', ['add-generated-column']],
    ['-- migrate:no-transaction\nDROP DATABASE legacy;', ['drop-database']],
    ['CREATE TABLE t (id serial PRIMARY KEY);', ['serial-column']],
  ];
  for (const [sql, expected] of cases) {
    test(`${sql.replace(/\n/g, ' ')} → ${expected.join(', ')}`, async () => {
      assert.deepEqual(await rules(sql), expected);
    });
  }
});

describe('what must stay clean', () => {
  const clean = [
    'ALTER TABLE users ADD COLUMN created timestamptz NOT NULL DEFAULT now();',
    "ALTER TABLE users ADD COLUMN kind text DEFAULT 'a';",
    'ALTER TABLE users ADD COLUMN v int GENERATED ALWAYS AS (id * 2) VIRTUAL;',
    'ALTER TABLE users DROP CONSTRAINT users_email_key;',
    'ALTER TABLE users ALTER COLUMN email DROP DEFAULT;',
    'ALTER TABLE users RENAME CONSTRAINT a TO b;',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY stats;',
    "INSERT INTO notes VALUES ('DROP TABLE users; TRUNCATE x');",
    '-- DROP TABLE users;\nSELECT 1;',
    'CREATE FUNCTION f() RETURNS void AS $$ TRUNCATE t; $$ LANGUAGE sql;',
    '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON users (email);',
    'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE);',
  ];
  for (const sql of clean) {
    test(`${sql.replace(/\n/g, ' ')} → no finding`, async () => {
      assert.deepEqual(await rules(sql), []);
    });
  }

  test('recommended sequence: NOT VALID, then VALIDATE in a later file', async () => {
    assert.deepEqual(
      await rules(
        'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT fk;\nALTER TABLE orders VALIDATE CONSTRAINT c;',
      ),
      [],
    );
  });
  test('recommended sequence: VALIDATE, then SET NOT NULL (the old lint flagged its own advice)', async () => {
    assert.deepEqual(
      await rules(
        'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'ALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      ),
      [],
    );
  });
  test('recommended sequence: CREATE UNIQUE INDEX CONCURRENTLY, then USING INDEX', async () => {
    assert.deepEqual(
      await rules(
        '-- migrate:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);',
        'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
      ),
      [],
    );
  });
  test('no-transaction file: VALIDATE after the block that added NOT VALID is a separate transaction', async () => {
    const sql =
      '-- migrate:no-transaction\nBEGIN;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT c;';
    assert.deepEqual(await rules(sql), []);
  });
  test('no-transaction file: ROLLBACK AND CHAIN separates NOT VALID before it from VALIDATE after it', async () => {
    const sql =
      '-- migrate:no-transaction\nBEGIN;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nROLLBACK AND CHAIN;\nALTER TABLE orders VALIDATE CONSTRAINT c;\nCOMMIT;';
    assert.deepEqual(await rules(sql), []);
  });

  test('tables created earlier in the pending set count as new (quoted names keep their case)', async () => {
    assert.deepEqual(
      await rules(
        'CREATE TABLE IF NOT EXISTS "Accounts" (id int);\nCREATE TABLE public.orders (id int);',
        'CREATE INDEX i ON "Accounts" (id);\nALTER TABLE orders ADD COLUMN total int NOT NULL;\nCREATE INDEX j ON accounts (id);',
      ),
      ['index-not-concurrent'],
    );
  });
});

describe('findings', () => {
  test('carry the file, the line of the construct, the lock and the recipe; errors vs warnings', async () => {
    const { findings } = await lint(
      'CREATE TABLE t (id int);\n\nALTER TABLE users\n  ADD COLUMN a int,\n  ADD CONSTRAINT fk\n    FOREIGN KEY (a) REFERENCES t;\nDROP TABLE sessions;',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.rule, f.severity]),
      [
        ['0001_m.sql', 5, 'foreign-key-not-valid', 'error'],
        ['0001_m.sql', 7, 'drop-table', 'warning'],
      ],
    );
    assert.match(findings[0]!.message, /SHARE ROW EXCLUSIVE/);
    assert.match(findings[1]!.message, /roll back/);
  });
});

describe('-- migrate:allow <rule>: <reason>', () => {
  test('per statement: only the statement after the comment', async () => {
    const result = await lint(
      'ALTER TABLE users DROP COLUMN a;\n-- migrate:allow drop-column: column unused since v1.4\nALTER TABLE users DROP COLUMN b;',
    );
    assert.deepEqual(
      result.findings.map((f) => [f.line, f.rule]),
      [[1, 'drop-column']],
    );
    assert.deepEqual(
      result.allowed.map((a) => [a.line, a.rule, a.reason]),
      [[3, 'drop-column', 'column unused since v1.4']],
    );
  });
  test('per file: in the header, before the first statement', async () => {
    const result = await lint(
      '-- migrate:allow index-not-concurrent: orders has 40 rows\nCREATE INDEX a ON orders (x);\nCREATE INDEX b ON orders (y);\nDROP TABLE t;',
    );
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ['drop-table'],
    );
    assert.equal(result.allowed.length, 2);
  });
  test('an allow without a reason, for an unknown rule or after the last statement is an error itself', async () => {
    const result = await lint(
      '-- migrate:allow drop-table\nDROP TABLE a;\n-- migrate:allow drop-tabel: typo\nDROP TABLE b;\n-- migrate:allow transaction-control: no\n',
    );
    assert.deepEqual(
      result.findings.map((f) => [f.line, f.rule]),
      [
        [1, 'invalid-allow'],
        [3, 'invalid-allow'],
        [5, 'invalid-allow'],
        [2, 'drop-table'],
        [4, 'drop-table'],
      ],
    );
    assert.match(result.findings[0]!.message, /needs a rule and a reason/);
  });
});
