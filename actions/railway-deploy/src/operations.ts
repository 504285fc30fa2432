/** The Railway calls this action makes, one small function each (I/O only; decisions live elsewhere). */
import { UserError } from '../../../lib/errors.js';
import { sleep } from '../../../lib/http.js';
import {
  BUILD_LOGS,
  DEPLOY_LATEST_COMMIT,
  DEPLOY_SERVICE_INSTANCE,
  DEPLOYMENT_LOGS,
  GET_DEPLOYMENT,
  LIST_DEPLOYMENTS,
  ROLLBACK_DEPLOYMENT,
  SERVICE_DOMAINS,
  UPDATE_SERVICE_INSTANCE,
} from './documents.js';
import { nextPollDelayMs } from './poll.js';
import type { RailwayApi, RequestOptions } from './railway.js';
import { classifyStatus, type RailwayDeployment } from './status.js';

export interface Target {
  projectId: string;
  environmentId: string;
  serviceId: string;
}

/**
 * A cancelled run lets a mutation finish, so it can say whether Railway got it; and a mutation is
 * sent at most once (see UnconfirmedMutation).
 */
const MUTATION: RequestOptions = { cancellable: false, mutation: true };

/** One poll may take no longer than the time left (at least 1 s), retries included. */
const MIN_POLL_REQUEST_MS = 1_000;

export async function listDeployments(api: RailwayApi, t: Target, first = 20): Promise<RailwayDeployment[]> {
  const data = await api.request<{ deployments: { edges: Array<{ node: RailwayDeployment }> } }>(
    LIST_DEPLOYMENTS,
    { first, projectId: t.projectId, environmentId: t.environmentId, serviceId: t.serviceId },
    "listing the service's deployments",
  );
  return data.deployments.edges.map((e) => e.node);
}

export async function getDeployment(
  api: RailwayApi,
  id: string,
  doing = 'reading the deployment',
  opts: RequestOptions = {},
): Promise<RailwayDeployment> {
  const data = await api.request<{ deployment: RailwayDeployment }>(GET_DEPLOYMENT, { id }, doing, opts);
  return data.deployment;
}

export async function updateServiceInstance(
  api: RailwayApi,
  t: Target,
  input: Record<string, unknown>,
): Promise<void> {
  await api.request(
    UPDATE_SERVICE_INSTANCE,
    { serviceId: t.serviceId, environmentId: t.environmentId, input },
    'applying the service settings (serviceInstanceUpdate)',
    MUTATION,
  );
}

/** What a deploy deploys: one commit, the connected branch's newest commit, or the service's image. */
export type DeploySource = { kind: 'commit'; sha: string } | { kind: 'latest-commit' } | { kind: 'image' };

/**
 * Starts a deployment. Returns its id when Railway says it (serviceInstanceDeployV2), or undefined
 * when it only says true (serviceInstanceDeploy with latestCommit): then the caller lists the
 * service's deployments to find it.
 */
export async function startDeployment(
  api: RailwayApi,
  t: Target,
  source: DeploySource,
): Promise<string | undefined> {
  if (source.kind === 'latest-commit') {
    const data = await api.request<{ serviceInstanceDeploy: boolean }>(
      DEPLOY_LATEST_COMMIT,
      { serviceId: t.serviceId, environmentId: t.environmentId },
      'deploying the latest commit of the connected branch (serviceInstanceDeploy)',
      MUTATION,
    );
    if (!data.serviceInstanceDeploy) {
      throw new UserError(
        `Railway declined to deploy the latest commit of service ${t.serviceId} (serviceInstanceDeploy returned false): check that the service is connected to a GitHub repository and branch in its settings.`,
      );
    }
    return undefined;
  }
  const data = await api.request<{ serviceInstanceDeployV2: string }>(
    DEPLOY_SERVICE_INSTANCE,
    {
      serviceId: t.serviceId,
      environmentId: t.environmentId,
      commitSha: source.kind === 'commit' ? source.sha : null,
    },
    'starting the deployment (serviceInstanceDeployV2)',
    MUTATION,
  );
  return data.serviceInstanceDeployV2;
}

/** The commit a deployment runs, from `meta.commitHash` (the key the official CLI reads), if any. */
export function commitOf(d: RailwayDeployment | undefined): string | undefined {
  const hash = d?.meta?.commitHash;
  return typeof hash === 'string' && /^[0-9a-f]{40}$/i.test(hash) ? hash.toLowerCase() : undefined;
}

export async function rollBack(api: RailwayApi, id: string): Promise<boolean> {
  const data = await api.request<{ deploymentRollback: boolean }>(
    ROLLBACK_DEPLOYMENT,
    { id },
    `rolling back to deployment ${id}`,
    MUTATION,
  );
  return data.deploymentRollback;
}

/**
 * https URL of the service: its first custom domain (the address people use), else its Railway
 * service domain (`*.up.railway.app`), else the deployment's static URL.
 */
export async function serviceUrl(
  api: RailwayApi,
  t: Target,
  deployment?: RailwayDeployment,
): Promise<string | undefined> {
  const data = await api.request<{
    domains: { serviceDomains: Array<{ domain: string }>; customDomains: Array<{ domain: string }> };
  }>(SERVICE_DOMAINS, { ...t }, 'reading the service domains');
  // Only well-formed host names: the domain is printed and becomes an output.
  const host = (d: { domain: string } | undefined | null) =>
    d && /^[a-z0-9.-]+(:\d+)?$/i.test(d.domain) ? d.domain : undefined;
  const domain =
    host(data.domains.customDomains[0]) ??
    host(data.domains.serviceDomains[0]) ??
    host(deployment?.staticUrl ? { domain: deployment.staticUrl.replace(/^https?:\/\//, '') } : undefined);
  if (!domain) return undefined;
  return `https://${domain}`;
}

export interface LogTail {
  build: string[];
  deploy: string[];
  /** Why a log could not be read, if it could not. */
  problems: string[];
}

/** The last lines of the build and runtime logs; a failure to read them is noted, never fatal. */
export async function logTail(api: RailwayApi, id: string, limit: number): Promise<LogTail> {
  const tail: LogTail = { build: [], deploy: [], problems: [] };
  const read = async (doc: string, key: 'buildLogs' | 'deploymentLogs', into: string[]) => {
    try {
      const data = await api.request<Record<string, Array<{ timestamp: string; message: string }>>>(
        doc,
        { deploymentId: id, limit },
        `reading ${key === 'buildLogs' ? 'build' : 'deploy'} logs`,
      );
      for (const line of (data[key] ?? []).slice(-limit)) into.push(line.message);
    } catch (err) {
      tail.problems.push((err as Error).message);
    }
  };
  await read(BUILD_LOGS, 'buildLogs', tail.build);
  await read(DEPLOYMENT_LOGS, 'deploymentLogs', tail.deploy);
  return tail;
}

export interface WaitOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  signal: AbortSignal;
  /** Called once per status change (including the first status seen). */
  onStatus: (status: string, elapsedMs: number, deployment: RailwayDeployment) => void;
  /** Start of the clock (defaults to now); the timeout counts from here. */
  startedAt?: number;
}

export interface WaitResult {
  outcome: 'succeeded' | 'failed' | 'skipped' | 'timeout' | 'cancelled';
  deployment: RailwayDeployment | undefined;
  elapsedMs: number;
}

/** Polls one deployment until it ends, the time is up, or the run is cancelled. */
export async function waitForDeployment(api: RailwayApi, id: string, opts: WaitOptions): Promise<WaitResult> {
  const started = opts.startedAt ?? performance.now();
  const elapsed = () => performance.now() - started;
  let last: RailwayDeployment | undefined;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) return { outcome: 'cancelled', deployment: last, elapsedMs: elapsed() };
    let current: RailwayDeployment;
    const timeLeftMs = Math.max(MIN_POLL_REQUEST_MS, Math.ceil(opts.timeoutMs - elapsed()));
    const deadline = AbortSignal.timeout(timeLeftMs);
    try {
      current = await getDeployment(api, id, `checking deployment ${id}`, {
        timeoutMs: Math.min(30_000, timeLeftMs),
        deadline,
      });
    } catch (err) {
      if (opts.signal.aborted) return { outcome: 'cancelled', deployment: last, elapsedMs: elapsed() };
      if (deadline.aborted) return { outcome: 'timeout', deployment: last, elapsedMs: elapsed() };
      throw err;
    }
    if (current.status !== last?.status) opts.onStatus(current.status, elapsed(), current);
    last = current;
    const kind = classifyStatus(current.status);
    if (kind !== 'in-progress') return { outcome: kind, deployment: current, elapsedMs: elapsed() };
    const remaining = opts.timeoutMs - elapsed();
    if (remaining <= 0) return { outcome: 'timeout', deployment: current, elapsedMs: elapsed() };
    await sleep(nextPollDelayMs(attempt, opts.pollIntervalMs, api.rateLimit, remaining), opts.signal);
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
export async function findNewDeployment(
  api: RailwayApi,
  t: Target,
  before: readonly RailwayDeployment[],
  opts: { timeoutMs: number; pollIntervalMs: number; signal: AbortSignal; commit?: string },
): Promise<RailwayDeployment | undefined> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) return undefined;
    let list: RailwayDeployment[];
    try {
      list = await listDeployments(api, t, 10);
    } catch (err) {
      if (opts.signal.aborted) return undefined;
      throw err;
    }
    const fresh = newDeployments(before, list, opts.commit)[0];
    if (fresh) return fresh;
    const remaining = opts.timeoutMs - (performance.now() - started);
    if (remaining <= 0) return undefined;
    await sleep(nextPollDelayMs(attempt, opts.pollIntervalMs, api.rateLimit, remaining), opts.signal);
  }
}

/** Deployments in `now` that were not in `before` and not older than its newest, newest first. */
export function newDeployments(
  before: readonly RailwayDeployment[],
  now: readonly RailwayDeployment[],
  commit?: string,
): RailwayDeployment[] {
  const known = new Set(before.map((d) => d.id));
  const newestBefore = Math.max(-Infinity, ...before.map((d) => Date.parse(d.createdAt)));
  return now
    .filter((d) => !known.has(d.id) && !(Date.parse(d.createdAt) < newestBefore))
    .filter((d) => commit === undefined || commitOf(d) === undefined || commitOf(d) === commit)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
