import { UserError } from '../../../lib/errors.js';
import type { Inputs } from '../../../lib/inputs.js';
import { sentryBase } from '../../../lib/sentry.js';
import { parseInstant } from '../../../lib/time.js';

export interface Ref {
  repository: string;
  commit: string;
  previousCommit?: string;
}

export interface SentryConfig {
  authToken: string;
  org: string;
  projects: string[];
  /** Sentry's web root (lib/sentry.ts sentryBase): no trailing slash, no /api/0. */
  baseUrl: string;
  release: string;
  environment: string | undefined;
  refs: Ref[] | undefined;
  finalize: boolean;
  deployUrl: string | undefined;
  deployName: string | undefined;
  /** ISO 8601. */
  startedAt: string | undefined;
}

/** Reads and checks every input before Sentry is called. */
export function readConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): SentryConfig {
  const authToken = inputs.required('auth-token', {
    hint: 'a Sentry auth token with project:releases, as a secret',
  });
  const org = inputs.required('org', { hint: 'your Sentry organization slug' });
  const projects = inputs.list('projects', { commas: true });
  if (projects.length === 0) inputs.required('projects', { hint: 'Sentry project slugs, space separated' });
  const baseUrl = sentryBase(inputs.url('url') ?? 'https://sentry.io');
  const release = inputs.optional('release') ?? env.GITHUB_SHA ?? '';
  if (release === '')
    throw new UserError('Input "release" is empty and GITHUB_SHA is not set: set release to a version.');
  checkVersion(release);
  const startedAt = inputs.optional('started-at');
  const repository = inputs.optional('repository');
  const commit = inputs.optional('commit') ?? env.GITHUB_SHA;
  const previousCommit = inputs.optional('previous-commit');
  let refs: Ref[] | undefined;
  if (repository) {
    if (!commit)
      throw new UserError('Input "commit" is empty while repository is set: set commit to the head SHA.');
    refs = [{ repository, commit, ...(previousCommit ? { previousCommit } : {}) }];
  }
  return {
    authToken,
    org,
    projects,
    baseUrl,
    release,
    environment: inputs.optional('environment'),
    refs,
    finalize: inputs.bool('finalize', true),
    deployUrl: inputs.url('deploy-url'),
    deployName: inputs.optional('deploy-name'),
    startedAt: startedAt === undefined ? undefined : parseInstant(startedAt, 'started-at').toISOString(),
  };
}

/** Sentry refuses versions with slashes, tabs or newlines, ".", "..", "latest", or over 200 characters (its API schema: maxLength 200). */
function checkVersion(version: string): void {
  if (
    /[/\\\n\r\t]/.test(version) ||
    ['.', '..', 'latest'].includes(version.toLowerCase()) ||
    version.length > 200
  ) {
    throw new UserError(
      `Release "${version}" is not a valid Sentry version: use up to 200 characters without slashes, tabs or newlines (e.g. the commit SHA or 1.4.2).`,
    );
  }
}
