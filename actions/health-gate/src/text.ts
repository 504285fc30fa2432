// Remote text on its way to the log goes through lib/untrusted.ts (`safeLogLine`).

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
