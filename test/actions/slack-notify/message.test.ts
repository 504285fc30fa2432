import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  buildMessage,
  chunkText,
  LIMITS,
  MAX_DETAIL_SECTIONS,
  type MessageContext,
  markdownToMrkdwn,
  STATUS_STYLE,
  STATUSES,
  TRUNCATED_MARKER,
} from '../../../actions/slack-notify/src/message.js';

const base: MessageContext = {
  environment: 'production',
  repository: 'acme/decisionlog',
  serverUrl: 'https://github.com',
  sha: '0123456789abcdef0123456789abcdef01234567',
  actor: 'octocat',
  runUrl: 'https://github.com/acme/decisionlog/actions/runs/4242',
  runId: '4242',
  now: Date.parse('2025-03-01T12:03:05Z'),
};

type Section = { type: string; text?: { text: string }; fields?: Array<{ text: string }> };
const blocksOf = (ctx: Partial<MessageContext>, status: (typeof STATUSES)[number] = 'deploying') =>
  buildMessage(status, { ...base, ...ctx }).message.attachments[0]?.blocks as Section[];
const allText = (blocks: Section[]) =>
  blocks.map((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)].join('\n')).join('\n');

describe('buildMessage', () => {
  test('every status has its own emoji and colour, shown in the fallback text and the attachment', () => {
    const seen = new Set<string>();
    for (const status of STATUSES) {
      const { message } = buildMessage(status, base);
      const style = STATUS_STYLE[status];
      assert.equal(message.attachments[0]?.color, style.color);
      assert.ok(message.text.startsWith(style.emoji), `${status}: ${message.text}`);
      assert.ok(message.text.includes(style.label));
      seen.add(`${style.emoji}${style.color}${style.label}`);
    }
    assert.equal(seen.size, STATUSES.length);
    assert.equal(STATUS_STYLE.failed.color !== STATUS_STYLE.succeeded.color, true);
  });

  test('links the short SHA to the commit, the run, the service; names actor and environment', () => {
    const text = allText(blocksOf({ serviceUrl: 'https://decisionlog.up.railway.app' }));
    assert.match(
      text,
      /<https:\/\/github\.com\/acme\/decisionlog\/commit\/0123456789abcdef0123456789abcdef01234567\|`0123456`>/,
    );
    assert.match(text, /<https:\/\/github\.com\/acme\/decisionlog\/actions\/runs\/4242\|#4242>/);
    assert.match(text, /<https:\/\/decisionlog\.up\.railway\.app\|https:\/\/decisionlog\.up\.railway\.app>/);
    assert.match(text, /\*Actor\*\noctocat/);
    assert.match(text, /\*Environment\*\nproduction/);
  });

  test('shows the duration since started-at, and none without it', () => {
    assert.match(allText(blocksOf({ startedAt: base.now - 185_000 })), /\*Duration\*\n3m05s/);
    assert.doesNotMatch(allText(blocksOf({})), /Duration/);
  });

  test('title defaults to repository → environment and is escaped', () => {
    assert.match(buildMessage('started', base).message.text, /acme\/decisionlog → production/);
    const { message } = buildMessage('started', { ...base, title: 'A <b> & c' });
    assert.match(message.text, /A &lt;b&gt; &amp; c/);
  });

  test('oversized details are cut to ≤ 3000 characters per section and ≤ 50 blocks, with a marker', () => {
    const line = `${'x'.repeat(90)}\n`;
    const built = buildMessage('failed', { ...base, details: line.repeat(3000) });
    const blocks = built.message.attachments[0]?.blocks as Section[];
    assert.equal(built.truncated, true);
    assert.ok(blocks.length <= LIMITS.blocks, `${blocks.length} blocks`);
    assert.equal(blocks.length, 2 + MAX_DETAIL_SECTIONS + 1, 'head, facts, detail sections, context');
    for (const b of blocks) assert.ok((b.text?.text.length ?? 0) <= LIMITS.sectionText);
    const sections = blocks.filter((b) => b.type === 'section' && b.text?.text.includes('xxx'));
    assert.ok(sections.at(-1)?.text?.text.includes(TRUNCATED_MARKER));
  });

  test('one very long line is hard-split, and short details are not marked as truncated', () => {
    const built = buildMessage('failed', { ...base, details: 'y'.repeat(7000) });
    assert.equal(built.truncated, false);
    const sections = (built.message.attachments[0]!.blocks as Section[]).filter((b) =>
      b.text?.text.startsWith('y'),
    );
    assert.equal(sections.length, 3);
    assert.equal(sections.map((s) => s.text?.text).join(''), 'y'.repeat(7000));
    assert.doesNotMatch(allText(built.message.attachments[0]!.blocks as Section[]), /truncated/);
  });
});

describe('markdownToMrkdwn', () => {
  test('converts headings, bold, italics, strike-through, links and bullets', () => {
    assert.equal(markdownToMrkdwn('## Gate verdict'), '*Gate verdict*');
    assert.equal(markdownToMrkdwn('**p95** went __up__'), '*p95* went *up*');
    assert.equal(markdownToMrkdwn('an *italic* word'), 'an _italic_ word');
    assert.equal(markdownToMrkdwn('~~old~~'), '~old~');
    assert.equal(
      markdownToMrkdwn('see [the logs](https://x.test/a?b=1&c=2)'),
      'see <https://x.test/a?b=1&amp;c=2|the logs>',
    );
    assert.equal(markdownToMrkdwn('- one\n* two\n  + three'), '• one\n• two\n  • three');
  });

  test('escapes &, <, > and leaves code alone (but drops the fence language)', () => {
    assert.equal(markdownToMrkdwn('a < b && c > d'), 'a &lt; b &amp;&amp; c &gt; d');
    assert.equal(markdownToMrkdwn('run `a **b** <c>`'), 'run `a **b** &lt;c&gt;`');
    assert.equal(markdownToMrkdwn('```sql\nSELECT **x**;\n```'), '```\nSELECT **x**;\n```');
  });
});

describe('chunkText', () => {
  test('keeps every piece within the limit and re-opens a code fence that was cut', () => {
    const text = `intro\n\`\`\`\n${'line of code\n'.repeat(40)}\`\`\`\nafter`;
    const chunks = chunkText(text, 120);
    assert.ok(chunks.length > 3);
    for (const c of chunks) {
      assert.ok(c.length <= 120, `${c.length}`);
      assert.equal((c.match(/```/g) ?? []).length % 2, 0, c);
    }
  });
});
