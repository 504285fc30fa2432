/**
 * Making text from elsewhere safe to show. `plainText` stands in for lib's `safeLogText` (issue 21.7)
 * until that lands on main: remote text (a version, a JSON value, an error body) must not start a
 * line of its own in the log, where the runner would read `::error::…` as a workflow command.
 */

/** Control characters (C0, DEL, C1) and Unicode line/paragraph separators become spaces. */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/**
 * A URL as logs and reports show it: origin and path, never the user-info or the query, where a
 * credential may sit under any name (`?auth=…`, `?sig=…`).
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
