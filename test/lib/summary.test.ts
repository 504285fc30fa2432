/** lib/summary.ts: Markdown for job summaries and PR comments. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { codeBlock, table, truncate } from '../../lib/summary.js';

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
