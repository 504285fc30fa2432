/** lib/inputs.ts: typed, validated inputs with one-sentence errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { inputEnvName } from '../../lib/inputs.js';
import { inputsFrom } from '../harness/io.js';

describe('inputs', () => {
  test('env names follow the runner: upper-case, spaces to _, hyphens kept', () => {
    assert.equal(inputEnvName('max-p95-ms'), 'INPUT_MAX-P95-MS');
    assert.equal(inputEnvName('my input'), 'INPUT_MY_INPUT');
  });
  test('typed accessors validate with one sentence', () => {
    const i = inputsFrom({
      n: '3',
      b: 'TRUE',
      d: '2m',
      c: 'plan',
      l: 'a\n\n b \n# comment\nc',
      u: 'ftp://x',
    });
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
    assert.throws(() => inputsFrom({ n: '0' }).int('n', 1, { min: 1 }), /at least 1/);
  });
  test('numbers, bounds, booleans, URLs and comma lists each refuse with their own sentence', () => {
    const i = inputsFrom({
      f: '0.5',
      big: '11',
      yes: 'yes',
      bad: 'not a url',
      csv: 'a, b c\nd',
      ok: 'https://x.example',
    });
    assert.equal(i.number('f', undefined, { min: 0 }), 0.5);
    assert.equal(i.number('missing', 7), 7);
    assert.throws(() => i.number('yes', 1), /Input "yes" must be a number, not "yes"/);
    assert.throws(() => i.number('f', 1, { min: 1 }), /Input "f" must be at least 1, not 0\.5/);
    assert.throws(() => i.int('big', 1, { max: 10 }), /Input "big" must be at most 10, not 11/);
    assert.throws(() => i.bool('yes', false), /Input "yes" must be true or false, not "yes"/);
    assert.throws(() => i.url('bad'), /Input "bad" is not a valid URL: write it in full/);
    assert.equal(i.url('ok', { required: true }), 'https://x.example');
    assert.equal(i.url('missing'), undefined);
    assert.deepEqual(i.list('csv', { commas: true }), ['a', 'b', 'c', 'd']);
    assert.equal(i.string('missing', 'fallback'), 'fallback');
  });
});
