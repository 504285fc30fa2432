/** The harness's reading of the runner's file commands (GITHUB_OUTPUT, GITHUB_ENV). */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { parseFileCommand } from './run-action.js';

describe('runner file commands', () => {
  test('parses heredoc and key=value forms', () => {
    const text = 'a<<ghadelimiter_1\nline1\nline2\nghadelimiter_1\nb=plain\nc<<EOF\n\nEOF\n';
    assert.deepEqual(parseFileCommand(text), { a: 'line1\nline2', b: 'plain', c: '' });
  });
});
