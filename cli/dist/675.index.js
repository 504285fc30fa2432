export const id = 675;
export const ids = [675];
export const modules = {

/***/ 8675:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./lib/duration.ts
var duration = __webpack_require__(5952);
// EXTERNAL MODULE: ./lib/errors.ts
var errors = __webpack_require__(8115);
// EXTERNAL MODULE: ./lib/github.ts
var github = __webpack_require__(2183);
// EXTERNAL MODULE: ./lib/http.ts + 1 modules
var http = __webpack_require__(8706);
// EXTERNAL MODULE: ./lib/untrusted.ts
var untrusted = __webpack_require__(7271);
;// CONCATENATED MODULE: ./actions/railway-deploy/src/github-deployments.ts


/** Who creates our records with the default job token (`GITHUB_TOKEN` acts as this app's bot). */
const DEFAULT_TRUSTED_CREATORS = [github/* ACTIONS_BOT */.aX];
/**
 * Splits records into the ones our own token created (they may steer the rollback target) and the
 * others: anyone with write access can create a "successful" Deployment naming any Railway
 * deployment, and must not choose what production rolls back to. Logins compare case-insensitively.
 */
function byTrustedCreator(records, trusted) {
    const allowed = new Set(trusted.map((t) => t.toLowerCase()));
    const out = { trusted: [], ignored: [] };
    for (const r of records)
        (r.creator && allowed.has(r.creator.toLowerCase()) ? out.trusted : out.ignored).push(r);
    return out;
}
/** Newest-first statuses → the last real verdict: a replaced deployment stays "success" underneath its inactive. */
function verdictOf(statusesNewestFirst) {
    return statusesNewestFirst.find((s) => s.state !== 'inactive')?.state;
}
function railwayIdOf(payload) {
    const p = typeof payload === 'string' ? safeJson(payload) : payload;
    const id = p?.railwayDeploymentId;
    return typeof id === 'string' && id !== '' ? id : undefined;
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** The newest record whose verdict is success and that is not `excludeRailwayId`. */
function lastGood(records, excludeRailwayId) {
    return records.find((r) => r.verdict === 'success' && r.railwayDeploymentId && r.railwayDeploymentId !== excludeRailwayId);
}
/**
 * Thin GitHub Deployments I/O for one repository and environment. Creating a deployment or a status
 * is sent once; when GitHub does not confirm it (5xx, reset, timeout) we list what exists and adopt
 * ours before sending it again, so a rollback never meets two records for one Railway deployment.
 */
class DeploymentRecords {
    api;
    repository;
    environment;
    constructor(api, repository, environment) {
        this.api = api;
        this.repository = repository;
        this.environment = environment;
    }
    /** Our newest records in this environment (newest first), each with its verdict. */
    async list(limit = 10) {
        const list = await this.#deployments({ per_page: limit });
        const records = [];
        for (const d of list) {
            const railwayDeploymentId = railwayIdOf(d.payload);
            if (!railwayDeploymentId)
                continue;
            records.push({
                id: d.id,
                railwayDeploymentId,
                verdict: verdictOf(await this.#statuses(d.id)),
                creator: typeof d.creator?.login === 'string' ? d.creator.login : undefined,
            });
        }
        return records;
    }
    async create(ref, railwayDeploymentId, description, serviceId) {
        const send = () => this.api.request('POST /repos/{owner}/{repo}/deployments', {
            ...(0,github/* repoParams */.Vt)(this.repository),
            ref,
            environment: this.environment,
            description,
            auto_merge: false,
            required_contexts: [],
            payload: { railwayDeploymentId, railwayServiceId: serviceId },
        }, { mutation: true, what: 'create the GitHub Deployment' });
        const created = await (0,errors/* sendAtMostOnce */.SU)(send, {
            find: async () => (await this.#deployments({ ref, per_page: 30 })).find((d) => railwayIdOf(d.payload) === railwayDeploymentId),
            log: (m) => this.api.log(m),
            looking: 'Looking for it among the GitHub Deployments before creating it again.',
            found: (d) => `GitHub Deployment ${d.id} for Railway deployment ${railwayDeploymentId} exists; using it.`,
            notFound: 'It was not created; creating it once more.',
        });
        return created.id;
    }
    async status(id, state, extra = {}) {
        const description = extra.description?.slice(0, 140);
        const send = () => this.api.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            ...(0,github/* repoParams */.Vt)(this.repository),
            deployment_id: id,
            state,
            ...(description !== undefined ? { description } : {}),
            ...(extra.environmentUrl ? { environment_url: extra.environmentUrl } : {}),
            ...(extra.logUrl ? { log_url: extra.logUrl } : {}),
            // We mark the replaced deployment inactive ourselves, only once the new one is SUCCESS.
            auto_inactive: false,
        }, { mutation: true, what: `set GitHub Deployment ${id} to ${state}` });
        const sent = async () => {
            await send();
            return true;
        };
        await (0,errors/* sendAtMostOnce */.SU)(sent, {
            find: async () => {
                const newest = (await this.#statuses(id))[0];
                const already = newest?.state === state && (description === undefined || newest.description === description);
                return already || undefined;
            },
            log: (m) => this.api.log(m),
            looking: 'Reading its statuses before sending it again.',
            found: () => `GitHub Deployment ${id} is already ${state}; not sending it again.`,
            notFound: `GitHub Deployment ${id} is not ${state}; sending it once more.`,
        });
    }
    #deployments(query) {
        return this.api.request('GET /repos/{owner}/{repo}/deployments', { ...(0,github/* repoParams */.Vt)(this.repository), environment: this.environment, ...query }, { what: 'list GitHub Deployments' });
    }
    #statuses(id) {
        return this.api.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...(0,github/* repoParams */.Vt)(this.repository), deployment_id: id, per_page: 20 }, { what: `read the statuses of GitHub Deployment ${id}` });
    }
}

;// CONCATENATED MODULE: ./actions/railway-deploy/src/config.ts


const RESTART_POLICIES = ['ALWAYS', 'NEVER', 'ON_FAILURE'];
const MIN_POLL_MS = 100;
/** Reads and checks every input before anything touches Railway, so a typo fails in milliseconds. */
function readConfig(inputs) {
    const token = inputs.required('token', {
        hint: 'a Railway project token, or an account token with token-type: account',
    });
    const tokenType = inputs.choice('token-type', ['project', 'account'], 'project');
    const apiUrl = inputs.url('api-url') ?? 'https://backboard.railway.com/graphql/v2';
    const projectId = inputs.required('project-id');
    const environmentId = inputs.required('environment-id');
    const serviceId = inputs.required('service-id');
    const command = inputs.choice('command', ['deploy', 'rollback', 'status'], 'deploy');
    const commitSha = inputs.optional('commit-sha');
    const image = inputs.optional('image');
    const rollbackTo = inputs.optional('rollback-to');
    const healthcheckPath = inputs.optional('healthcheck-path');
    const healthcheckTimeoutMs = inputs.duration('healthcheck-timeout');
    const numReplicas = inputs.int('num-replicas', undefined, { min: 1, max: 50 });
    const restartRaw = inputs.optional('restart-policy');
    const restartPolicy = restartRaw === undefined ? undefined : restartPolicyOf(restartRaw);
    const wait = inputs.bool('wait', true);
    const timeoutMs = inputs.duration('timeout', '15m');
    const pollIntervalMs = inputs.duration('poll-interval', '2s');
    const githubToken = inputs.optional('github-token');
    const environment = inputs.optional('environment');
    const logsInSummary = inputs.bool('logs-in-summary', false);
    const trusted = inputs.list('trusted-deployment-creators', { commas: true });
    if (commitSha && image) {
        throw new errors/* UserError */.yo('Inputs "commit-sha" and "image" were both set: a deploy uses either a commit of the connected repo or an image, so set only one.');
    }
    if (commitSha && !/^[0-9a-f]{40}$/i.test(commitSha)) {
        throw new errors/* UserError */.yo(`Input "commit-sha" must be a full 40-character commit SHA (Railway cannot fetch short SHAs), not "${commitSha}".`);
    }
    if (healthcheckPath && !healthcheckPath.startsWith('/')) {
        throw new errors/* UserError */.yo(`Input "healthcheck-path" must start with "/", like /health, not "${healthcheckPath}".`);
    }
    if (healthcheckTimeoutMs !== undefined && healthcheckTimeoutMs < 1000) {
        throw new errors/* UserError */.yo('Input "healthcheck-timeout" must be at least 1s: Railway counts it in whole seconds.');
    }
    if (pollIntervalMs < MIN_POLL_MS) {
        throw new errors/* UserError */.yo(`Input "poll-interval" must be at least ${MIN_POLL_MS}ms so polling stays within Railway's rate limits.`);
    }
    if (timeoutMs <= 0)
        throw new errors/* UserError */.yo('Input "timeout" must be longer than 0s, like 15m.');
    const settings = {
        image,
        healthcheckPath,
        healthcheckTimeoutSeconds: healthcheckTimeoutMs === undefined ? undefined : Math.round(healthcheckTimeoutMs / 1000),
        numReplicas,
        restartPolicy,
    };
    if (command === 'rollback') {
        const given = [
            ['commit-sha', commitSha],
            ['image', image],
            ['healthcheck-path', healthcheckPath],
            ['healthcheck-timeout', healthcheckTimeoutMs],
            ['num-replicas', numReplicas],
            ['restart-policy', restartPolicy],
        ].filter(([, v]) => v !== undefined);
        if (given.length > 0) {
            throw new errors/* UserError */.yo(`Input "${given[0]?.[0]}" does not apply to command: rollback, because Railway restores the target's own image and settings: remove it from the rollback step.`);
        }
    }
    else if (rollbackTo) {
        throw new errors/* UserError */.yo('Input "rollback-to" only applies to command: rollback: remove it, or set command: rollback.');
    }
    if (environment && !githubToken) {
        throw new errors/* UserError */.yo('Input "environment" is set but "github-token" is empty, so no GitHub Deployment can be recorded: pass github-token (needs "deployments: write").');
    }
    return {
        token,
        tokenType,
        apiUrl,
        projectId,
        environmentId,
        serviceId,
        command,
        commitSha,
        settings,
        rollbackTo,
        wait,
        timeoutMs,
        pollIntervalMs,
        github: githubToken && environment ? { token: githubToken, environment } : undefined,
        logsInSummary,
        trustedCreators: trusted.length > 0 ? trusted : DEFAULT_TRUSTED_CREATORS,
    };
}
/** The serviceInstanceUpdate input for these settings, or undefined when there is nothing to apply. */
function serviceInstanceInput(settings) {
    const input = {};
    if (settings.image)
        input.source = { image: settings.image };
    if (settings.healthcheckPath)
        input.healthcheckPath = settings.healthcheckPath;
    if (settings.healthcheckTimeoutSeconds !== undefined)
        input.healthcheckTimeout = settings.healthcheckTimeoutSeconds;
    if (settings.numReplicas !== undefined)
        input.numReplicas = settings.numReplicas;
    if (settings.restartPolicy)
        input.restartPolicyType = settings.restartPolicy;
    return Object.keys(input).length > 0 ? input : undefined;
}
/** `on-failure`, `ON_FAILURE` and `On_Failure` all mean Railway's ON_FAILURE. */
function restartPolicyOf(text) {
    const value = text.toUpperCase().replace(/-/g, '_');
    if (!RESTART_POLICIES.includes(value)) {
        throw new errors/* UserError */.yo(`Input "restart-policy" must be one of ${RESTART_POLICIES.join(', ')}, not "${text}".`);
    }
    return value;
}

;// CONCATENATED MODULE: ./actions/railway-deploy/src/documents.ts
/**
 * Every GraphQL document this action sends to Railway, as plain strings (no graphql-js at run time).
 * A test validates each one against Railway's published schema, so a renamed field fails in CI,
 * not in someone's deploy.
 */
const DEPLOYMENT_FIELDS = 'id status createdAt canRollback meta staticUrl url serviceId environmentId';
/** Newest deployments of one service in one environment (Railway returns newest first). */
const LIST_DEPLOYMENTS = `query RailwayDeployList($first: Int!, $projectId: String!, $environmentId: String!, $serviceId: String!) {
  deployments(first: $first, input: { projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId }) {
    edges { node { ${DEPLOYMENT_FIELDS} } }
  }
}`;
const GET_DEPLOYMENT = `query RailwayDeployGet($id: String!) {
  deployment(id: $id) { ${DEPLOYMENT_FIELDS} }
}`;
/** Applies image and runtime settings; does not deploy by itself. */
const UPDATE_SERVICE_INSTANCE = `mutation RailwayDeployUpdate($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}`;
/**
 * Starts a deployment and returns its id: of `commitSha`, or without it of the commit the service
 * already has (manage-services.md) — for image sources, of the image serviceInstanceUpdate set.
 */
const DEPLOY_SERVICE_INSTANCE = `mutation RailwayDeployStart($serviceId: String!, $environmentId: String!, $commitSha: String) {
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha)
}`;
/**
 * Deploys the newest commit of the connected branch, as the official CLI does
 * (railwayapp/cli src/gql/mutations/strings/ServiceInstanceDeployLatestCommit.graphql). Returns only
 * a Boolean: the deployment it creates is found by listing the service's deployments.
 */
const DEPLOY_LATEST_COMMIT = `mutation RailwayDeployLatestCommit($serviceId: String!, $environmentId: String!) {
  serviceInstanceDeploy(serviceId: $serviceId, environmentId: $environmentId, latestCommit: true)
}`;
/** Returns a Boolean; Railway creates a NEW deployment from the target's image, settings and variables. */
const ROLLBACK_DEPLOYMENT = `mutation RailwayDeployRollback($id: String!) {
  deploymentRollback(id: $id)
}`;
const BUILD_LOGS = `query RailwayDeployBuildLogs($deploymentId: String!, $limit: Int!) {
  buildLogs(deploymentId: $deploymentId, limit: $limit) { timestamp message severity }
}`;
const DEPLOYMENT_LOGS = `query RailwayDeployRuntimeLogs($deploymentId: String!, $limit: Int!) {
  deploymentLogs(deploymentId: $deploymentId, limit: $limit) { timestamp message severity }
}`;
const SERVICE_DOMAINS = `query RailwayDeployDomains($projectId: String!, $environmentId: String!, $serviceId: String!) {
  domains(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    serviceDomains { domain }
    customDomains { domain }
  }
}`;
/** Every document above, by name, for the schema test and the stand-in. */
const DOCUMENTS = {
    LIST_DEPLOYMENTS,
    GET_DEPLOYMENT,
    UPDATE_SERVICE_INSTANCE,
    DEPLOY_SERVICE_INSTANCE,
    DEPLOY_LATEST_COMMIT,
    ROLLBACK_DEPLOYMENT,
    BUILD_LOGS,
    DEPLOYMENT_LOGS,
    SERVICE_DOMAINS,
};

;// CONCATENATED MODULE: ./actions/railway-deploy/src/poll.ts

/** Below this many requests left in the window, polling slows down to spare the budget. */
const LOW_REMAINING = 10;
function readRateLimit(headers, now = Date.now()) {
    const remaining = headers['x-ratelimit-remaining'];
    const parsed = remaining !== undefined && /^\d+$/.test(remaining.trim()) ? Number(remaining) : undefined;
    const resetInMs = headers['x-ratelimit-reset'] !== undefined
        ? (0,http/* serverDelayMs */.Jy)({ 'x-ratelimit-reset': headers['x-ratelimit-reset'] }, now)
        : undefined;
    return { remaining: parsed, resetInMs };
}
/**
 * Wait before poll number `attempt` (1-based): starts at `baseMs` and grows ×1.5 per poll up to
 * 5 × base (2 s → 3 s → 4.5 s → 6.75 s → 10 s with the default base). With no requests left in
 * Railway's window it waits for the reset; with few left it doubles the wait (up to 10 × base). Never waits past
 * `remainingMs` (the time left before the step's timeout), and never less than 0.
 */
function nextPollDelayMs(attempt, baseMs, rate = {}, remainingMs = Infinity) {
    const ceiling = baseMs * 5;
    let delay = Math.min(ceiling, Math.round(baseMs * 1.5 ** Math.max(0, attempt - 1)));
    if (rate.remaining !== undefined) {
        if (rate.remaining <= 0 && rate.resetInMs !== undefined)
            delay = Math.max(delay, rate.resetInMs);
        else if (rate.remaining < LOW_REMAINING)
            delay = Math.min(delay * 2, ceiling * 2);
    }
    return Math.max(0, Math.min(delay, remainingMs));
}

;// CONCATENATED MODULE: ./actions/railway-deploy/src/status.ts
/** What a Railway deployment status means for a step that waits on it. */
const SUCCEEDED = new Set(['SUCCESS', 'SLEEPING']);
const FAILED = new Set(['FAILED', 'CRASHED', 'REMOVED', 'REMOVING']);
const IN_PROGRESS = new Set(['QUEUED', 'WAITING', 'INITIALIZING', 'BUILDING', 'DEPLOYING', 'NEEDS_APPROVAL']);
/**
 * SUCCESS (and SLEEPING: a serverless service that went idle after it served) is the good end;
 * FAILED/CRASHED, or REMOVED/REMOVING for a deployment we are still waiting on, is the bad end;
 * SKIPPED is its own end: Railway decided not to deploy it at all, so it never serves;
 * everything else, including a status Railway adds later, keeps us waiting.
 */
function classifyStatus(status) {
    if (SUCCEEDED.has(status))
        return 'succeeded';
    if (FAILED.has(status))
        return 'failed';
    if (status === 'SKIPPED')
        return 'skipped';
    return 'in-progress';
}
function isKnownStatus(status) {
    return SUCCEEDED.has(status) || FAILED.has(status) || IN_PROGRESS.has(status) || status === 'SKIPPED';
}
/**
 * What Railway is waiting for while a deployment holds, for the log line of that status; empty for
 * statuses that hold nothing. WAITING is "Wait for CI" (github-autodeploys.md: deployments wait
 * while the commit's GitHub workflows run, and are SKIPPED if one fails); NEEDS_APPROVAL is named
 * only in the schema's DeploymentStatus enum, and holds the deployment until someone approves it.
 */
function holdReason(status) {
    switch (status) {
        case 'WAITING':
            return 'Railway holds it until the GitHub workflows of this commit succeed (the service\'s "Wait for CI" setting) and skips it if one fails; if this workflow is one of them, it waits for itself until the timeout, so deploy from a workflow Railway does not wait for or turn Wait for CI off';
        case 'NEEDS_APPROVAL':
            return 'Railway holds it until someone approves the deployment in the Railway dashboard';
        default:
            return '';
    }
}
/** Why Railway skips a deployment (github-autodeploys.md), for the failure sentence. */
const SKIP_REASON = 'with "Wait for CI" on, a GitHub workflow of this commit failed, or no file under the service\'s watch paths changed';

;// CONCATENATED MODULE: ./actions/railway-deploy/src/operations.ts
/** The Railway calls this action makes, one small function each (I/O only; decisions live elsewhere). */





/**
 * A cancelled run lets a mutation finish, so it can say whether Railway got it; and a mutation is
 * sent at most once (see UnconfirmedMutation).
 */
const MUTATION = { cancellable: false, mutation: true };
/** One poll may take no longer than the time left (at least 1 s), retries included. */
const MIN_POLL_REQUEST_MS = 1_000;
async function listDeployments(api, t, first = 20) {
    const data = await api.request(LIST_DEPLOYMENTS, { first, projectId: t.projectId, environmentId: t.environmentId, serviceId: t.serviceId }, "listing the service's deployments");
    return data.deployments.edges.map((e) => e.node);
}
async function getDeployment(api, id, doing = 'reading the deployment', opts = {}) {
    const data = await api.request(GET_DEPLOYMENT, { id }, doing, opts);
    return data.deployment;
}
async function updateServiceInstance(api, t, input) {
    await api.request(UPDATE_SERVICE_INSTANCE, { serviceId: t.serviceId, environmentId: t.environmentId, input }, 'applying the service settings (serviceInstanceUpdate)', MUTATION);
}
/**
 * Starts a deployment. Returns its id when Railway says it (serviceInstanceDeployV2), or undefined
 * when it only says true (serviceInstanceDeploy with latestCommit): then the caller lists the
 * service's deployments to find it.
 */
async function startDeployment(api, t, source) {
    if (source.kind === 'latest-commit') {
        const data = await api.request(DEPLOY_LATEST_COMMIT, { serviceId: t.serviceId, environmentId: t.environmentId }, 'deploying the latest commit of the connected branch (serviceInstanceDeploy)', MUTATION);
        if (!data.serviceInstanceDeploy) {
            throw new errors/* UserError */.yo(`Railway declined to deploy the latest commit of service ${t.serviceId} (serviceInstanceDeploy returned false): check that the service is connected to a GitHub repository and branch in its settings.`);
        }
        return undefined;
    }
    const data = await api.request(DEPLOY_SERVICE_INSTANCE, {
        serviceId: t.serviceId,
        environmentId: t.environmentId,
        commitSha: source.kind === 'commit' ? source.sha : null,
    }, 'starting the deployment (serviceInstanceDeployV2)', MUTATION);
    return data.serviceInstanceDeployV2;
}
/** The commit a deployment runs, from `meta.commitHash` (the key the official CLI reads), if any. */
function commitOf(d) {
    const hash = d?.meta?.commitHash;
    return typeof hash === 'string' && /^[0-9a-f]{40}$/i.test(hash) ? hash.toLowerCase() : undefined;
}
async function rollBack(api, id) {
    const data = await api.request(ROLLBACK_DEPLOYMENT, { id }, `rolling back to deployment ${id}`, MUTATION);
    return data.deploymentRollback;
}
/**
 * https URL of the service: its first custom domain (the address people use), else its Railway
 * service domain (`*.up.railway.app`), else the deployment's static URL.
 */
async function serviceUrl(api, t, deployment) {
    const data = await api.request(SERVICE_DOMAINS, { ...t }, 'reading the service domains');
    // Only well-formed host names: the domain is printed and becomes an output.
    const host = (d) => d && /^[a-z0-9.-]+(:\d+)?$/i.test(d.domain) ? d.domain : undefined;
    const domain = host(data.domains.customDomains[0]) ??
        host(data.domains.serviceDomains[0]) ??
        host(deployment?.staticUrl ? { domain: deployment.staticUrl.replace(/^https?:\/\//, '') } : undefined);
    if (!domain)
        return undefined;
    return `https://${domain}`;
}
/** The last lines of the build and runtime logs; a failure to read them is noted, never fatal. */
async function logTail(api, id, limit) {
    const tail = { build: [], deploy: [], problems: [] };
    const read = async (doc, key, into) => {
        try {
            const data = await api.request(doc, { deploymentId: id, limit }, `reading ${key === 'buildLogs' ? 'build' : 'deploy'} logs`);
            for (const line of (data[key] ?? []).slice(-limit))
                into.push(line.message);
        }
        catch (err) {
            tail.problems.push(err.message);
        }
    };
    await read(BUILD_LOGS, 'buildLogs', tail.build);
    await read(DEPLOYMENT_LOGS, 'deploymentLogs', tail.deploy);
    return tail;
}
/** Polls one deployment until it ends, the time is up, or the run is cancelled. */
async function waitForDeployment(api, id, opts) {
    const started = opts.startedAt ?? performance.now();
    const elapsed = () => performance.now() - started;
    let last;
    for (let attempt = 1;; attempt++) {
        if (opts.signal.aborted)
            return { outcome: 'cancelled', deployment: last, elapsedMs: elapsed() };
        let current;
        const timeLeftMs = Math.max(MIN_POLL_REQUEST_MS, Math.ceil(opts.timeoutMs - elapsed()));
        const deadline = AbortSignal.timeout(timeLeftMs);
        try {
            current = await getDeployment(api, id, `checking deployment ${id}`, {
                timeoutMs: Math.min(30_000, timeLeftMs),
                deadline,
            });
        }
        catch (err) {
            if (opts.signal.aborted)
                return { outcome: 'cancelled', deployment: last, elapsedMs: elapsed() };
            if (deadline.aborted)
                return { outcome: 'timeout', deployment: last, elapsedMs: elapsed() };
            throw err;
        }
        if (current.status !== last?.status)
            opts.onStatus(current.status, elapsed(), current);
        last = current;
        const kind = classifyStatus(current.status);
        if (kind !== 'in-progress')
            return { outcome: kind, deployment: current, elapsedMs: elapsed() };
        const remaining = opts.timeoutMs - elapsed();
        if (remaining <= 0)
            return { outcome: 'timeout', deployment: current, elapsedMs: elapsed() };
        await (0,http/* sleep */.yy)(nextPollDelayMs(attempt, opts.pollIntervalMs, api.rateLimit, remaining), opts.signal);
    }
}
/**
 * The deployment a mutation of ours created, found by listing the service's deployments (the
 * official CLI's `Deployments` query): the newest one that was not in `before`, is not older than
 * the newest of `before` (Railway's own clock, so the runner's clock does not matter), and matches
 * `commit` when both it and the deployment name one. Used when Railway returns no id
 * (deploymentRollback, serviceInstanceDeploy) and when it did not confirm a mutation at all.
 * Polls until one appears, the time is up (undefined), or the run is cancelled (undefined).
 */
async function findNewDeployment(api, t, before, opts) {
    const started = performance.now();
    for (let attempt = 1;; attempt++) {
        if (opts.signal.aborted)
            return undefined;
        let list;
        try {
            list = await listDeployments(api, t, 10);
        }
        catch (err) {
            if (opts.signal.aborted)
                return undefined;
            throw err;
        }
        const fresh = newDeployments(before, list, opts.commit)[0];
        if (fresh)
            return fresh;
        const remaining = opts.timeoutMs - (performance.now() - started);
        if (remaining <= 0)
            return undefined;
        await (0,http/* sleep */.yy)(nextPollDelayMs(attempt, opts.pollIntervalMs, api.rateLimit, remaining), opts.signal);
    }
}
/** Deployments in `now` that were not in `before` and not older than its newest, newest first. */
function newDeployments(before, now, commit) {
    const known = new Set(before.map((d) => d.id));
    const newestBefore = Math.max(-Infinity, ...before.map((d) => Date.parse(d.createdAt)));
    return now
        .filter((d) => !known.has(d.id) && !(Date.parse(d.createdAt) < newestBefore))
        .filter((d) => commit === undefined || commitOf(d) === undefined || commitOf(d) === commit)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

;// CONCATENATED MODULE: ./actions/railway-deploy/src/railway.ts



/** A GraphQL `errors` answer (or an HTTP failure) turned into the one sentence a user sees. */
class RailwayError extends errors/* UserError */.yo {
    railwayMessages;
    constructor(message, railwayMessages) {
        super(message);
        this.railwayMessages = railwayMessages;
    }
}
/**
 * Railway may or may not have applied a mutation: it answered 5xx, or the connection broke or timed
 * out after the request was sent. The caller finds out what happened instead of sending it again.
 */
class UnconfirmedMutation extends RailwayError {
    detail;
    outcomeUnknown = true;
    constructor(doing, 
    /** What went wrong, e.g. "HTTP 502" or "connection reset by the server (ECONNRESET)". */
    detail) {
        super(`Railway did not confirm ${doing} (${detail}): it may or may not have been applied, so it was not sent again.`, []);
        this.detail = detail;
    }
}
/** Railway's header for each kind of token: project tokens are not Bearer tokens. */
function authHeaders(token, tokenType) {
    return tokenType === 'project' ? { 'project-access-token': token } : { authorization: `Bearer ${token}` };
}
/**
 * One sentence for Railway's GraphQL errors: "Not Authorized" gets a token-type hint, "not found"
 * points at the IDs, anything else is quoted. `doing` reads like "starting the deployment".
 */
function explainGraphQLErrors(messages, doing, tokenType) {
    const quoted = messages.map((m) => m.replace(/\.$/, '')).join('; ');
    if (messages.some((m) => /project token not found/i.test(m))) {
        return `Railway does not know this project token while ${doing} ("${quoted}"): it was deleted or is not a project token, so create one in the project's Settings → Tokens for this environment and update the secret (an account or workspace token needs token-type "account").`;
    }
    if (messages.some((m) => /commit not found/i.test(m))) {
        return `Railway could not find the commit in the service's connected GitHub repository while ${doing} ("${quoted}"): push the commit to that repository first and pass its full 40-character SHA, or connect the service to the repository the commit belongs to.`;
    }
    if (messages.some((m) => /not authori[sz]ed|unauthori[sz]ed|forbidden/i.test(m))) {
        const hint = tokenType === 'project'
            ? 'with token-type "project" it is sent as the Project-Access-Token header and must be a token of this project and environment (Project Settings → Tokens); an account or workspace token needs token-type "account"'
            : 'with token-type "account" it is sent as "Authorization: Bearer" and must be an account or workspace token with access to this project; a project token needs token-type "project"';
        return `Railway refused the token while ${doing} ("${quoted}"): ${hint}.`;
    }
    if (messages.some((m) => /not found|does not exist|no such/i.test(m))) {
        return `Railway found nothing to act on while ${doing} ("${quoted}"): check project-id, environment-id and service-id (the IDs from the service's settings, not names) and that the token can see them.`;
    }
    return `Railway rejected the request while ${doing}: ${quoted}.`;
}
/** Railway's public GraphQL API over the shared HTTP client (retries, Retry-After, timeouts). */
class RailwayApi {
    opts;
    /** Rate-limit headers of the last answer, so polling can slow down before Railway says 429. */
    rateLimit = {};
    constructor(opts) {
        this.opts = opts;
    }
    async request(document, variables, doing, opts = {}) {
        const signals = [opts.cancellable === false ? undefined : this.opts.signal, opts.deadline].filter((s) => s !== undefined);
        let res;
        try {
            res = await (0,http/* http */.LV)(this.opts.url, {
                method: 'POST',
                json: { query: document, variables },
                headers: { ...authHeaders(this.opts.token, this.opts.tokenType), accept: 'application/json' },
                service: 'Railway API',
                timeoutMs: opts.timeoutMs ?? 30_000,
                signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
                onRetry: this.opts.onRetry,
                mutation: opts.mutation,
            });
        }
        catch (err) {
            if (opts.mutation && err instanceof http/* NetworkError */.Dr && (0,errors/* outcomeUnknown */.Hu)(err))
                throw new UnconfirmedMutation(doing, err.detail);
            throw err;
        }
        this.rateLimit = readRateLimit(res.headers);
        // A 5xx to a mutation says nothing about whether Railway applied it, whatever the body holds.
        if (opts.mutation && res.status >= 500)
            throw new UnconfirmedMutation(doing, `HTTP ${res.status}`);
        let body;
        try {
            body = res.text ? res.json() : undefined;
        }
        catch {
            body = undefined;
        }
        const messages = (body?.errors ?? []).map((e) => String(e?.message ?? 'unknown error'));
        if (messages.length > 0)
            throw new RailwayError(explainGraphQLErrors(messages, doing, this.opts.tokenType), messages);
        if (res.status === 429) {
            throw new RailwayError(`Railway rate-limited this token while ${doing} (HTTP 429, retry after ${res.headers['retry-after'] ?? 'an unknown time'}): wait for the limit to reset or poll less often (raise poll-interval).`, []);
        }
        if (res.status === 401 || res.status === 403) {
            throw new RailwayError(explainGraphQLErrors([`Not Authorized (HTTP ${res.status})`], doing, this.opts.tokenType), []);
        }
        if (res.status < 200 || res.status >= 300 || !body || body.data == null) {
            throw new RailwayError(`Railway API answered HTTP ${res.status} without data while ${doing} (${(0,http/* excerpt */.Kb)(res.text, 200) || 'empty body'}): check api-url and Railway's status page, then re-run.`, []);
        }
        return body.data;
    }
}

// EXTERNAL MODULE: ./lib/summary.ts
var summary = __webpack_require__(1262);
;// CONCATENATED MODULE: ./actions/railway-deploy/src/report.ts


const HEADLINE = {
    succeeded: '✅ succeeded',
    failed: '❌ failed',
    skipped: '⏭️ skipped by Railway (not deployed)',
    timeout: '⏱️ timed out',
    cancelled: '⏹️ cancelled (the deployment keeps going on Railway)',
    error: '⚠️ result unknown (Railway could not be read)',
    started: '🚀 started (not waited for)',
};
/** The job-summary section for one run: a table, the status flow, and the log tail on failure. */
function summaryMarkdown(r) {
    const rows = [
        ['Service', `\`${r.serviceId}\``],
        ['Deployment', `[\`${r.deploymentId}\`](${r.link})`],
        ['Status', r.status],
        ['Flow', flowText(r.flow) || '—'],
        ['Duration', (0,duration/* formatDuration */.a)(r.durationMs)],
    ];
    if (r.url)
        rows.push(['URL', r.url]);
    if (r.rolledBackTo)
        rows.push(['Rolled back to', `\`${r.rolledBackTo}\``]);
    rows.push(['Previous (rollback target)', r.previousId ? `\`${r.previousId}\`` : 'none']);
    const parts = [`### Railway ${r.command}: ${HEADLINE[r.outcome]}`, '', (0,summary/* table */.tp)(['', ''], rows)];
    if (r.problem)
        parts.push('', `> ${r.problem}`);
    if (r.logs)
        parts.push('', logsMarkdown(r.logs));
    return `${parts.join('\n')}\n`;
}
/** QUEUED → BUILDING (3.1s) → … as one line. */
function flowText(flow) {
    return flow
        .map((f, i) => (i === 0 ? f.status : `${f.status} (${(0,duration/* formatDuration */.a)(f.elapsedMs)})`))
        .join(' → ');
}
function logsMarkdown(logs) {
    const out = [];
    if (logs.build.length)
        out.push((0,summary/* details */.zH)(`Last ${logs.build.length} build log lines`, (0,summary/* codeBlock */.DV)((0,summary/* truncate */.xv)(logs.build.join('\n'), 20_000))));
    if (logs.deploy.length)
        out.push((0,summary/* details */.zH)(`Last ${logs.deploy.length} deploy log lines`, (0,summary/* codeBlock */.DV)((0,summary/* truncate */.xv)(logs.deploy.join('\n'), 20_000))));
    if (!out.length)
        out.push('_Railway returned no build or deploy log lines for this deployment._');
    for (const p of logs.problems)
        out.push(`> Could not read a log: ${p}`);
    return out.join('\n\n');
}
/** What each bad end means, for the failure sentence. */
function failureHint(status) {
    switch (status) {
        case 'FAILED':
            return 'the build or pre-deploy command failed';
        case 'CRASHED':
            return 'the app started and then crashed (or never passed its health check)';
        case 'REMOVED':
        case 'REMOVING':
            return 'a newer deployment replaced it before it finished';
        default:
            return `Railway reported ${status}`;
    }
}
function dashboardUrl(projectId, serviceId, environmentId, deploymentId) {
    return `https://railway.com/project/${projectId}/service/${serviceId}?environmentId=${environmentId}&id=${deploymentId}`;
}

;// CONCATENATED MODULE: ./actions/railway-deploy/src/rollback-target.ts
/** Statuses a deployment can have served from: SUCCESS now, or REMOVED after a newer one replaced it. */
const SERVED = new Set(['SUCCESS', 'REMOVED']);
/** Deployments that count as "what is live now" when looking for the one that served before. */
const LIVE = new Set(['SUCCESS', 'SLEEPING', 'CRASHED']);
function newestFirst(deployments) {
    return [...deployments].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1));
}
/** Can Railway roll back to this deployment at all? */
function isRollbackCandidate(d) {
    return SERVED.has(d.status) && d.canRollback;
}
/**
 * The deployment to roll back to: the newest deployment older than `currentId` that served
 * (SUCCESS, or REMOVED because a newer one replaced it) and whose image Railway still keeps
 * (`canRollback`); never one that FAILED, CRASHED or was SKIPPED. When our GitHub Deployment records
 * name a deployment that was good (`goodFromGitHub`) and it qualifies, that one wins.
 * `currentId` missing from the list (e.g. not created yet) means every listed deployment is older.
 */
function pickRollbackTarget(deployments, currentId, goodFromGitHub) {
    const sorted = newestFirst(deployments);
    const currentIndex = currentId === undefined ? -1 : sorted.findIndex((d) => d.id === currentId);
    const older = currentIndex < 0 ? sorted.filter((d) => d.id !== currentId) : sorted.slice(currentIndex + 1);
    const candidates = older.filter(isRollbackCandidate);
    if (goodFromGitHub !== undefined) {
        const preferred = candidates.find((d) => d.id === goodFromGitHub);
        if (preferred)
            return preferred;
    }
    return candidates[0];
}
/**
 * After a rollback to `target`, the next rollback target: the deployment that served before the
 * target, by the same rules as `pickRollbackTarget`, never the one rolled back from (it is what went
 * wrong). `target` is counted even when it is older than the listed deployments.
 */
function rollbackTargetAfterRollback(deployments, target, rolledBackFromId, goodFromGitHub) {
    const others = deployments.filter((d) => d.id !== rolledBackFromId && d.id !== target.id);
    return pickRollbackTarget([...others, target], target.id, goodFromGitHub);
}
/** The deployment that is live now: the newest SUCCESS/SLEEPING/CRASHED one, else the newest of all. */
function currentDeployment(deployments) {
    const sorted = newestFirst(deployments);
    return sorted.find((d) => LIVE.has(d.status)) ?? sorted[0];
}
/**
 * Why an explicitly requested rollback target cannot be used, or undefined when it can.
 * The sentence is the user's error message.
 */
function explainUnusableTarget(target, serviceId, environmentId) {
    if (target.serviceId !== serviceId) {
        return `Deployment ${target.id} belongs to service ${target.serviceId ?? 'unknown'}, not to service-id ${serviceId}: pass a deployment of this service as rollback-to, or leave it empty to use the previous good deployment.`;
    }
    if (target.environmentId !== environmentId) {
        return `Deployment ${target.id} belongs to environment ${target.environmentId}, not to environment-id ${environmentId}: pass a deployment of this environment as rollback-to.`;
    }
    if (!SERVED.has(target.status)) {
        return `Deployment ${target.id} is ${target.status}, so it never served traffic and is no safe rollback target: pick a deployment that was SUCCESS (now SUCCESS or REMOVED).`;
    }
    if (!target.canRollback) {
        return `Railway can no longer roll back to deployment ${target.id}: its image is past Railway's retention (24 h Free, 72 h Hobby, 120 h Pro, 360 h Enterprise), so deploy that commit again instead.`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/railway-deploy/src/main.ts












const LOG_LINES = 40;
async function main(io) {
    // Secrets first: nothing may be logged before the runner knows to mask them.
    io.secrets.register(io.inputs.raw('token'));
    io.secrets.register(io.inputs.raw('github-token'));
    const config = readConfig(io.inputs);
    // Cancelling the run stops our polling only; whatever Railway is doing keeps going.
    const cancel = new AbortController();
    const onSignal = (signal) => {
        if (!cancel.signal.aborted)
            cancel.abort(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
        await run(io, config, cancel.signal);
    }
    finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
    }
}
async function run(io, config, signal) {
    const started = performance.now();
    const ctx = (0,github/* githubContext */.h4)();
    const target = {
        projectId: config.projectId,
        environmentId: config.environmentId,
        serviceId: config.serviceId,
    };
    const api = new RailwayApi({
        url: config.apiUrl,
        token: config.token,
        tokenType: config.tokenType,
        signal,
        onRetry: (r) => io.info(`Railway API: ${(0,untrusted/* safeLogLine */.A)(r.reason)}; retrying in ${(0,duration/* formatDuration */.a)(r.delayMs)} (attempt ${r.attempt + 1}).`),
    });
    const records = config.github
        ? new DeploymentRecords(new github/* GitHubApi */.yN(config.github.token, ctx.apiUrl, { log: (m) => io.info(m) }), ctx.repository, config.github.environment)
        : undefined;
    const cancelledBeforeStart = () => new errors/* UserError */.yo('The run was cancelled before Railway was asked to change anything: Railway was left untouched.');
    /** How long to look for the deployment a mutation created when Railway does not name it. */
    const findOpts = (commit) => ({
        timeoutMs: Math.min(config.timeoutMs, 120_000),
        pollIntervalMs: config.pollIntervalMs,
        signal,
        commit,
    });
    const before = await guard(signal, cancelledBeforeStart, () => listDeployments(api, target));
    const live = currentDeployment(before);
    const history = records
        ? trustedHistory(io, (await softly(io, 'read GitHub Deployments', () => records.list())) ?? [], config)
        : [];
    if (config.command === 'status')
        return main_status(io, api, config, target, before, live, history);
    let deploymentId;
    let rolledBackTo;
    let previous;
    /** The commit the new deployment runs, for the GitHub Deployment record. */
    let ref;
    if (config.command === 'rollback') {
        const rollbackTarget = await guard(signal, cancelledBeforeStart, () => chooseRollbackTarget(io, api, config, before, live, history));
        io.info(`Rolling back service ${config.serviceId} to deployment ${rollbackTarget.id} (${rollbackTarget.status}, created ${rollbackTarget.createdAt}).`);
        if (signal.aborted)
            throw cancelledBeforeStart();
        const sent = await sendOnce(() => rollBack(api, rollbackTarget.id));
        if (sent.confirmed === false) {
            throw new errors/* UserError */.yo(`Railway declined the rollback to deployment ${rollbackTarget.id} (deploymentRollback returned false): check the deployment in the Railway dashboard and retry.`);
        }
        if (sent.unconfirmed)
            io.warning(lookingFor(sent.unconfirmed));
        else
            io.setOutput('rolled-back-to', rollbackTarget.id);
        // deploymentRollback answers only true: the new deployment is found in the service's list.
        const fresh = await findNewDeployment(api, target, before, findOpts(commitOf(rollbackTarget)));
        if (!fresh) {
            const why = signal.aborted ? 'the run was cancelled' : 'none appeared in time';
            throw new errors/* UserError */.yo(sent.unconfirmed
                ? notFoundAfterUnconfirmed(sent.unconfirmed, `the rollback to ${rollbackTarget.id}`, config, signal)
                : `Railway accepted the rollback to ${rollbackTarget.id}, but ${why} while looking for the new deployment it creates: Railway may be building it now, so check the service in the Railway dashboard.`);
        }
        if (sent.unconfirmed) {
            io.info(adopted(fresh, 'rollback'));
            io.setOutput('rolled-back-to', rollbackTarget.id);
        }
        rolledBackTo = rollbackTarget.id;
        // What served before the restored one; the deployment rolled back from is what went wrong.
        const good = lastGood(history.filter((r) => r.railwayDeploymentId !== live?.id), rollbackTarget.id)?.railwayDeploymentId;
        previous = rollbackTargetAfterRollback(before, rollbackTarget, live?.id, good);
        deploymentId = fresh.id;
        // The commit serving after the rollback is the target's, not the one rolled back from.
        ref = commitOf(rollbackTarget);
        if (!ref && records) {
            io.info(`Deployment ${rollbackTarget.id} records no commit (meta.commitHash), so the GitHub Deployment names this workflow's commit ${ctx.sha}.`);
        }
    }
    else {
        const input = serviceInstanceInput(config.settings);
        if (input) {
            io.info(`Applying service settings before deploying: ${Object.keys(input).join(', ')}.`);
            if (signal.aborted)
                throw cancelledBeforeStart();
            // Mutations are not cut short by a cancel: we wait for Railway's answer to know what happened.
            try {
                await updateServiceInstance(api, target, input);
            }
            catch (err) {
                if (err instanceof UnconfirmedMutation) {
                    throw new errors/* UserError */.yo(`Railway did not confirm the new service settings (${err.detail}): they may or may not have been applied and no deployment was started; nothing was sent again, so check the service settings in the Railway dashboard and re-run the deploy.`);
                }
                throw err;
            }
            if (signal.aborted) {
                throw new errors/* UserError */.yo('The run was cancelled while the service settings were being applied: Railway accepted the new settings, but no deployment was started, so re-run the deploy to roll them out.');
            }
        }
        if (signal.aborted)
            throw cancelledBeforeStart();
        const source = config.commitSha
            ? { kind: 'commit', sha: config.commitSha.toLowerCase() }
            : config.settings.image
                ? { kind: 'image' }
                : { kind: 'latest-commit' };
        if (source.kind === 'latest-commit') {
            io.info('No commit-sha: deploying the latest commit of the connected branch (serviceInstanceDeploy with latestCommit, as the Railway CLI does).');
        }
        const sent = await sendOnce(() => startDeployment(api, target, source));
        let id = sent.confirmed;
        if (id === undefined) {
            if (sent.unconfirmed)
                io.warning(lookingFor(sent.unconfirmed));
            const fresh = await findNewDeployment(api, target, before, findOpts(source.kind === 'commit' ? source.sha : undefined));
            if (!fresh) {
                throw new errors/* UserError */.yo(sent.unconfirmed
                    ? notFoundAfterUnconfirmed(sent.unconfirmed, 'the deploy', config, signal)
                    : signal.aborted
                        ? 'The run was cancelled while looking for the new deployment: the deploy request was sent and Railway may be building it, so check the service in the Railway dashboard.'
                        : `Railway accepted the deploy of the latest commit, but no new deployment of service ${config.serviceId} appeared within ${(0,duration/* formatDuration */.a)(findOpts().timeoutMs)}: check the service in the Railway dashboard.`);
            }
            io.info(sent.unconfirmed
                ? adopted(fresh, 'deploy')
                : `Railway created deployment ${fresh.id}${commitText(fresh)}.`);
            id = fresh.id;
            ref = commitOf(fresh);
        }
        deploymentId = id;
        ref = source.kind === 'commit' ? source.sha : ref;
        previous = pickRollbackTarget(before, deploymentId, lastGood(history, deploymentId)?.railwayDeploymentId);
    }
    const link = dashboardUrl(config.projectId, config.serviceId, config.environmentId, deploymentId);
    io.setOutput('deployment-id', deploymentId);
    io.setOutput('commit-sha', ref ?? '');
    io.setOutput('previous-deployment-id', previous?.id ?? '');
    io.info(`Railway deployment ${deploymentId} started: ${link}`);
    if (previous)
        io.info(`Rollback target if this one goes wrong: ${previous.id}.`);
    const what = config.command === 'rollback' ? `Rollback of ${config.serviceId}` : `Deploy of ${config.serviceId}`;
    const recordId = records && !signal.aborted
        ? await softly(io, 'create the GitHub Deployment', async () => {
            const id = await records.create(ref ?? ctx.sha, deploymentId, what, config.serviceId);
            await records.status(id, 'in_progress', {
                logUrl: link,
                description: `Railway deployment ${deploymentId}`,
            });
            return id;
        })
        : undefined;
    const report = {
        command: config.command,
        serviceId: config.serviceId,
        deploymentId,
        status: 'unknown',
        outcome: 'started',
        flow: [],
        durationMs: 0,
        previousId: previous?.id,
        rolledBackTo,
        link,
    };
    let finished = false;
    const finish = async (status) => {
        finished = true;
        report.status = status;
        report.durationMs = performance.now() - started;
        io.setOutput('status', status);
        io.setOutput('duration-seconds', (report.durationMs / 1000).toFixed(1));
        await io.summary(summaryMarkdown(report));
    };
    try {
        await follow();
    }
    catch (err) {
        if (finished)
            throw err;
        // The deployment exists on Railway but we lost track of it: report what we know, then fail.
        const why = (0,errors/* errorMessage */.gJ)(err).replace(/\.$/, '');
        report.outcome = 'error';
        report.problem = `${why}; deployment ${deploymentId} had started and may still be going on Railway, so check its result there (${link}).`;
        await finish(report.flow.at(-1)?.status ?? 'unknown');
        if (records && recordId !== undefined) {
            await softly(io, 'mark the GitHub Deployment errored', () => records.status(recordId, 'error', {
                logUrl: link,
                description: `Result unknown: ${err instanceof http/* NetworkError */.Dr ? err.detail : why}`,
            }));
        }
        throw err instanceof errors/* UserError */.yo ? new errors/* UserError */.yo(report.problem) : err;
    }
    async function follow() {
        if (signal.aborted) {
            report.outcome = 'cancelled';
            report.problem =
                config.command === 'rollback'
                    ? `The run was cancelled after Railway accepted the rollback to ${rolledBackTo}: Railway may be building deployment ${deploymentId} (${link}), so check it in the Railway dashboard.`
                    : `The run was cancelled while the deploy request was in flight: the deploy request was sent; Railway may be building deployment ${deploymentId} (${link}), so check it in the Railway dashboard.`;
            await finish('unknown');
            throw new errors/* UserError */.yo(report.problem);
        }
        if (!config.wait) {
            const now = await getDeployment(api, deploymentId);
            io.info(`Not waiting (wait: false): deployment ${deploymentId} is ${now.status}.`);
            await finish(now.status);
            return;
        }
        io.info(`Waiting up to ${(0,duration/* formatDuration */.a)(config.timeoutMs)} for deployment ${deploymentId}:`);
        const result = await waitForDeployment(api, deploymentId, {
            timeoutMs: config.timeoutMs,
            pollIntervalMs: config.pollIntervalMs,
            signal,
            onStatus: (status, elapsedMs) => {
                report.flow.push({ status, elapsedMs });
                const hold = holdReason(status);
                io.info(`  ${(0,untrusted/* safeLogLine */.A)(status)} (${(0,duration/* formatDuration */.a)(elapsedMs)})${hold ? `: ${hold}` : ''}`);
            },
        });
        const status = result.deployment?.status ?? 'unknown';
        if (result.outcome === 'cancelled') {
            report.outcome = 'cancelled';
            report.problem = `The run was cancelled while waiting: Railway was left untouched and deployment ${deploymentId} keeps going there (${link}).`;
            await finish(status);
            throw new errors/* UserError */.yo(`${report.problem.replace(/\.$/, '')}; check its result in the Railway dashboard.`);
        }
        const outcome = result.outcome;
        let problem;
        if (outcome === 'failed') {
            const where = config.logsInSummary ? 'above and in the job summary' : 'above';
            problem = `Railway deployment ${deploymentId} ended ${status} after ${(0,duration/* formatDuration */.a)(result.elapsedMs)}: ${failureHint(status)}; the last log lines are ${where} (${link}).`;
        }
        if (outcome === 'skipped') {
            const serving = live ? `deployment ${live.id} keeps serving` : 'nothing new serves';
            problem = `Railway SKIPPED deployment ${deploymentId}, so it will never serve: ${SKIP_REASON} (${link}); ${serving}, so fix the cause and deploy again.`;
        }
        if (outcome === 'timeout') {
            const still = result.deployment ? `was still ${status}` : 'gave no status';
            const hold = holdReason(status);
            problem = `Railway deployment ${deploymentId} ${still} when the ${(0,duration/* formatDuration */.a)(config.timeoutMs)} timeout ran out${hold ? ` (${hold})` : ''}: Railway was left untouched and the deployment keeps going (${link}); raise timeout or check the log lines above.`;
        }
        report.outcome = outcome;
        if (outcome === 'succeeded') {
            const url = await softly(io, 'read the service domain', () => serviceUrl(api, target, result.deployment));
            report.url = url;
            io.setOutput('url', url ?? '');
            io.info(`Deployment ${deploymentId} is ${(0,untrusted/* safeLogLine */.A)(status)}${url ? ` at ${url}` : ''} after ${(0,duration/* formatDuration */.a)(result.elapsedMs)}.`);
            await finish(status);
            if (records && recordId !== undefined) {
                await softly(io, 'mark the GitHub Deployment successful', () => records.status(recordId, 'success', {
                    environmentUrl: url,
                    logUrl: link,
                    description: `Railway ${status}`,
                }));
                const replaced = replacedRecord(history, live, deploymentId);
                if (replaced && config.command === 'rollback') {
                    // Rolled back from: record it as failed, so it is never taken for the "last good" one later.
                    await softly(io, 'mark the rolled-back GitHub Deployment failed', () => records.status(replaced.id, 'failure', {
                        description: `Rolled back: Railway deployment ${deploymentId} restores ${rolledBackTo}`,
                    }));
                }
                else if (replaced) {
                    await softly(io, 'mark the replaced GitHub Deployment inactive', () => records.status(replaced.id, 'inactive', {
                        description: `Replaced by Railway deployment ${deploymentId}`,
                    }));
                }
            }
            return;
        }
        report.problem = problem;
        // A skipped deployment never built or ran: it has no logs to show.
        const logs = outcome === 'skipped' ? undefined : await logTail(api, deploymentId, LOG_LINES);
        if (logs) {
            // Log lines may hold production data: the step log (readable like the code) shows them, the
            // job summary only when logs-in-summary asks for it. Railway's text cannot issue commands.
            if (config.logsInSummary)
                report.logs = logs;
            await io.group(`Last log lines of deployment ${deploymentId}`, async () => {
                if (logs.build.length)
                    io.info(`Build log (last ${lines(logs.build.length)}):\n${(0,untrusted/* safeLogText */.H)(logs.build.join('\n'))}`);
                if (logs.deploy.length)
                    io.info(`Deploy log (last ${lines(logs.deploy.length)}):\n${(0,untrusted/* safeLogText */.H)(logs.deploy.join('\n'))}`);
                if (!logs.build.length && !logs.deploy.length)
                    io.info('Railway returned no log lines for this deployment.');
                for (const p of logs.problems)
                    io.warning(`Could not read a log: ${p}`);
            });
        }
        await finish(status);
        if (records && recordId !== undefined) {
            await softly(io, 'mark the GitHub Deployment failed', () => records.status(recordId, 'failure', {
                logUrl: link,
                description: `Railway ${status}${outcome === 'timeout' ? ' (timed out)' : outcome === 'skipped' ? ' (not deployed)' : ''}`,
            }));
        }
        throw new errors/* UserError */.yo(problem ?? `Railway deployment ${deploymentId} did not succeed.`);
    }
}
/**
 * `command: status`: what serves now, the last good deployment in our ledger and the deployment a
 * rollback would restore — read-only, by the same rules as the rollback itself.
 */
async function main_status(io, api, config, target, before, live, history) {
    const good = lastGood(history, live?.id)?.railwayDeploymentId;
    const next = pickRollbackTarget(before, live?.id, good);
    const url = live
        ? await softly(io, 'read the service domain', () => serviceUrl(api, target, live))
        : undefined;
    const serving = live ? `${commitOf(live) ?? 'no commit recorded (an image or a CLI upload)'}` : '';
    io.setOutput('deployment-id', live?.id ?? '');
    io.setOutput('status', live?.status ?? '');
    io.setOutput('commit-sha', commitOf(live) ?? '');
    io.setOutput('url', url ?? '');
    io.setOutput('previous-deployment-id', next?.id ?? '');
    io.setOutput('last-good-deployment-id', lastGood(history)?.railwayDeploymentId ?? '');
    io.info(live
        ? `Service ${config.serviceId} serves deployment ${live.id} (${(0,untrusted/* safeLogLine */.A)(live.status)}, ${serving})${url ? ` at ${url}` : ''}.`
        : `Service ${config.serviceId} has no deployment in this environment.`);
    const ledger = config.github
        ? (lastGood(history)?.railwayDeploymentId ?? 'none recorded')
        : 'unknown (no github-token: the GitHub Deployments ledger was not read)';
    io.info(`Last good deployment per our GitHub Deployments: ${ledger}.`);
    io.info(next
        ? `A rollback now would restore deployment ${next.id} (${next.status}, created ${next.createdAt}${commitText(next)}).`
        : 'A rollback now would find nothing to restore: no older SUCCESS or REMOVED deployment Railway can still roll back to.');
    const row = (k, v) => `| ${k} | ${v.replaceAll('|', '\\|')} |`;
    await io.summary([
        `### Railway status: service \`${config.serviceId}\``,
        '',
        '| | |',
        '| --- | --- |',
        row('serving', live ? `\`${live.id}\` (${live.status})` : 'nothing'),
        row('commit', commitOf(live) ?? '—'),
        row('url', url ?? '—'),
        row('last good (GitHub Deployments)', ledger),
        row('rollback target', next ? `\`${next.id}\` (${next.status}, ${next.createdAt})` : 'none'),
        '',
    ].join('\n'));
}
async function chooseRollbackTarget(io, api, config, before, live, history) {
    if (config.rollbackTo) {
        let explicit;
        try {
            explicit = await getDeployment(api, config.rollbackTo, `looking up rollback-to ${config.rollbackTo}`);
        }
        catch (err) {
            if (err instanceof RailwayError && err.railwayMessages.some((m) => /not found/i.test(m))) {
                throw new errors/* UserError */.yo(`Input "rollback-to" names deployment ${config.rollbackTo}, which Railway does not know: copy the id of a deployment of service ${config.serviceId} from the Railway dashboard, or leave rollback-to empty for the previous good one.`);
            }
            throw err;
        }
        const unusable = explainUnusableTarget(explicit, config.serviceId, config.environmentId);
        if (unusable)
            throw new errors/* UserError */.yo(unusable);
        return explicit;
    }
    const good = lastGood(history, live?.id)?.railwayDeploymentId;
    const chosen = pickRollbackTarget(before, live?.id, good);
    if (!chosen) {
        throw new errors/* UserError */.yo(`Found no deployment of service ${config.serviceId} to roll back to: none older than the live one (${live?.id ?? 'none'}) was SUCCESS or REMOVED with an image Railway still keeps, so deploy a known-good commit instead.`);
    }
    if (good && chosen.id === good)
        io.info(`Using deployment ${good}, the last one our GitHub Deployment records marked good.`);
    return chosen;
}
/** The GitHub record of the deployment that served before ours, which ours now replaces. */
function replacedRecord(history, live, newId) {
    if (!live || live.id === newId)
        return undefined;
    return history.find((r) => r.railwayDeploymentId === live.id && r.verdict !== 'failure');
}
/** Runs `fn`; a cancellation while it runs becomes the "nothing was changed" error. */
async function guard(signal, cancelled, fn) {
    try {
        return await fn();
    }
    catch (err) {
        if (signal.aborted)
            throw cancelled();
        throw err;
    }
}
/** GitHub records and domain lookups are extras: a failure becomes a warning, never a failed deploy. */
async function softly(io, what, fn) {
    try {
        return await fn();
    }
    catch (err) {
        io.warning(`Could not ${what}, the Railway deployment itself is not affected: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}
function lines(n) {
    return n === 1 ? '1 line' : `${n} lines`;
}
/** Sends a mutation once; an unconfirmed one is returned to the caller to find out what happened. */
async function sendOnce(fn) {
    try {
        return { confirmed: await fn() };
    }
    catch (err) {
        if (err instanceof UnconfirmedMutation)
            return { unconfirmed: err };
        throw err;
    }
}
function lookingFor(err) {
    return `${err.message.replace(/\.$/, '')}; looking for the deployment it may have created among the service's deployments.`;
}
function commitText(d) {
    const commit = commitOf(d);
    return commit ? ` of commit ${commit}` : '';
}
function adopted(d, what) {
    return `Adopted deployment ${d.id}${commitText(d)} (created ${d.createdAt}): it appeared after our unconfirmed ${what} request, so Railway did apply it; nothing was sent twice.`;
}
function notFoundAfterUnconfirmed(err, what, config, signal) {
    if (signal.aborted) {
        return `Railway did not confirm ${what} (${err.detail}) and the run was cancelled before we could see whether it was applied: check service ${config.serviceId} in the Railway dashboard before running it again.`;
    }
    return `Railway did not confirm ${what} (${err.detail}) and no new deployment of service ${config.serviceId} appeared within ${(0,duration/* formatDuration */.a)(Math.min(config.timeoutMs, 120_000))}, so Railway most likely did not apply it; it was not sent again, so check the service in the Railway dashboard, then re-run.`;
}
/** Our GitHub records, without the ones another account created (they could steer the rollback). */
function trustedHistory(io, records, config) {
    const { trusted, ignored } = byTrustedCreator(records, config.trustedCreators);
    for (const r of ignored) {
        if (r.verdict !== 'success')
            continue;
        io.info(`Ignoring GitHub Deployment ${r.id} (Railway deployment ${r.railwayDeploymentId}) although it is marked successful: it was created by ${(0,untrusted/* safeLogLine */.A)(r.creator ?? 'an unknown account')}, not by ${config.trustedCreators.join(' or ')} (input trusted-deployment-creators), so it cannot choose the rollback target.`);
    }
    return trusted;
}


/***/ }),

/***/ 7271:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ safeLogLine),
/* harmony export */   H: () => (/* binding */ safeLogText)
/* harmony export */ });
/**
 * Text from elsewhere (a vendor's log lines or error messages, a probed service's answer) on its way
 * to the step log. The runner reads every stdout line whose trimmed text starts with `::` as a
 * workflow command (`::error::`, `::add-mask::`, `::stop-commands::`…), and a `##[` anywhere in a line
 * as a legacy one, so remote text printed as it is can forge annotations or switch command
 * processing off. Strip it first.
 */
/** ANSI escape sequences (colours, cursor moves, OSC titles) as terminals and log viewers read them. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
/** C0 controls other than tab and newline, DEL and C1 controls; `\r` too (it would start a new line). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Unicode line and paragraph separators, which some viewers break lines on. */
const SEPARATORS = /[\u2028\u2029\u0085]/g;
/** Zero-width space: not whitespace to the runner's Trim(), so `\u200b::x::` is plain text. */
const ZWSP = '\u200b';
/**
 * Makes remote text safe to print: removes ANSI escapes and control characters (keeping tab and
 * newline), and breaks every line that the runner would take for a workflow command by putting a
 * zero-width space before its leading `::` and inside every `##[`. What a person reads is unchanged.
 *
 * @param text untrusted text, one or more lines
 * @returns the same text, unable to issue workflow commands
 * @example io.info(`Build log:\n${safeLogText(lines.join('\n'))}`)
 */
function safeLogText(text) {
    return text
        .replace(ANSI, '')
        .replace(/\r\n?/g, '\n')
        .replace(SEPARATORS, '\n')
        .replace(CONTROL, '')
        .split('\n')
        .map((line) => {
        const defused = line.replace(/##\[/g, `#${ZWSP}#[`);
        return /^\s*::/.test(defused) ? defused.replace(/^(\s*)::/, `$1${ZWSP}::`) : defused;
    })
        .join('\n');
}
/** One line of remote text (a status, a domain, a message) for a log line: newlines become spaces. */
function safeLogLine(text) {
    return safeLogText(text).replace(/\n+/g, ' ');
}


/***/ })

};
