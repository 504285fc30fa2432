/** Reads and validates every input before the gate does anything, so a bad input fails in milliseconds. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../../../lib/errors.js';
import { checkUrl, type Inputs } from '../../../lib/inputs.js';
import { type Expectations, parseCondition, parseExpectStatus } from './probe.js';
import type { SentryConfig } from './sentry.js';
import { parseSmokeJourney, type SmokeStep } from './smoke.js';

export interface Config {
  urls: string[];
  expectations: Expectations;
  intervalMs: number;
  timeoutMs: number;
  initialDelayMs: number;
  deadlineMs: number;
  successThreshold: number;
  failureThreshold: number;
  maxP95Ms?: number;
  smoke?: { file: string; steps: SmokeStep[] };
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
  const successThreshold = inputs.int('success-threshold', 3, { min: 1 }) as number;
  const failureThreshold = inputs.int('failure-threshold', 3, { min: 1 }) as number;
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
    smoke = { file: smokeFile, steps: parseSmokeJourney(text, smokeFile, env) };
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
    failureThreshold,
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
