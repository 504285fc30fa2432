/** Reads and validates every input before the gate does anything, so a bad input fails in milliseconds. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { formatDuration } from '../../../lib/duration.js';
import { UserError } from '../../../lib/errors.js';
import { checkUrl, type Inputs } from '../../../lib/inputs.js';
import { type Expectations, parseCondition, parseExpectStatus } from './probe.js';
import type { SentryConfig } from './sentry.js';
import {
  DEFAULT_SMOKE_VARIABLES,
  parseOrigins,
  parseSmokeJourney,
  parseVariablePatterns,
  type SmokePolicy,
  type SmokeStep,
} from './smoke.js';

/** Defaults, justified in the README with `npm run bench:gate`. */
export const DEFAULTS = {
  successThreshold: 3,
  failureLimit: 4,
  consecutiveErrorLimit: 2,
  inconclusiveLimit: 4,
  bakeTime: '2m',
};

export interface Config {
  urls: string[];
  expectations: Expectations;
  intervalMs: number;
  timeoutMs: number;
  initialDelayMs: number;
  deadlineMs: number;
  successThreshold: number;
  failureLimit: number;
  consecutiveErrorLimit: number;
  inconclusiveLimit: number;
  bakeMs: number;
  maxP95Ms?: number;
  smoke?: { file: string; steps: SmokeStep[]; policy: SmokePolicy };
  headers: Record<string, string>;
  /** `project` is the first of `projects`; the gate counts new issues across all of them. */
  sentry?: SentryConfig & { maxNewIssues: number; projects: string[] };
  githubToken?: string;
  comment: boolean;
  /** Markdown placed above the gate report in the PR comment (e.g. the migrate action's report). */
  commentHeader: string | undefined;
  failOnUnhealthy: boolean;
}

export function readConfig(
  inputs: Inputs,
  env: Record<string, string | undefined> = process.env,
  workspace = env.GITHUB_WORKSPACE ?? process.cwd(),
): Config {
  const urls = inputs.list('url').map((u, i) => checkUrl(u, `Input "url" line ${i + 1}`));
  if (urls.length === 0)
    inputs.required('url', { hint: 'one URL per line, e.g. https://app.example.com/health' });
  const expectVersion = inputs.optional('expect-version');
  const expectations: Expectations = {
    statuses: parseExpectStatus(inputs.string('expect-status', '200'), 'Input "expect-status"'),
    conditions: inputs.list('expect-json').map((c) => parseCondition(c, 'Input "expect-json"')),
    expectVersion,
    versionPath: inputs.string('version-path', 'version'),
  };
  const intervalMs = inputs.duration('interval', '5s');
  const timeoutMs = inputs.duration('timeout', '5s');
  const initialDelayMs = inputs.duration('initial-delay', '0s');
  const deadlineMs = inputs.duration('deadline', '5m');
  if (timeoutMs <= 0) throw new UserError('Input "timeout" must be longer than 0: write it like 5s.');
  if (deadlineMs <= initialDelayMs) {
    throw new UserError(
      'Input "deadline" must be longer than "initial-delay": the deadline counts from the start of the step, so no probe could run.',
    );
  }
  const bakeMs = inputs.duration('bake-time', DEFAULTS.bakeTime);
  if (initialDelayMs + bakeMs >= deadlineMs) {
    throw new UserError(
      `Input "deadline" (${formatDuration(deadlineMs)}) leaves no time to reach the success streak before the ${formatDuration(bakeMs)} bake-time${initialDelayMs > 0 ? ' and the initial-delay' : ''}: raise deadline, or shorten bake-time.`,
    );
  }
  const successThreshold = inputs.int('success-threshold', DEFAULTS.successThreshold, { min: 1 }) as number;
  // failure-threshold N (consecutive failing rounds, before failure-limit existed) maps to
  // failure-limit N-1 and consecutive-error-limit N-1: N failures in a row still decide at the same
  // round, and so do N failures spread out.
  const threshold = inputs.int('failure-threshold', undefined, { min: 1 });
  const failureLimit = inputs.int(
    'failure-limit',
    threshold === undefined ? defaultFailureLimit(successThreshold, bakeMs, intervalMs) : threshold - 1,
    { min: 0 },
  ) as number;
  const consecutiveErrorLimit = inputs.int(
    'consecutive-error-limit',
    threshold === undefined ? DEFAULTS.consecutiveErrorLimit : threshold - 1,
    { min: 0 },
  ) as number;
  const inconclusiveLimit = inputs.int('inconclusive-limit', DEFAULTS.inconclusiveLimit, {
    min: 0,
  }) as number;
  const maxP95Ms = inputs.number('max-p95-ms', undefined, { min: 1 });

  const headers = parseHeaders(inputs.raw('headers'));

  let smoke: Config['smoke'];
  const smokeFile = inputs.optional('smoke-file');
  if (smokeFile) {
    const path = isAbsolute(smokeFile) ? smokeFile : join(workspace, smokeFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UserError(
        `smoke-file ${smokeFile} could not be read (looked at ${path}): check the path, relative to the repository root, and that the job checked out the repository.`,
      );
    }
    const variables = inputs.list('smoke-variables', { commas: true });
    const policy: SmokePolicy = {
      variables: parseVariablePatterns(
        variables.length > 0 ? variables : DEFAULT_SMOKE_VARIABLES,
        'Input "smoke-variables"',
      ),
      origin: new URL(urls[0] as string).origin,
      otherOrigins: parseOrigins(inputs.list('smoke-origins', { commas: true }), 'Input "smoke-origins"'),
    };
    smoke = { file: smokeFile, steps: parseSmokeJourney(text, smokeFile, env, policy), policy };
  }

  let sentry: Config['sentry'];
  const token = inputs.optional('sentry-auth-token');
  if (token) {
    const release = inputs.optional('sentry-release') ?? expectVersion;
    const missing = [
      ['sentry-org', inputs.optional('sentry-org')],
      ['sentry-project', inputs.optional('sentry-project')],
      ['sentry-release (or expect-version)', release],
    ]
      .filter(([, v]) => !v)
      .map(([k]) => k);
    if (missing.length > 0) {
      throw new UserError(
        `The Sentry gate needs ${missing.join(', ')} besides sentry-auth-token: set them, or remove sentry-auth-token to skip the Sentry check.`,
      );
    }
    const projects = inputs.list('sentry-project', { commas: true });
    sentry = {
      token,
      org: inputs.required('sentry-org'),
      project: projects[0] as string,
      projects,
      release: release as string,
      baseUrl: inputs.url('sentry-url') ?? 'https://sentry.io',
      maxNewIssues: inputs.int('max-new-issues', 0, { min: 0 }) as number,
    };
  }

  return {
    urls,
    expectations,
    intervalMs,
    timeoutMs,
    initialDelayMs,
    deadlineMs,
    successThreshold,
    failureLimit,
    consecutiveErrorLimit,
    inconclusiveLimit,
    bakeMs,
    maxP95Ms,
    smoke,
    headers,
    sentry,
    githubToken: inputs.optional('github-token'),
    comment: inputs.bool('comment', true),
    commentHeader: inputs.optional('comment-header'),
    failOnUnhealthy: inputs.bool('fail-on-unhealthy', true),
  };
}

/**
 * failure-limit when none is given: 4, or one per 10 rounds the gate plans (streak + bake) when that is
 * more. A service failing a few percent of its probes collects more failures over a longer bake; 4 is
 * right for the default 27 rounds (2m bake at 5s), 7 for a 5m bake (README: Defaults, measured).
 */
export function defaultFailureLimit(successThreshold: number, bakeMs: number, intervalMs: number): number {
  const planned = successThreshold + Math.ceil(bakeMs / Math.max(1, intervalMs));
  return Math.max(DEFAULTS.failureLimit, Math.ceil(planned / 10));
}

/** `Name: value` per line. Messages never repeat a line: it may hold a secret. */
export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const at = line.indexOf(':');
    const name = line.slice(0, at).trim();
    if (at <= 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw new UserError(
        `Input "headers" line ${i + 1} is not "Name: value": write one header per line, like "Authorization: Bearer …".`,
      );
    }
    headers[name.toLowerCase()] = line.slice(at + 1).trim();
  });
  return headers;
}
