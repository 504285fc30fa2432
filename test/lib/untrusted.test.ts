// safeLogText: remote text printed to stdout can never become a workflow command.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { safeLogLine, safeLogText } from '../../lib/untrusted.js';

/** What the runner would take for a command: a line whose trimmed text starts with `::`, or any `##[`. */
function commands(text: string): string[] {
  return text.split('\n').filter((line) => line.trim().startsWith('::') || line.includes('##['));
}

describe('safeLogText', () => {
  const attacks = [
    '::error title=Deploy::forged',
    '   ::add-mask::x',
    '\t::stop-commands::tok',
    'ok\n::warning::second line',
    'ok\r::warning::carriage return',
    'ok\r\n::set-output name=a::b',
    'ok\u2028::error::line separator',
    'ok\u0085::error::next line',
    'prefix ##[set-output name=url;]https://evil.example',
    '\u001b[2K::error::after an ANSI erase',
    '\u0000::error::after a NUL',
  ];
  for (const attack of attacks) {
    test(`defuses ${JSON.stringify(attack)}`, () => {
      const safe = safeLogText(attack);
      assert.deepEqual(commands(safe), [], safe);
      assert.doesNotMatch(safe, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    });
  }

  test('keeps what a person reads: words, tabs, newlines, colons inside a line', () => {
    assert.equal(safeLogText('npm ERR! code 1\n\tat build: step 2'), 'npm ERR! code 1\n\tat build: step 2');
    assert.equal(safeLogText('\u001b[31mred\u001b[0m'), 'red');
    assert.match(safeLogText('::error::x'), /::error::x$/);
  });

  test('safeLogLine makes one line', () => {
    assert.equal(safeLogLine('a\n::error::b'), 'a \u200b::error::b');
    assert.deepEqual(commands(safeLogLine('::error::x')), []);
  });
});
