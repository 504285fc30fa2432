/** Small Markdown builders for job summaries and PR comments (GitHub-flavoured). */

/** Escapes a value for a Markdown table cell. */
export function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: unknown[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export function details(summaryText: string, body: string): string {
  return `<details><summary>${summaryText}</summary>\n\n${body}\n\n</details>`;
}

/** A fenced code block whose fence cannot be closed by the content. */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number, marker = '…truncated'): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - marker.length - 1)) + `\n${marker}`;
}

/** A hidden marker that lets us find and update our own PR comment. */
export function commentMarker(id: string): string {
  return `<!-- decisionlog-deploy:${id} -->`;
}
