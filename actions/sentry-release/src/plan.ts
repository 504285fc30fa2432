import type { SentryConfig } from './config.js';

/** What Sentry answers about a release (the fields we use). */
export interface ReleaseAnswer {
  version: string;
  dateReleased: string | null;
  url?: string | null;
}

export function releasesPath(org: string): string {
  return `/api/0/organizations/${encodeURIComponent(org)}/releases/`;
}

export function releasePath(org: string, version: string): string {
  return `${releasesPath(org)}${encodeURIComponent(version)}/`;
}

/** Link to the release in Sentry's UI (works for sentry.io and self-hosted). */
export function releaseUrl(baseUrl: string, org: string, version: string): string {
  return `${baseUrl}/organizations/${encodeURIComponent(org)}/releases/${encodeURIComponent(version)}/`;
}

/**
 * Body of POST …/releases/. Sentry's create is idempotent: an existing release answers 208 and keeps
 * its dateReleased, so finalizing an existing release is the PUT below.
 */
export function createBody(config: SentryConfig, now: Date): Record<string, unknown> {
  return {
    version: config.release,
    projects: config.projects,
    ...(config.refs ? { refs: config.refs } : {}),
    ...(config.finalize ? { dateReleased: now.toISOString() } : {}),
  };
}

/**
 * What still has to change after the create call, or undefined when nothing does. A release that
 * is already released keeps its date: a rollback re-deploys it, and the deploy record says when.
 */
export function releaseUpdate(
  config: SentryConfig,
  answer: ReleaseAnswer,
  now: Date,
): { dateReleased: string } | undefined {
  // Refs need no second call: Sentry applies them on create whether the release is new or not.
  if (config.finalize && !answer.dateReleased) return { dateReleased: now.toISOString() };
  return undefined;
}

/** Body of POST …/releases/{version}/deploys/. */
export function deployBody(config: SentryConfig, environment: string, now: Date): Record<string, unknown> {
  return {
    environment,
    projects: config.projects,
    ...(config.deployName ? { name: config.deployName } : {}),
    ...(config.deployUrl ? { url: config.deployUrl } : {}),
    ...(config.startedAt ? { dateStarted: config.startedAt } : {}),
    dateFinished: now.toISOString(),
  };
}
