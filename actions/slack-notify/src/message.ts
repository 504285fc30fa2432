import { formatDuration } from '../../../lib/duration.js';

/** The deploy stages a message can show, in the order a deploy usually goes through them. */
export const STATUSES = [
  'started',
  'migrating',
  'deploying',
  'gating',
  'succeeded',
  'failed',
  'rolled-back',
  'cancelled',
] as const;
export type DeployStatus = (typeof STATUSES)[number];

export interface StatusStyle {
  emoji: string;
  /** Colour bar of the attachment (Block Kit itself has no colour). */
  color: string;
  label: string;
}

export const STATUS_STYLE: Record<DeployStatus, StatusStyle> = {
  started: { emoji: '🚀', color: '#1d9bd1', label: 'Deploy started' },
  migrating: { emoji: '🗄️', color: '#1d9bd1', label: 'Running database migrations' },
  deploying: { emoji: '📦', color: '#1d9bd1', label: 'Deploying' },
  gating: { emoji: '🚦', color: '#ecb22e', label: 'Checking the release gate' },
  succeeded: { emoji: '✅', color: '#2eb67d', label: 'Deploy succeeded' },
  failed: { emoji: '❌', color: '#e01e5a', label: 'Deploy failed' },
  'rolled-back': { emoji: '⏪', color: '#e8912d', label: 'Rolled back to the previous release' },
  cancelled: { emoji: '⚪', color: '#868686', label: 'Deploy cancelled' },
};

/** Slack's documented Block Kit limits. */
export const LIMITS = { sectionText: 3000, fieldText: 2000, blocks: 50, contextText: 2000 } as const;
export const TRUNCATED_MARKER = '…truncated';
/** Details beyond this many sections (~29,000 characters) stop being read; the summary keeps them. */
export const MAX_DETAIL_SECTIONS = 10;

export interface MessageContext {
  title?: string | undefined;
  environment?: string | undefined;
  /** Markdown; converted to mrkdwn. */
  details?: string | undefined;
  serviceUrl?: string | undefined;
  repository: string;
  serverUrl: string;
  sha: string;
  actor: string;
  runUrl?: string | undefined;
  runId?: string | undefined;
  /** Epoch milliseconds. */
  startedAt?: number | undefined;
  now: number;
}

export interface Block {
  type: string;
  [key: string]: unknown;
}

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks. */
  text: string;
  attachments: Array<{ color: string; fallback: string; blocks: Block[] }>;
}

export interface BuiltMessage {
  message: SlackMessage;
  /** True when details were cut to fit Slack's limits. */
  truncated: boolean;
}

/** Builds the one Block Kit message that represents a deploy at `status`. Pure. */
export function buildMessage(status: DeployStatus, ctx: MessageContext): BuiltMessage {
  const style = STATUS_STYLE[status];
  const title = ctx.title || [ctx.repository, ctx.environment].filter(Boolean).join(' → ') || 'Deploy';
  const headline = `${style.emoji} ${cut(title, 200)}: ${style.label}`;

  const head: Block = {
    type: 'section',
    text: { type: 'mrkdwn', text: cut(`*${escapeMrkdwn(`${style.emoji} ${title}`)}*\n${style.label}`, 2900) },
  };
  const fields = factFields(ctx).map((text) => ({ type: 'mrkdwn', text: cut(text, LIMITS.fieldText) }));
  const fixed: Block[] = [head];
  if (fields.length > 0) fixed.push({ type: 'section', fields: fields.slice(0, 10) });
  const context: Block = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: contextLine(ctx) }],
  };

  const budget = Math.min(MAX_DETAIL_SECTIONS, LIMITS.blocks - fixed.length - 1);
  let truncated = false;
  let chunks = ctx.details?.trim()
    ? chunkText(markdownToMrkdwn(ctx.details.trim()), LIMITS.sectionText - 100)
    : [];
  if (chunks.length > budget) {
    chunks = chunks.slice(0, budget);
    truncated = true;
  }
  if (truncated) {
    const last = chunks.length - 1;
    chunks[last] = `${chunks[last]}\n_${TRUNCATED_MARKER}: the full details are in the job summary_`;
  }
  const detailBlocks: Block[] = chunks.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));

  const fallback = cut(escapeMrkdwn(headline), LIMITS.sectionText);
  return {
    message: {
      text: fallback,
      attachments: [{ color: style.color, fallback, blocks: [...fixed, ...detailBlocks, context] }],
    },
    truncated,
  };
}

function factFields(ctx: MessageContext): string[] {
  const fields: string[] = [];
  if (ctx.environment) fields.push(`*Environment*\n${escapeMrkdwn(cut(ctx.environment, 200))}`);
  if (ctx.sha) {
    const short = ctx.sha.slice(0, 7);
    const commitUrl = ctx.repository ? `${ctx.serverUrl}/${ctx.repository}/commit/${ctx.sha}` : undefined;
    fields.push(`*Commit*\n${commitUrl ? `<${commitUrl}|\`${short}\`>` : `\`${short}\``}`);
  }
  if (ctx.actor) fields.push(`*Actor*\n${escapeMrkdwn(cut(ctx.actor, 200))}`);
  if (ctx.runUrl) fields.push(`*Run*\n<${ctx.runUrl}|#${escapeMrkdwn(ctx.runId ?? 'run')}>`);
  if (ctx.serviceUrl) fields.push(`*Service*\n<${ctx.serviceUrl}|${escapeMrkdwn(cut(ctx.serviceUrl, 300))}>`);
  if (ctx.startedAt !== undefined && ctx.now >= ctx.startedAt) {
    fields.push(`*Duration*\n${formatDuration(ctx.now - ctx.startedAt)}`);
  }
  return fields;
}

function contextLine(ctx: MessageContext): string {
  const seconds = Math.floor(ctx.now / 1000);
  const iso = new Date(ctx.now).toISOString();
  const where = ctx.repository ? ` · ${escapeMrkdwn(ctx.repository)}` : '';
  return cut(`Updated <!date^${seconds}^{date_short_pretty} {time_secs}|${iso}>${where}`, LIMITS.contextText);
}

/** Slack asks for &, < and > to be escaped in text; everything else is literal. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Converts the Markdown people write in `details` to Slack mrkdwn where that is cheap: headings,
 * bold, italics, strike-through, links, bullets. Code spans and fences are kept verbatim (escaped).
 */
export function markdownToMrkdwn(markdown: string): string {
  const parts = markdown.split(/(```[\s\S]*?```|`[^`\n]+`)/g);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return escapeMrkdwn(part.replace(/^```[\w+-]*\n/, '```\n'));
      return convertProse(part);
    })
    .join('');
}

function convertProse(text: string): string {
  const BOLD = '\u0001';
  return escapeMrkdwn(text)
    .replace(/^#{1,6}[ \t]+(.+?)[ \t]*#*$/gm, `${BOLD}$1${BOLD}`)
    .replace(/^([ \t]*)[-*+][ \t]+/gm, '$1• ')
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_, a?: string, b?: string) => `${BOLD}${a ?? b}${BOLD}`)
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/!?\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '<$2|$1>')
    .replace(/\u0001/g, '*');
}

/**
 * Splits text into pieces of at most `max` characters, at line ends where possible; a code fence
 * cut in two is closed at the end of one piece and reopened at the start of the next.
 */
export function chunkText(text: string, max: number): string[] {
  const room = max - 8;
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current === '') return;
    chunks.push(current);
    current = '';
  };
  for (const rawLine of text.split('\n')) {
    let line = rawLine;
    while (line.length > room) {
      flush();
      chunks.push(line.slice(0, room));
      line = line.slice(room);
    }
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length > room) {
      flush();
      current = line;
    } else current = candidate;
  }
  flush();
  let open = false;
  return chunks.map((chunk) => {
    let out = open ? `\`\`\`\n${chunk}` : chunk;
    const fences = (chunk.match(/```/g) ?? []).length;
    if (fences % 2 === 1) open = !open;
    if (open) out = `${out}\n\`\`\``;
    return out;
  });
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
