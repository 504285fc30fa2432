/**
 * The Sentry error gate: how many issues were first seen in this release. Uses Sentry's
 * "List an Organization's Issues" endpoint (GET /api/0/organizations/{org}/issues/, which replaces
 * the deprecated project issues endpoint) with `project=<slug>` for each project, the search
 * `firstRelease:"<release>"` and Bearer auth (scope event:read).
 */
import { UserError } from '../../../lib/errors.js';
import { excerpt, http } from '../../../lib/http.js';
import { detailOf, sentryApiBase } from '../../../lib/sentry.js';

export interface SentryConfig {
  baseUrl: string;
  token: string;
  org: string;
  project: string;
  release: string;
}

export interface SentryIssue {
  shortId: string;
  title: string;
  permalink?: string;
  count?: string;
}

export interface SentryFinding {
  release: string;
  count: number;
  /** More pages existed than we read: `count` is a lower bound. */
  more: boolean;
  issues: SentryIssue[];
}

const MAX_PAGES = 10;

export function issuesUrl(cfg: SentryConfig, cursor?: string, projects: string[] = [cfg.project]): string {
  const query = new URLSearchParams();
  for (const p of projects) query.append('project', p);
  query.set('query', `firstRelease:"${cfg.release}"`);
  if (cursor) query.set('cursor', cursor);
  return `${sentryApiBase(cfg.baseUrl)}/organizations/${encodeURIComponent(cfg.org)}/issues/?${query}`;
}

/**
 * New issues of the release over several projects (one release often spans API and web): one query,
 * following Sentry's cursor pagination (Link header).
 */
export async function countNewIssuesAcross(
  cfg: SentryConfig,
  projects: string[],
  timeoutMs = 15_000,
): Promise<SentryFinding> {
  const named = { ...cfg, project: projects.join(', ') };
  const issues: SentryIssue[] = [];
  let cursor: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await http(issuesUrl(cfg, cursor, projects), {
      headers: { authorization: `Bearer ${cfg.token}`, accept: 'application/json' },
      timeoutMs,
      service: 'Sentry API',
      retry: { retries: 2, baseDelayMs: 300 },
    });
    if (res.status !== 200) throw new UserError(sentryErrorSentence(res.status, res.text, named));
    let list: unknown;
    try {
      list = res.json();
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list)) {
      throw new UserError(
        `Sentry answered 200 but not with a list of issues (${excerpt(res.text, 120)}): check that sentry-url points at the Sentry API.`,
      );
    }
    for (const item of list as Array<Record<string, unknown>>) {
      issues.push({
        shortId: String(item.shortId ?? item.id ?? '?'),
        title: String(item.title ?? item.culprit ?? ''),
        permalink: typeof item.permalink === 'string' ? item.permalink : undefined,
        count: item.count === undefined ? undefined : String(item.count),
      });
    }
    cursor = nextCursor(res.headers.link);
    if (!cursor) return { release: cfg.release, count: issues.length, more: false, issues };
  }
  return { release: cfg.release, count: issues.length, more: true, issues };
}

/** The cursor of the `rel="next"` link when Sentry says it has results, else undefined. */
export function nextCursor(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,\s*(?=<)/)) {
    if (!/rel="next"/.test(part) || !/results="true"/.test(part)) continue;
    return /cursor="([^"]+)"/.exec(part)?.[1];
  }
  return undefined;
}

/** One sentence for a failed Sentry call: what is wrong and what to change. */
export function sentryErrorSentence(status: number, body: string, cfg: SentryConfig): string {
  const said = detailOf(body, 160) || 'no body';
  if (status === 401) {
    return `Sentry rejected sentry-auth-token (401: ${said}): use a valid auth token with the event:read scope.`;
  }
  if (status === 403) {
    return `Sentry refused to list issues of ${cfg.project} in organization "${cfg.org}" (403: ${said}): give the token the event:read scope and access to those projects, and check that sentry-project names projects of sentry-org (the slugs in their URLs).`;
  }
  if (status === 404) {
    return `Sentry has no organization "${cfg.org}" this token can see at ${cfg.baseUrl} (404): check sentry-org (the slug in your Sentry URL) and sentry-url for self-hosted Sentry.`;
  }
  return `Sentry answered ${status} when listing issues of release ${cfg.release} (${said}): try again later, or check sentry-url.`;
}
