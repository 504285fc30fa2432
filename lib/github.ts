import { readFileSync } from 'node:fs';
import { errorMessage, sendAtMostOnce, UserError } from './errors.js';
import { excerpt, http, NetworkError } from './http.js';

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

/** The octokit `getOctokit` returns; only its type is imported here, the code is loaded on demand. */
type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

/** How GitHub's App installation token (the workflow's GITHUB_TOKEN) signs its comments. */
export const ACTIONS_BOT = 'github-actions[bot]';

export interface GitHubApiOptions {
  /** Where waits, retries and look-ups before a re-post are reported. */
  log?: (message: string) => void;
  /** Longest wait for a rate limit before giving up with a sentence, in seconds (default 90). */
  maxRateLimitWaitS?: number;
  /** Length of one of GitHub's "seconds" in ms (tests shorten it; default 1000). */
  secondMs?: number;
  /** Per-attempt timeout (default 15 s). */
  timeoutMs?: number;
}

/** A GitHub API call that failed, as one sentence; `outcomeUnknown` when a write may have been applied. */
export class GitHubError extends UserError {
  constructor(
    message: string,
    readonly status: number,
    readonly rateLimited: boolean,
    readonly outcomeUnknown: boolean,
  ) {
    super(message);
  }
}

/**
 * Whether to wait for a rate limit and retry once. GitHub's rules ("Rate limits for the REST API"):
 * primary limit → wait until `x-ratelimit-reset` (epoch seconds); secondary limit → `retry-after`
 * seconds, or at least one minute when it is absent (plugin-throttling gives 60). A second limit in a
 * row, or a wait longer than we may block a deploy job, gives up.
 */
export function waitForRateLimit(retryAfterS: number, retryCount: number, maxWaitS: number): boolean {
  return retryCount === 0 && retryAfterS <= maxWaitS;
}

/**
 * The one GitHub REST client: `@actions/github`'s octokit with `@octokit/plugin-throttling` and
 * `@octokit/plugin-retry`, sending through lib/http (timeouts, no retries of its own). Octokit is
 * imported on the first call, so actions run without a token never pay its start-up cost.
 * Reads are retried on 5xx and network errors; writes (`mutation: true`) are never retried except
 * after a rate limit, which GitHub answers before doing anything.
 */
export class GitHubApi {
  #octokit: Promise<Octokit> | undefined;
  readonly log: (message: string) => void;

  constructor(
    private readonly token: string,
    private readonly apiUrl: string,
    private readonly opts: GitHubApiOptions = {},
  ) {
    this.log = opts.log ?? (() => {});
  }

  /**
   * One call by route, e.g. `request('POST /repos/{owner}/{repo}/deployments', {owner, repo, ref})`.
   * Throws GitHubError (or NetworkError) with a sentence; `what` names the call in it.
   */
  async request<T>(
    route: string,
    params: Record<string, unknown>,
    how: { mutation?: boolean; what?: string } = {},
  ): Promise<T> {
    const octokit = await this.#client();
    const what = how.what ?? `answer ${route}`;
    try {
      const res = await octokit.request(route, {
        ...params,
        ...(how.mutation ? { request: { retries: 0 } } : {}),
      });
      return res.data as T;
    } catch (err) {
      throw explain(err, what, Boolean(how.mutation));
    }
  }

  #client(): Promise<Octokit> {
    this.#octokit ??= (async () => {
      const [{ getOctokit }, { throttling }, { retry }] = await Promise.all([
        import('@actions/github'),
        import('@octokit/plugin-throttling'),
        import('@octokit/plugin-retry'),
      ]);
      const maxWait = this.opts.maxRateLimitWaitS ?? 90;
      const second = this.opts.secondMs ?? 1000;
      const timeoutMs = this.opts.timeoutMs ?? 15_000;
      const onLimit =
        (kind: string) =>
        (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
          const wait = waitForRateLimit(retryAfter, retryCount, maxWait);
          if (wait) {
            this.log(
              `GitHub's ${kind} rate limit stopped ${options.method} ${options.url}: waiting ${retryAfter} s as GitHub asks, then trying once more.`,
            );
          }
          return wait;
        };
      const quiet = (message: string) => this.log(message);
      return getOctokit(
        this.token,
        {
          baseUrl: this.apiUrl.replace(/\/$/, ''),
          userAgent: 'decisionlog-deploy-suite',
          log: { debug: () => {}, info: () => {}, warn: quiet, error: quiet },
          request: { fetch: fetchThroughHttp(timeoutMs) },
          throttle: {
            onRateLimit: onLimit('primary'),
            onSecondaryRateLimit: onLimit('secondary'),
            retryAfterBaseValue: second,
          },
          // 429 belongs to the throttling plugin; plugin-retry backs off on 5xx and network errors.
          retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retryAfterBaseValue: second },
        },
        throttling,
        retry,
      ) as Octokit;
    })();
    return this.#octokit;
  }
}

/** Octokit's fetch, served by lib/http (the one HTTP client): its timeouts, no retries of its own. */
function fetchThroughHttp(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const res = await http(url, {
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? init.body : undefined,
      timeoutMs,
      retry: { retries: 0 },
      service: 'GitHub API',
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const empty = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(empty ? null : res.text, { status: res.status, headers: res.headers });
  };
}

interface OctokitFailure {
  status?: number;
  message?: string;
  cause?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/** Turns whatever octokit threw into one sentence a person can act on. */
export function explain(err: unknown, what: string, mutation: boolean, now = Date.now()): Error {
  if (err instanceof UserError) return err;
  const e = err as OctokitFailure;
  if (e?.cause instanceof NetworkError) {
    const n = e.cause;
    const unknown = mutation && n.outcomeUnknown;
    return new GitHubError(
      unknown
        ? `GitHub did not answer when asked to ${what} (${n.detail}): it may or may not have been applied.`
        : `Could not reach GitHub to ${what}: ${n.detail}; check GITHUB_API_URL and the network.`,
      0,
      false,
      unknown,
    );
  }
  if (typeof e?.status !== 'number' || e.status === 0)
    return err instanceof Error ? err : new Error(String(err));
  const status = e.status;
  const headers = e.response?.headers ?? {};
  const data = e.response?.data as { message?: unknown } | undefined;
  const said = excerpt(typeof data?.message === 'string' ? data.message : (e.message ?? ''), 200);
  const limit = rateLimitOf(status, headers, said, now);
  if (limit) return new GitHubError(`GitHub refused to ${what}: ${limit}`, status, true, false);
  const hint =
    status === 401
      ? 'the github-token is invalid or expired'
      : status === 403 || status === 404
        ? 'the token lacks a permission this call needs (check the job\'s "permissions:")'
        : status >= 500
          ? mutation
            ? 'GitHub had a problem and may or may not have applied it'
            : 'GitHub had a problem (see githubstatus.com); re-run the job'
          : 'GitHub rejected the request';
  return new GitHubError(
    `GitHub refused to ${what} (HTTP ${status}): ${hint}; GitHub said: ${said || 'nothing'}`,
    status,
    false,
    mutation && status >= 500,
  );
}

/** The sentence for a rate-limit answer (403 or 429, as GitHub documents), or undefined for others. */
export function rateLimitOf(
  status: number,
  headers: Record<string, string | undefined>,
  message: string,
  now = Date.now(),
): string | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset) && reset > 0) {
    const at = new Date(reset * 1000).toISOString().slice(11, 19);
    const mins = Math.max(1, Math.ceil((reset * 1000 - now) / 60_000));
    return `the token's API rate limit is used up until ${at} UTC (in about ${mins} min; HTTP ${status}, x-ratelimit-remaining 0), longer than this step waits; re-run the job after that time or use a token with its own limit (a GitHub App's).`;
  }
  if (status === 429 || /rate limit/i.test(message) || headers['retry-after'] !== undefined) {
    const after = headers['retry-after']
      ? `retry-after ${headers['retry-after']} s`
      : 'wait at least a minute';
    return `GitHub's secondary rate limit (HTTP ${status}, ${after}) stopped the call after one wait: too many requests or writes from this token in a short time; re-run the job in a few minutes.`;
  }
  return undefined;
}

/** `owner` and `repo` of an `owner/repo` string, for route parameters. */
export function repoParams(repository: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
}

/**
 * The login our comments are signed with: GET /user for a personal or user token; an App
 * installation token (the workflow's GITHUB_TOKEN) may not read /user (403) and signs as
 * github-actions[bot].
 */
export async function ownLogin(api: GitHubApi): Promise<string> {
  try {
    return (
      await api.request<{ login: string }>('GET /user', {}, { what: 'say who the token is (GET /user)' })
    ).login;
  } catch (err) {
    if (err instanceof GitHubError && err.status === 403 && !err.rateLimited) return ACTIONS_BOT;
    throw err;
  }
}

interface IssueComment {
  id: number;
  body?: string;
  user: { login: string } | null;
}

/** Any of our hidden comment markers, whatever check it names. */
const OUR_MARKERS = /<!--\s*decisionlog-deploy:[^>]*-->\n?/g;

/**
 * A comment's text: its marker first, then the body with every marker of ours removed. Reports quote
 * text from elsewhere (a probed service's answer, pull-request code's output), and a marker inside
 * them must not make this comment the one another check finds and edits.
 */
export function commentText(marker: string, body: string): string {
  return `${marker}\n${body.replace(OUR_MARKERS, '').split(marker).join('').trim()}`;
}

/** Our comment for `marker`: by our own login, and starting with the marker (see commentText). */
export async function findOurComment(
  api: GitHubApi,
  repository: string,
  issueNumber: number,
  marker: string,
  login: string,
): Promise<IssueComment | undefined> {
  for (let page = 1; page <= 20; page++) {
    const comments = await api.request<IssueComment[]>(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { ...repoParams(repository), issue_number: issueNumber, per_page: 100, page },
      { what: `list the comments of #${issueNumber}` },
    );
    const mine = comments.find((c) => c.body?.startsWith(marker) && c.user?.login === login);
    if (mine) return mine;
    if (comments.length < 100) break;
  }
  return undefined;
}

/**
 * Creates our PR comment, or edits it in place when one with the same marker *by our own login*
 * exists, so a pull request carries one comment per check however many times it runs; a marker
 * planted in someone else's comment is ignored. A create GitHub does not confirm is looked for
 * before it is sent again.
 */
export async function upsertPrComment(
  api: GitHubApi,
  repository: string,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const text = commentText(marker, body);
  const login = await ownLogin(api);
  const existing = await findOurComment(api, repository, issueNumber, marker, login);
  if (existing) {
    await api.request(
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      { ...repoParams(repository), comment_id: existing.id, body: text },
      { what: `update comment ${existing.id}` },
    );
    return { id: existing.id, created: false };
  }
  const create = () =>
    api.request<{ id: number }>(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { ...repoParams(repository), issue_number: issueNumber, body: text },
      { mutation: true, what: `comment on #${issueNumber}` },
    );
  const posted = await sendAtMostOnce(create, {
    find: () => findOurComment(api, repository, issueNumber, marker, login),
    log: (m) => api.log(m),
    looking: 'Looking for the comment before posting it again.',
    found: (c) => `The comment was posted (id ${c.id}); not posting it again.`,
    notFound: 'The comment is not there; posting it once more.',
  });
  return { id: posted.id, created: true };
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
    const api = new GitHubApi(opts.token, ctx.apiUrl, { log: (m) => log.info(m) });
    const done = await upsertPrComment(api, ctx.repository, ctx.pullRequest, opts.marker, opts.body);
    log.info(`${done.created ? 'Posted' : 'Updated'} the ${opts.what} on pull request #${ctx.pullRequest}.`);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    log.warning(`Could not post the ${opts.what} on pull request #${ctx.pullRequest}: ${errorMessage(err)}`);
  }
}
