import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { formatDuration, parseDuration } from '../../lib/duration.js';
import { UserError } from '../../lib/errors.js';
import { Inputs, inputEnvName } from '../../lib/inputs.js';
import { Secrets, secretParts } from '../../lib/mask.js';
import { codeBlock, table, truncate } from '../../lib/summary.js';
import { parseFileCommand } from '../harness/run-action.js';

describe('durations', () => {
  test('parses the forms people write', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('15'), 15_000);
    assert.equal(parseDuration('0.5s'), 500);
  });
  test('rejects anything else with the input named', () => {
    assert.throws(
      () => parseDuration('5 minutes', 'Input "deadline"'),
      /Input "deadline" "5 minutes" is not a duration/,
    );
    assert.throws(() => parseDuration('', 'x'), UserError);
    assert.throws(() => parseDuration('5s!'), UserError);
  });
  test('formats for people', () => {
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(4200), '4.2s');
    assert.equal(formatDuration(185_000), '3m05s');
  });
});

describe('inputs', () => {
  const from = (values: Record<string, string>) => new Inputs((n) => values[n] ?? '');
  test('env names follow the runner: upper-case, spaces to _, hyphens kept', () => {
    assert.equal(inputEnvName('max-p95-ms'), 'INPUT_MAX-P95-MS');
    assert.equal(inputEnvName('my input'), 'INPUT_MY_INPUT');
  });
  test('typed accessors validate with one sentence', () => {
    const i = from({ n: '3', b: 'TRUE', d: '2m', c: 'plan', l: 'a\n\n b \n# comment\nc', u: 'ftp://x' });
    assert.equal(i.int('n', 1, { min: 1 }), 3);
    assert.equal(i.bool('b', false), true);
    assert.equal(i.duration('d', '5s'), 120_000);
    assert.equal(i.duration('missing', '5s'), 5000);
    assert.equal(i.choice('c', ['apply', 'plan', 'lint'] as const, 'apply'), 'plan');
    assert.deepEqual(i.list('l'), ['a', 'b', 'c']);
    assert.throws(() => i.required('missing'), /Input "missing" is required but was empty/);
    assert.throws(() => i.int('c', 1), /must be a whole number/);
    assert.throws(() => i.choice('n', ['a'] as const, 'a'), /must be one of a, not "3"/);
    assert.throws(() => i.url('u'), /must be an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => from({ n: '0' }).int('n', 1, { min: 1 }), /at least 1/);
  });
});

describe('secrets', () => {
  test('URL secrets register the whole URL and the password, decoded too', () => {
    const parts = secretParts('postgres://app:p%40ss%2Fword@db.example.com:5432/app?sslmode=require');
    assert.ok(parts.includes('p%40ss%2Fword'));
    assert.ok(parts.includes('p@ss/word'));
  });
  test('webhook URLs register their path', () => {
    assert.ok(
      secretParts('https://hooks.slack.com/services/T000/B000/XXXXXXXX').includes(
        '/services/T000/B000/XXXXXXXX',
      ),
    );
  });
  test('scrub replaces every registered value and tells the runner once', () => {
    const masked: string[] = [];
    const s = new Secrets((v) => masked.push(v));
    s.register('tok_123456');
    s.register('tok_123456');
    s.register('ab'); // too short to mask meaningfully
    assert.deepEqual(masked, ['tok_123456']);
    assert.equal(s.scrub('Bearer tok_123456 failed'), 'Bearer *** failed');
  });
});

describe('markdown', () => {
  test('tables escape pipes and newlines', () => {
    assert.equal(table(['a', 'b'], [['x|y', 'l1\nl2']]), '| a | b |\n| --- | --- |\n| x\\|y | l1<br>l2 |');
  });
  test('code blocks cannot be closed by their content', () => {
    assert.match(codeBlock('```inner```'), /^````\n/);
  });
  test('truncate marks the cut', () => {
    const t = truncate('x'.repeat(100), 30);
    assert.ok(t.length <= 30);
    assert.match(t, /…truncated$/);
  });
});

describe('runner file commands', () => {
  test('parses heredoc and key=value forms', () => {
    const text = 'a<<ghadelimiter_1\nline1\nline2\nghadelimiter_1\nb=plain\nc<<EOF\n\nEOF\n';
    assert.deepEqual(parseFileCommand(text), { a: 'line1\nline2', b: 'plain', c: '' });
  });
});
