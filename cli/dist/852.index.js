export const id = 852;
export const ids = [852];
export const modules = {

/***/ 2183:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vt: () => (/* binding */ repoParams),
/* harmony export */   aX: () => (/* binding */ ACTIONS_BOT),
/* harmony export */   h4: () => (/* binding */ githubContext),
/* harmony export */   rh: () => (/* binding */ commentOnPullRequest),
/* harmony export */   yN: () => (/* binding */ GitHubApi)
/* harmony export */ });
/* unused harmony exports GitHubError, waitForRateLimit, explain, rateLimitOf, ownLogin, commentText, findOurComment, upsertPrComment */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8115);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8706);



function githubContext(env = process.env) {
    let event = {};
    if (env.GITHUB_EVENT_PATH) {
        try {
            event = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        }
        catch {
            event = {};
        }
    }
    const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repository = env.GITHUB_REPOSITORY ?? '';
    const runId = env.GITHUB_RUN_ID ?? '';
    const pr = event.pull_request?.number;
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
/** How GitHub's App installation token (the workflow's GITHUB_TOKEN) signs its comments. */
const ACTIONS_BOT = 'github-actions[bot]';
/** A GitHub API call that failed, as one sentence; `outcomeUnknown` when a write may have been applied. */
class GitHubError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo {
    status;
    rateLimited;
    outcomeUnknown;
    constructor(message, status, rateLimited, outcomeUnknown) {
        super(message);
        this.status = status;
        this.rateLimited = rateLimited;
        this.outcomeUnknown = outcomeUnknown;
    }
}
/**
 * Whether to wait for a rate limit and retry once. GitHub's rules ("Rate limits for the REST API"):
 * primary limit → wait until `x-ratelimit-reset` (epoch seconds); secondary limit → `retry-after`
 * seconds, or at least one minute when it is absent (plugin-throttling gives 60). A second limit in a
 * row, or a wait longer than we may block a deploy job, gives up.
 */
function waitForRateLimit(retryAfterS, retryCount, maxWaitS) {
    return retryCount === 0 && retryAfterS <= maxWaitS;
}
/**
 * The one GitHub REST client: `@actions/github`'s octokit with `@octokit/plugin-throttling` and
 * `@octokit/plugin-retry`, sending through lib/http (timeouts, no retries of its own). Octokit is
 * imported on the first call, so actions run without a token never pay its start-up cost.
 * Reads are retried on 5xx and network errors; writes (`mutation: true`) are never retried except
 * after a rate limit, which GitHub answers before doing anything.
 */
class GitHubApi {
    token;
    apiUrl;
    opts;
    #octokit;
    log;
    constructor(token, apiUrl, opts = {}) {
        this.token = token;
        this.apiUrl = apiUrl;
        this.opts = opts;
        this.log = opts.log ?? (() => { });
    }
    /**
     * One call by route, e.g. `request('POST /repos/{owner}/{repo}/deployments', {owner, repo, ref})`.
     * Throws GitHubError (or NetworkError) with a sentence; `what` names the call in it.
     */
    async request(route, params, how = {}) {
        const octokit = await this.#client();
        const what = how.what ?? `answer ${route}`;
        try {
            const res = await octokit.request(route, {
                ...params,
                ...(how.mutation ? { request: { retries: 0 } } : {}),
            });
            return res.data;
        }
        catch (err) {
            throw explain(err, what, Boolean(how.mutation));
        }
    }
    #client() {
        this.#octokit ??= (async () => {
            const [{ getOctokit }, { throttling }, { retry }] = await Promise.all([
                __webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 1758)),
                Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(856)]).then(__webpack_require__.bind(__webpack_require__, 6856)),
                Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(735)]).then(__webpack_require__.bind(__webpack_require__, 9735)),
            ]);
            const maxWait = this.opts.maxRateLimitWaitS ?? 90;
            const second = this.opts.secondMs ?? 1000;
            const timeoutMs = this.opts.timeoutMs ?? 15_000;
            const onLimit = (kind) => (retryAfter, options, _o, retryCount) => {
                const wait = waitForRateLimit(retryAfter, retryCount, maxWait);
                if (wait) {
                    this.log(`GitHub's ${kind} rate limit stopped ${options.method} ${options.url}: waiting ${retryAfter} s as GitHub asks, then trying once more.`);
                }
                return wait;
            };
            const quiet = (message) => this.log(message);
            return getOctokit(this.token, {
                baseUrl: this.apiUrl.replace(/\/$/, ''),
                userAgent: 'decisionlog-deploy-suite',
                log: { debug: () => { }, info: () => { }, warn: quiet, error: quiet },
                request: { fetch: fetchThroughHttp(timeoutMs) },
                throttle: {
                    onRateLimit: onLimit('primary'),
                    onSecondaryRateLimit: onLimit('secondary'),
                    retryAfterBaseValue: second,
                },
                // 429 belongs to the throttling plugin; plugin-retry backs off on 5xx and network errors.
                retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retryAfterBaseValue: second },
            }, throttling, retry);
        })();
        return this.#octokit;
    }
}
/** Octokit's fetch, served by lib/http (the one HTTP client): its timeouts, no retries of its own. */
function fetchThroughHttp(timeoutMs) {
    return async (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const res = await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .http */ .LV)(url, {
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
/** Turns whatever octokit threw into one sentence a person can act on. */
function explain(err, what, mutation, now = Date.now()) {
    if (err instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo)
        return err;
    const e = err;
    if (e?.cause instanceof _http_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr) {
        const n = e.cause;
        const unknown = mutation && n.outcomeUnknown;
        return new GitHubError(unknown
            ? `GitHub did not answer when asked to ${what} (${n.detail}): it may or may not have been applied.`
            : `Could not reach GitHub to ${what}: ${n.detail}; check GITHUB_API_URL and the network.`, 0, false, unknown);
    }
    if (typeof e?.status !== 'number' || e.status === 0)
        return err instanceof Error ? err : new Error(String(err));
    const status = e.status;
    const headers = e.response?.headers ?? {};
    const data = e.response?.data;
    const said = (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(typeof data?.message === 'string' ? data.message : (e.message ?? ''), 200);
    const limit = rateLimitOf(status, headers, said, now);
    if (limit)
        return new GitHubError(`GitHub refused to ${what}: ${limit}`, status, true, false);
    const hint = status === 401
        ? 'the github-token is invalid or expired'
        : status === 403 || status === 404
            ? 'the token lacks a permission this call needs (check the job\'s "permissions:")'
            : status >= 500
                ? mutation
                    ? 'GitHub had a problem and may or may not have applied it'
                    : 'GitHub had a problem (see githubstatus.com); re-run the job'
                : 'GitHub rejected the request';
    return new GitHubError(`GitHub refused to ${what} (HTTP ${status}): ${hint}; GitHub said: ${said || 'nothing'}`, status, false, mutation && status >= 500);
}
/** The sentence for a rate-limit answer (403 or 429, as GitHub documents), or undefined for others. */
function rateLimitOf(status, headers, message, now = Date.now()) {
    if (status !== 403 && status !== 429)
        return undefined;
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
function repoParams(repository) {
    const [owner = '', repo = ''] = repository.split('/');
    return { owner, repo };
}
/**
 * The login our comments are signed with: GET /user for a personal or user token; an App
 * installation token (the workflow's GITHUB_TOKEN) may not read /user (403) and signs as
 * github-actions[bot].
 */
async function ownLogin(api) {
    try {
        return (await api.request('GET /user', {}, { what: 'say who the token is (GET /user)' })).login;
    }
    catch (err) {
        if (err instanceof GitHubError && err.status === 403 && !err.rateLimited)
            return ACTIONS_BOT;
        throw err;
    }
}
/** Any of our hidden comment markers, whatever check it names. */
const OUR_MARKERS = /<!--\s*decisionlog-deploy:[^>]*-->\n?/g;
/**
 * A comment's text: its marker first, then the body with every marker of ours removed. Reports quote
 * text from elsewhere (a probed service's answer, pull-request code's output), and a marker inside
 * them must not make this comment the one another check finds and edits.
 */
function commentText(marker, body) {
    return `${marker}\n${body.replace(OUR_MARKERS, '').split(marker).join('').trim()}`;
}
/** Our comment for `marker`: by our own login, and starting with the marker (see commentText). */
async function findOurComment(api, repository, issueNumber, marker, login) {
    for (let page = 1; page <= 20; page++) {
        const comments = await api.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repoParams(repository), issue_number: issueNumber, per_page: 100, page }, { what: `list the comments of #${issueNumber}` });
        const mine = comments.find((c) => c.body?.startsWith(marker) && c.user?.login === login);
        if (mine)
            return mine;
        if (comments.length < 100)
            break;
    }
    return undefined;
}
/**
 * Creates our PR comment, or edits it in place when one with the same marker *by our own login*
 * exists, so a pull request carries one comment per check however many times it runs; a marker
 * planted in someone else's comment is ignored. A create GitHub does not confirm is looked for
 * before it is sent again.
 */
async function upsertPrComment(api, repository, issueNumber, marker, body) {
    const text = commentText(marker, body);
    const login = await ownLogin(api);
    const existing = await findOurComment(api, repository, issueNumber, marker, login);
    if (existing) {
        await api.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repoParams(repository), comment_id: existing.id, body: text }, { what: `update comment ${existing.id}` });
        return { id: existing.id, created: false };
    }
    const create = () => api.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repoParams(repository), issue_number: issueNumber, body: text }, { mutation: true, what: `comment on #${issueNumber}` });
    const posted = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .sendAtMostOnce */ .SU)(create, {
        find: () => findOurComment(api, repository, issueNumber, marker, login),
        log: (m) => api.log(m),
        looking: 'Looking for the comment before posting it again.',
        found: (c) => `The comment was posted (id ${c.id}); not posting it again.`,
        notFound: 'The comment is not there; posting it once more.',
    });
    return { id: posted.id, created: true };
}
/**
 * Posts or updates our one PR comment (found by `marker`) when a token is given on a pull request
 * event. A comment that cannot be written is a warning: the verdict it reports stands either way.
 */
async function commentOnPullRequest(log, opts, ctx = githubContext()) {
    if (!opts.token)
        return;
    if (!ctx.eventName.startsWith('pull_request') || ctx.pullRequest === undefined || !ctx.repository) {
        log.debug(`No pull request in this ${ctx.eventName || 'unknown'} event: the ${opts.what} was not posted as a comment.`);
        return;
    }
    try {
        const api = new GitHubApi(opts.token, ctx.apiUrl, { log: (m) => log.info(m) });
        const done = await upsertPrComment(api, ctx.repository, ctx.pullRequest, opts.marker, opts.body);
        log.info(`${done.created ? 'Posted' : 'Updated'} the ${opts.what} on pull request #${ctx.pullRequest}.`);
    }
    catch (err) {
        if (!(err instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo))
            throw err;
        log.warning(`Could not post the ${opts.what} on pull request #${ctx.pullRequest}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`);
    }
}


/***/ }),

/***/ 8706:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Dr: () => (/* binding */ NetworkError),
  Kb: () => (/* binding */ excerpt),
  LV: () => (/* binding */ http),
  Jy: () => (/* binding */ serverDelayMs),
  yy: () => (/* binding */ sleep)
});

// UNUSED EXPORTS: DEFAULT_RETRY, describeNetworkError, mayResend, retryDelayMs

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./lib/backoff.ts
/**
 * Exponential backoff with jitter, the one implementation for every retry loop we have (HTTP retries
 * in the actions, persisted extraction jobs in the service): the ceiling doubles per attempt from
 * `baseMs` up to `maxMs`, and the wait is random in [ceiling/2, ceiling] so retries spread out.
 */
function backoffMs(attempt, baseMs, maxMs, random = Math.random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// EXTERNAL MODULE: ./lib/duration.ts
var duration = __webpack_require__(5952);
// EXTERNAL MODULE: ./lib/errors.ts
var errors = __webpack_require__(8115);
;// CONCATENATED MODULE: ./lib/http.ts




const DEFAULT_RETRY = {
    retries: 3,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    retryServerErrors: true,
};
class NetworkError extends errors/* UserError */.yo {
    code;
    /** What went wrong, without the service or URL, e.g. "connection refused (ECONNREFUSED)". */
    detail;
    /** False only when the request provably never reached the server (refused, DNS). */
    outcomeUnknown;
    constructor(message, code, detail) {
        super(message);
        this.code = code;
        this.detail = detail ?? message;
        this.outcomeUnknown = !NEVER_SENT.has(code);
    }
}
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Errors raised before a single byte of the request reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Whether a failed attempt may be sent again: always for reads, for mutations only if never sent. */
function mayResend(code, mutation) {
    return !mutation || NEVER_SENT.has(code);
}
async function http(url, opts = {}) {
    const policy = { ...DEFAULT_RETRY, ...opts.retry };
    if (opts.mutation)
        policy.retryServerErrors = false;
    const service = opts.service ?? new URL(url).host;
    const headers = { 'user-agent': 'decisionlog-deploy-suite', ...opts.headers };
    let body = opts.body;
    if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers['content-type'] ??= 'application/json';
    }
    for (let attempt = 1;; attempt++) {
        const outcome = await attemptOnce(url, { ...opts, headers, body }, attempt);
        const last = attempt > policy.retries;
        if ('response' in outcome) {
            const res = outcome.response;
            const delay = retryDelayMs(res.status, res.headers, attempt, policy);
            if (last || delay === undefined || opts.signal?.aborted)
                return res;
            opts.onRetry?.({ attempt, delayMs: delay, reason: `HTTP ${res.status}` });
            await sleep(delay, opts.signal);
            continue;
        }
        const { code, detail } = outcome;
        const attempts = `${attempt} attempt${attempt > 1 ? 's' : ''}`;
        if (code === 'ABORTED' || opts.signal?.aborted) {
            // The caller stopped it (e.g. the run is being cancelled): nothing is wrong with the URL or host.
            throw new NetworkError(`Stopped the request to ${service} (${new URL(url).origin}) after ${attempts}: the request was cancelled, so its result is unknown.`, 'ABORTED', 'the request was cancelled');
        }
        if (!mayResend(code, opts.mutation ?? false)) {
            throw new NetworkError(`${service} (${new URL(url).origin}) did not answer the request that changes something: ${detail}; it may or may not have been applied, so it was not sent again.`, code, detail);
        }
        if (last) {
            throw new NetworkError(`Could not reach ${service} (${new URL(url).origin}): ${detail} after ${attempts}; check the URL and that the host is up.`, code, detail);
        }
        const delay = backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs);
        opts.onRetry?.({ attempt, delayMs: delay, reason: detail });
        await sleep(delay, opts.signal);
    }
}
async function attemptOnce(url, opts, attempt) {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    try {
        const res = await (0,undici.request)(url, {
            method: (opts.method ?? (opts.body === undefined ? 'GET' : 'POST')),
            headers: opts.headers,
            body: opts.body,
            signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
        });
        const text = await readLimited(res.body, opts.maxBodyBytes ?? 5_000_000);
        const headers = {};
        for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined)
                headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        }
        return {
            response: {
                status: res.statusCode,
                headers,
                text,
                durationMs: performance.now() - started,
                attempts: attempt,
                json() {
                    return JSON.parse(text);
                },
            },
        };
    }
    catch (err) {
        if (opts.signal?.aborted)
            return { code: 'ABORTED', detail: 'the request was cancelled' };
        if (timeout.aborted)
            return { code: 'TIMEOUT', detail: `no answer within ${(0,duration/* formatDuration */.a)(timeoutMs)}` };
        return describeNetworkError(err);
    }
}
async function readLimited(body, maxBytes) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size <= maxBytes)
            chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** Turns a low-level socket error into a code and a phrase people understand. */
function describeNetworkError(err) {
    const e = err;
    const code = e?.code ?? e?.cause?.code ?? e?.name ?? 'ERROR';
    const phrases = {
        ECONNREFUSED: 'connection refused',
        ENOTFOUND: 'host name not found (DNS)',
        EAI_AGAIN: 'DNS lookup failed',
        ECONNRESET: 'connection reset by the server',
        EPIPE: 'connection closed by the server',
        ETIMEDOUT: 'connection timed out',
        EHOSTUNREACH: 'host unreachable',
        UND_ERR_SOCKET: 'connection closed unexpectedly',
        UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
        UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
        UND_ERR_BODY_TIMEOUT: 'response body stalled',
        CERT_HAS_EXPIRED: 'TLS certificate expired',
        DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    };
    return { code, detail: `${phrases[code] ?? e?.message ?? 'network error'} (${code})` };
}
/**
 * How long to wait before retrying a response, or undefined when it must not be retried.
 * 429 (and 503 with Retry-After) follow the server's word; 5xx back off with jitter.
 */
function retryDelayMs(status, headers, attempt, policy, now = Date.now(), random = Math.random) {
    const told = serverDelayMs(headers, now);
    if (status === 429) {
        const wait = told ?? backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
        return wait > policy.maxRetryAfterMs ? undefined : wait;
    }
    if (policy.retryServerErrors && RETRYABLE_STATUS.has(status)) {
        if (told !== undefined)
            return told > policy.maxRetryAfterMs ? undefined : told;
        return backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
    }
    return undefined;
}
/** Reads Retry-After (seconds or HTTP date), or a reset time given as epoch seconds. */
function serverDelayMs(headers, now = Date.now()) {
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined && retryAfter !== '') {
        if (/^\d+(\.\d+)?$/.test(retryAfter.trim()))
            return Math.ceil(Number(retryAfter) * 1000);
        const date = Date.parse(retryAfter);
        if (!Number.isNaN(date))
            return Math.max(0, date - now);
    }
    const reset = headers['x-sentry-rate-limit-reset'] ?? headers['x-ratelimit-reset'];
    if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim())) {
        const value = Number(reset);
        // Epoch seconds when large, otherwise seconds from now.
        return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.ceil(value * 1000);
    }
    return undefined;
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** A short, single-line excerpt of a response body for error messages. */
function excerpt(text, max = 300) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}


/***/ }),

/***/ 1262:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   Ql: () => (/* binding */ commentMarker),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   xv: () => (/* binding */ truncate),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
/** Small Markdown builders for job summaries and PR comments (GitHub-flavoured). */
/** Escapes a value for a Markdown table cell. */
function cell(value) {
    return String(value ?? '')
        .replace(/\|/g, '\\|')
        .replace(/\r?\n/g, '<br>');
}
function table(headers, rows) {
    const head = `| ${headers.map(cell).join(' | ')} |`;
    const rule = `| ${headers.map(() => '---').join(' | ')} |`;
    const body = rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
    return [head, rule, ...body].join('\n');
}
function details(summaryText, body) {
    return `<details><summary>${summaryText}</summary>\n\n${body}\n\n</details>`;
}
/** A fenced code block whose fence cannot be closed by the content. */
function codeBlock(text, lang = '') {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    return `${fence}${lang}\n${text}\n${fence}`;
}
/** Cuts text to `max` characters, marking the cut. */
function truncate(text, max, marker = '…truncated') {
    if (text.length <= max)
        return text;
    return text.slice(0, Math.max(0, max - marker.length - 1)) + `\n${marker}`;
}
/** A hidden marker that lets us find and update our own PR comment. */
function commentMarker(id) {
    return `<!-- decisionlog-deploy:${id} -->`;
}


/***/ })

};
