/**
 * What every action that talks to Sentry needs the same way: where the API is, whatever form of
 * `sentry-url` people paste, and the readable part of Sentry's error bodies.
 */
import { excerpt } from './http.js';

/**
 * Sentry's web root without a trailing slash: `https://sentry.io`, or a self-hosted origin with its
 * path prefix (`https://tools.example.com/sentry`). A pasted API URL (`…/api/0`, `…/api/0/`) is
 * accepted and reduced to the root; query and fragment are dropped.
 */
export function sentryBase(url: string): string {
  const u = new URL(url.trim());
  const path = u.pathname
    .replace(/\/+$/, '')
    .replace(/\/api(\/0)?$/, '')
    .replace(/\/+$/, '');
  return `${u.origin}${path}`;
}

/** The REST API root, `<root>/api/0`, for any form `sentryBase` accepts. */
export function sentryApiBase(url: string): string {
  return `${sentryBase(url)}/api/0`;
}

/**
 * The readable part of a Sentry error body, or '' for an empty one: `{"detail": "…"}`,
 * `{"detail": {"message": "…"}}`, field errors `{"projects": ["Invalid project"]}`, else the text.
 */
export function detailOf(body: string, max = 200): string {
  if (body.trim() === '') return '';
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return excerpt(body, max);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return excerpt(body, max);
  const record = json as Record<string, unknown>;
  const detail = record.detail;
  if (typeof detail === 'string') return excerpt(detail, max);
  if (
    detail !== null &&
    typeof detail === 'object' &&
    typeof (detail as { message?: unknown }).message === 'string'
  ) {
    return excerpt((detail as { message: string }).message, max);
  }
  const parts = Object.entries(record).map(
    ([k, v]) =>
      `${k}: ${Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return excerpt(parts.join('; '), max);
}
