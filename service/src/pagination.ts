/**
 * Keyset cursors for the decisions list: the (created_at, id) of the last row served, as opaque
 * base64url. created_at travels as text with microseconds — a JS Date would drop them and repeat rows.
 */
export interface Cursor {
  createdAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** The cursor, or undefined when the text is not one we issued. */
export function decodeCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== 'string' || !TIMESTAMP.test(createdAt)) return undefined;
    // The shape alone lets month 13 or February 30 through, which PostgreSQL refuses with an error (a 500).
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== createdAt.slice(0, 19))
      return undefined;
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * Turns `limit + 1` rows fetched in keyset order into one page: the first `limit` rows (without their
 * `sort_key` column) and the cursor of the last one when more rows follow.
 */
export function keysetPage<T extends { id: string; sort_key: string }>(
  rows: T[],
  limit: number,
): { items: Omit<T, 'sort_key'>[]; next: Cursor | undefined } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map(({ sort_key: _, ...item }) => item),
    next: more && last ? { createdAt: last.sort_key, id: last.id } : undefined,
  };
}
