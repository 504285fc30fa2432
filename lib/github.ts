import { readFileSync } from 'node:fs';
import { errorMessage, UserError } from './errors.js';
import { excerpt, http } from './http.js';

/** The parts of the runner's GitHub context our actions use, read from the environment. */
export interface GitHubContext {
  apiUrl: string;
  serverUrl: string;
  repository: string;
  sha: string;
  ref: string;
  actor: string;
  runId: string;
  runAttempt: string;
  workflow: string;
  eventName: string;
  event: Record<string, unknown>;
  /** Link to this workflow run, when the runner told us enough to build it. */
  runUrl: string | undefined;
  /** Pull request number for pull_request(_target) events. */
  pullRequest: number | undefined;
}

export function githubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  let event: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      event = {};
    }
  }
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runId = env.GITHUB_RUN_ID ?? '';
  const pr = (event.pull_request as { number?: number } | undefined)?.number;
  return {
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    serverUrl,
    repository,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    workflow: env.GITHUB_WORKFLOW ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    event,
    runUrl: repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
    pullRequest: typeof pr === 'number' ? pr : undefined,
  };
}

/** A minimal GitHub REST client on the shared HTTP client (no Octokit: it costs start-up time). */
export class GitHubApi {
  constructor(
    private readonly token: string,
    private readonly apiUrl: string,
  ) {}

  async call<T>(method: string, path: string, json?: unknown): Promise<T> {
    const res = await http(`${this.apiUrl.replace(/\/$/, '')}${path}`, {
      method,
      json,
      service: 'GitHub API',
      timeoutMs: 15_000,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      },
    });
    if (res.status >= 200 && res.status < 300) return (res.text ? res.json() : {}) as T;
    const hint =
      res.status === 401
        ? 'the github-token is invalid or expired'
        : res.status === 403 || res.status === 404
          ? 'the token lacks a permission this call needs (check the job\'s "permissions:")'
          : 'GitHub answered with an error';
    throw new UserError(
      `GitHub API ${method} ${path} failed with ${res.status}: ${hint}; GitHub said: ${excerpt(res.text, 200)}`,
    );
  }
}

/**
 * Creates our PR comment, or edits it in place when one with the same marker already exists,
 * so a pull request carries one comment per check however many times it runs.
 */
export async function upsertPrComment(
  api: GitHubApi,
  repository: string,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  for (let page = 1; page <= 20; page++) {
    const comments = await api.call<Array<{ id: number; body?: string }>>(
      'GET',
      `/repos/${repository}/issues/${issueNumber}/comments?per_page=100&page=${page}`,
    );
    const mine = comments.find((c) => c.body?.includes(marker));
    if (mine) {
      await api.call('PATCH', `/repos/${repository}/issues/comments/${mine.id}`, { body: text });
      return { id: mine.id, created: false };
    }
    if (comments.length < 100) break;
  }
  const created = await api.call<{ id: number }>(
    'POST',
    `/repos/${repository}/issues/${issueNumber}/comments`,
    {
      body: text,
    },
  );
  return { id: created.id, created: true };
}

/** The logging an action gives `commentOnPullRequest`. */
export interface CommentLog {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/**
 * Posts or updates our one PR comment (found by `marker`) when a token is given on a pull request
 * event. A comment that cannot be written is a warning: the verdict it reports stands either way.
 */
export async function commentOnPullRequest(
  log: CommentLog,
  opts: { token: string | undefined; marker: string; body: string; what: string },
  ctx: GitHubContext = githubContext(),
): Promise<void> {
  if (!opts.token) return;
  if (!ctx.eventName.startsWith('pull_request') || ctx.pullRequest === undefined || !ctx.repository) {
    log.debug(
      `No pull request in this ${ctx.eventName || 'unknown'} event: the ${opts.what} was not posted as a comment.`,
    );
    return;
  }
  try {
    const api = new GitHubApi(opts.token, ctx.apiUrl);
    const done = await upsertPrComment(api, ctx.repository, ctx.pullRequest, opts.marker, opts.body);
    log.info(`${done.created ? 'Posted' : 'Updated'} the ${opts.what} on pull request #${ctx.pullRequest}.`);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    log.warning(`Could not post the ${opts.what} on pull request #${ctx.pullRequest}: ${errorMessage(err)}`);
  }
}
