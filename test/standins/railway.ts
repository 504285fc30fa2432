/**
 * Railway GraphQL API stand-in (POST /graphql/v2). Every incoming document is parsed and validated
 * against Railway's published schema (the extract in test/contracts/railway/) and answered like
 * Railway would: `{"errors":[…]}` for invalid documents, "Not Authorized" for a wrong token or header
 * type, "Project Token not found" for a deleted project token, "Commit not found" for a commitSha the
 * connected repository lacks (manage-services.md), "… not found" for unknown IDs.
 * `afterAccept` answers a request Railway already applied with a 502 or a reset socket.
 * Valid documents are executed by graphql-js against an in-memory model: services with a list of
 * deployments each, played through a scripted `scenario` of statuses, with Railway's replacement
 * semantics (a new SUCCESS turns the previous SUCCESS into REMOVED) and rollback as a NEW deployment.
 * Also used by the end-to-end rehearsal: `onStatus` lets it switch real traffic on SUCCESS.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  type DocumentNode,
  defaultFieldResolver,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getOperationAST,
  parse,
  validate,
} from 'graphql';
import { repoRoot } from '../harness/run-action.js';
import { type RecordedRequest, type Reply, StandIn } from './server.js';

export type DeploymentStatus =
  | 'BUILDING'
  | 'CRASHED'
  | 'DEPLOYING'
  | 'FAILED'
  | 'INITIALIZING'
  | 'NEEDS_APPROVAL'
  | 'QUEUED'
  | 'REMOVED'
  | 'REMOVING'
  | 'SKIPPED'
  | 'SLEEPING'
  | 'SUCCESS'
  | 'WAITING';

export interface LogLine {
  timestamp: string;
  message: string;
  severity: string;
}

export interface StandInDeployment {
  id: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  status: DeploymentStatus;
  createdAt: string;
  updatedAt: string;
  canRollback: boolean;
  /** Railway's DeploymentMeta JSON: `image` for image deploys, `commitHash`/`branch` for repo deploys. */
  meta: Record<string, unknown>;
  staticUrl: string | null;
  buildLogs: LogLine[];
  deployLogs: LogLine[];
  /** How it came to be: seeded by a test, a deploy, or a rollback (of `rollbackOf`). */
  origin: 'seed' | 'deploy' | 'rollback';
  rollbackOf?: string;
  /** Every status it went through, in order. */
  history: DeploymentStatus[];
}

export interface ScenarioStep {
  status: DeploymentStatus;
  /** Wait before entering this status (the first step applies at once unless given). */
  delayMs?: number;
  buildLogs?: string[];
  deployLogs?: string[];
  /** Merged into the deployment's meta when the step applies (e.g. to fake a wrong image). */
  meta?: Record<string, unknown>;
}

export interface ScenarioContext {
  kind: 'deploy' | 'rollback';
  service: ServiceState;
  /** For a rollback: the deployment whose image is being restored. */
  rollbackOf?: StandInDeployment;
}

/** Decides how a new deployment evolves. */
export type Scenario = (deployment: StandInDeployment, ctx: ScenarioContext) => ScenarioStep[];

export interface ServiceState {
  id: string;
  projectId: string;
  environmentId: string;
  /** Oldest first. */
  deployments: StandInDeployment[];
  source: { image?: string; repo?: string };
  /** Everything serviceInstanceUpdate applied, merged. */
  settings: Record<string, unknown>;
  serviceDomains: string[];
  customDomains: string[];
  /** The connected branch's head: what `serviceInstanceDeploy(latestCommit: true)` deploys. */
  latestCommit: string;
  /**
   * Commits of the connected repository Railway can fetch; any other `commitSha` is "Commit not
   * found" (manage-services.md). Undefined: every commit exists.
   */
  knownCommits?: Set<string>;
}

/** One GraphQL operation the stand-in received (valid or not). */
export interface RailwayCall {
  operationName: string | undefined;
  /** Root fields selected, e.g. ['serviceInstanceDeployV2']. */
  fields: string[];
  variables: Record<string, unknown>;
  auth: 'project' | 'account' | 'none';
  query: string;
}

/**
 * Railway's schema as far as we use it: the extract committed under test/contracts/railway/, made
 * from Railway's published introspection JSON by `npm run update-contracts` (see its `source`).
 */
export const railwaySchemaPath = join(repoRoot, 'test', 'contracts', 'railway', 'schema.json');

let cachedSchema: GraphQLSchema | undefined;
export function railwaySchema(): GraphQLSchema {
  if (!cachedSchema) {
    if (!existsSync(railwaySchemaPath)) {
      throw new Error(
        `Railway's schema extract ${railwaySchemaPath} is missing: restore it from git, or run npm run update-contracts with RAILWAY_SCHEMA set to Railway's schema.json.`,
      );
    }
    const json = JSON.parse(readFileSync(railwaySchemaPath, 'utf8')) as {
      data: Parameters<typeof buildClientSchema>[0];
    };
    cachedSchema = buildClientSchema(json.data);
  }
  return cachedSchema;
}

/** Scripted replies for the base `queue` (they answer the next request whatever it is). */
export const railwayReplies = {
  badGateway: (): Reply => ({
    status: 502,
    text: '<html><body>502 Bad Gateway</body></html>',
    headers: { 'content-type': 'text/html' },
  }),
  connectionReset: (): Reply => ({ reset: true }),
  tooManyRequests: (retryAfterSeconds: number): Reply => ({
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '0' },
    json: { errors: [{ message: 'Rate limit exceeded' }] },
  }),
};

const NOT_AUTHORIZED = 'Not Authorized';

export class RailwayStandIn extends StandIn {
  projectId = 'proj-0000-stand-in';
  environmentId = 'env-0000-production';
  /** Accepted in the Project-Access-Token header (and only there). */
  projectToken = 'rw-project-token-3f1c9a7e';
  /** Accepted as `Authorization: Bearer …` (and only there). */
  accountToken = 'rw-account-token-8d2b4e61';
  readonly services = new Map<string, ServiceState>();
  /** Every GraphQL operation received, in order. */
  readonly operations: RailwayCall[] = [];
  /** Default delay between scenario steps. */
  stepMs = 30;
  /**
   * Deterministic mode: instead of timers, each read of a deployment (`deployment(id)`) answers its
   * current status and then moves it one scenario step on, so every status is seen exactly once.
   */
  stepOnRead = false;
  #pending = new Map<string, ScenarioStep[]>();
  scenario: Scenario = () => [
    { status: 'QUEUED' },
    {
      status: 'BUILDING',
      buildLogs: ['[build] installing dependencies', '[build] compiling', '[build] image pushed'],
    },
    { status: 'DEPLOYING', deployLogs: ['[deploy] starting container'] },
    { status: 'SUCCESS', deployLogs: ['[deploy] healthcheck passed'] },
  ];
  /** Called on every status change of every deployment (replacements included), after it applies. */
  onStatus: ((deployment: StandInDeployment, status: DeploymentStatus) => void | Promise<void>) | undefined;
  /**
   * Consulted for every valid, authorised operation before it runs: return a Reply to answer it
   * instead (a 502, say), or undefined to run it; an async hook can hold it first (a slow API), and a
   * promise that never settles is an API that never answers.
   */
  intercept: ((call: RailwayCall) => Reply | undefined | Promise<Reply | undefined>) | undefined;
  /**
   * Consulted after a valid, authorised operation has run (Railway accepted it): return a Reply to
   * send instead of the real answer (a 502, a reset socket), or undefined to answer normally.
   */
  afterAccept: ((call: RailwayCall) => Reply | undefined) | undefined;
  /** Project tokens that existed and were deleted: Railway answers "Project Token not found". */
  readonly deletedProjectTokens = new Set<string>();
  /** Rate-limit window sent as X-RateLimit-* headers; `remaining` 0 answers 429 until the reset. */
  rateLimit = { limit: 10_000, remaining: 10_000, windowSeconds: 3600, resetAt: 0 };
  #timers = new Set<NodeJS.Timeout>();
  #running = new Set<Promise<void>>();
  #lastCreated = 0;

  constructor() {
    super();
    this.route('POST', '/graphql/v2', (req) => this.#answer(req));
  }

  /** The API URL to give the action's `api-url` input. */
  get apiUrl(): string {
    return `${this.url}/graphql/v2`;
  }

  addService(
    id: string,
    opts: {
      image?: string;
      repo?: string;
      serviceDomains?: string[];
      customDomains?: string[];
      latestCommit?: string;
    } = {},
  ): ServiceState {
    const service: ServiceState = {
      id,
      projectId: this.projectId,
      environmentId: this.environmentId,
      deployments: [],
      source: { image: opts.image, repo: opts.image ? undefined : (opts.repo ?? 'acme/decisionlog') },
      settings: {},
      serviceDomains: opts.serviceDomains ?? [`${id}-production.up.railway.app`],
      customDomains: opts.customDomains ?? [],
      latestCommit: opts.latestCommit ?? 'f'.repeat(40),
    };
    this.services.set(id, service);
    return service;
  }

  /** Adds an existing deployment (oldest first when called in order). */
  seed(serviceId: string, d: Partial<StandInDeployment> & { status: DeploymentStatus }): StandInDeployment {
    const service = this.#service(serviceId);
    const deployment = this.#newDeployment(
      service,
      'seed',
      d.meta ?? { commitHash: 'a'.repeat(40), branch: 'main' },
    );
    Object.assign(deployment, d);
    deployment.history = [d.status];
    service.deployments.push(deployment);
    return deployment;
  }

  /** Newest first, like Railway's deployments query. */
  deploymentsOf(serviceId: string): StandInDeployment[] {
    return [...this.#service(serviceId).deployments].reverse();
  }

  deployment(id: string): StandInDeployment | undefined {
    for (const s of this.services.values()) {
      const d = s.deployments.find((x) => x.id === id);
      if (d) return d;
    }
    return undefined;
  }

  /** Root fields received, in order (e.g. for asserting serviceInstanceUpdate came first). */
  fieldsCalled(): string[] {
    return this.operations.flatMap((c) => c.fields);
  }

  /** Resolves when every running scenario has played out. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  override async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await super.stop();
  }

  /** Moves a deployment to a status now, with replacement semantics and onStatus (for tests and rehearsals). */
  async setStatus(id: string, status: DeploymentStatus): Promise<void> {
    const d = this.deployment(id);
    if (!d) throw new Error(`no deployment ${id}`);
    await this.#apply(d, { status });
  }

  #service(id: string): ServiceState {
    const s = this.services.get(id);
    if (!s) throw new Error(`stand-in has no service ${id}; call addService first`);
    return s;
  }

  #newDeployment(
    service: ServiceState,
    origin: StandInDeployment['origin'],
    meta: Record<string, unknown>,
  ): StandInDeployment {
    this.#lastCreated = Math.max(Date.now(), this.#lastCreated + 1);
    const at = new Date(this.#lastCreated).toISOString();
    return {
      id: randomUUID(),
      projectId: service.projectId,
      environmentId: service.environmentId,
      serviceId: service.id,
      status: 'INITIALIZING',
      createdAt: at,
      updatedAt: at,
      canRollback: true,
      meta,
      staticUrl: service.serviceDomains[0] ?? null,
      buildLogs: [],
      deployLogs: [],
      origin,
      history: [],
    };
  }

  #start(service: ServiceState, d: StandInDeployment, ctx: ScenarioContext): void {
    service.deployments.push(d);
    const steps = this.scenario(d, ctx);
    const first = steps[0];
    // The first status is visible as soon as the mutation answers, like Railway's QUEUED/INITIALIZING.
    if (first && !first.delayMs) void this.#apply(d, first);
    const rest = first && !first.delayMs ? steps.slice(1) : steps;
    if (this.stepOnRead) {
      this.#pending.set(d.id, rest);
      return;
    }
    const run = (async () => {
      for (const step of rest) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.#timers.delete(t);
            resolve();
          }, step.delayMs ?? this.stepMs);
          this.#timers.add(t);
        });
        // A deployment replaced while still in progress stops where Railway would leave it.
        if (d.status === 'REMOVED' || d.status === 'REMOVING') return;
        await this.#apply(d, step);
      }
    })();
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  async #apply(d: StandInDeployment, step: ScenarioStep): Promise<void> {
    const now = new Date().toISOString();
    for (const line of step.buildLogs ?? [])
      d.buildLogs.push({ timestamp: now, message: line, severity: 'info' });
    for (const line of step.deployLogs ?? [])
      d.deployLogs.push({ timestamp: now, message: line, severity: 'info' });
    if (step.meta) Object.assign(d.meta, step.meta);
    d.status = step.status;
    d.updatedAt = now;
    d.history.push(step.status);
    await this.onStatus?.(d, step.status);
    if (step.status === 'SUCCESS') {
      // Railway keeps one active deployment: older SUCCESS/SLEEPING/CRASHED ones are removed.
      const service = this.#service(d.serviceId);
      for (const other of service.deployments) {
        if (other !== d && ['SUCCESS', 'SLEEPING', 'CRASHED'].includes(other.status)) {
          other.status = 'REMOVED';
          other.updatedAt = now;
          other.history.push('REMOVED');
          await this.onStatus?.(other, 'REMOVED');
        }
      }
    }
  }

  #rateHeaders(): { headers: Record<string, string>; limited: boolean } {
    const nowSec = Math.floor(Date.now() / 1000);
    const r = this.rateLimit;
    if (r.resetAt <= nowSec) {
      r.resetAt = nowSec + r.windowSeconds;
      if (r.remaining <= 0) r.remaining = r.limit;
    }
    const limited = r.remaining <= 0;
    if (!limited) r.remaining--;
    return {
      limited,
      headers: {
        'x-ratelimit-limit': String(r.limit),
        'x-ratelimit-remaining': String(Math.max(0, r.remaining)),
        'x-ratelimit-reset': String(r.resetAt),
      },
    };
  }

  async #answer(req: RecordedRequest): Promise<Reply> {
    const rate = this.#rateHeaders();
    const reply = (status: number, json: unknown): Reply => ({ status, json, headers: rate.headers });
    if (rate.limited) {
      return {
        status: 429,
        headers: {
          ...rate.headers,
          'retry-after': String(Math.max(1, this.rateLimit.resetAt - Math.floor(Date.now() / 1000))),
        },
        json: { errors: [{ message: 'Rate limit exceeded' }] },
      };
    }
    const body = req.json as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    const auth = req.headers['project-access-token']
      ? 'project'
      : req.headers.authorization
        ? 'account'
        : 'none';
    const call: RailwayCall = {
      operationName: typeof body?.operationName === 'string' ? body.operationName : undefined,
      fields: [],
      variables: (body?.variables as Record<string, unknown>) ?? {},
      auth,
      query: typeof body?.query === 'string' ? body.query : '',
    };
    this.operations.push(call);
    if (typeof body?.query !== 'string') {
      return reply(400, {
        errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (err) {
      const e = err as GraphQLError;
      return reply(400, {
        errors: [
          { message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
        ],
      });
    }
    const operation = getOperationAST(document, call.operationName);
    call.operationName ??= operation?.name?.value;
    call.fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
      s.kind === 'Field' ? [s.name.value] : [],
    );
    const invalid = validate(railwaySchema(), document);
    if (invalid.length > 0) {
      return reply(400, {
        errors: invalid.map((e) => ({
          message: e.message,
          locations: e.locations,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        })),
      });
    }
    if (auth === 'project' && this.deletedProjectTokens.has(String(req.headers['project-access-token']))) {
      return reply(200, {
        data: null,
        errors: [{ message: 'Project Token not found', locations: [], path: call.fields.slice(0, 1) }],
      });
    }
    const authorized =
      (auth === 'project' && req.headers['project-access-token'] === this.projectToken) ||
      (auth === 'account' && req.headers.authorization === `Bearer ${this.accountToken}`);
    if (!authorized) {
      return reply(200, {
        data: null,
        errors: [{ message: NOT_AUTHORIZED, locations: [], path: call.fields.slice(0, 1) }],
      });
    }
    const instead = await this.intercept?.(call);
    if (instead) return instead;
    const result = await execute({
      schema: railwaySchema(),
      document,
      rootValue: this.#resolvers(),
      variableValues: call.variables,
      operationName: call.operationName,
      fieldResolver: rootAware,
    });
    const after = result.errors?.length ? undefined : this.afterAccept?.(call);
    if (after) return after;
    return reply(200, {
      data: result.data ?? null,
      ...(result.errors?.length
        ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path, locations: e.locations })) }
        : {}),
    });
  }

  /** Root fields: Railway's answers over the in-memory model. Unknown IDs throw Railway-like messages. */
  #resolvers(): Record<string, (args: Record<string, unknown>) => unknown> {
    const service = (id: unknown, environmentId?: unknown): ServiceState => {
      const s = this.services.get(String(id));
      if (
        !s ||
        (environmentId !== undefined && environmentId !== null && environmentId !== s.environmentId)
      ) {
        throw new GraphQLError('Service not found');
      }
      return s;
    };
    const deployment = (id: unknown): StandInDeployment => {
      const d = this.deployment(String(id));
      if (!d) throw new GraphQLError('Deployment not found');
      return d;
    };
    const currentCommit = (s: ServiceState): string =>
      [...s.deployments]
        .reverse()
        .map((d) => d.meta.commitHash)
        .find((c): c is string => typeof c === 'string') ?? s.latestCommit;
    const deploy = (args: Record<string, unknown>, defaultCommit: (s: ServiceState) => string) => {
      const s = service(args.serviceId, args.environmentId);
      const sha = typeof args.commitSha === 'string' ? args.commitSha : undefined;
      if (sha !== undefined && s.knownCommits && !s.knownCommits.has(sha)) {
        throw new GraphQLError('Commit not found');
      }
      // An image deploy records nothing about the image in any documented meta key.
      const meta: Record<string, unknown> = s.source.image
        ? {}
        : { commitHash: sha ?? defaultCommit(s), branch: 'main', repo: s.source.repo };
      const d = this.#newDeployment(s, 'deploy', meta);
      this.#start(s, d, { kind: 'deploy', service: s });
      return d;
    };
    return {
      deployments: (args) => {
        const input = (args.input ?? {}) as {
          projectId?: string;
          environmentId?: string;
          serviceId?: string;
          status?: { in?: string[]; notIn?: string[] };
        };
        let list = [...this.services.values()]
          .filter(
            (s) =>
              (!input.serviceId || s.id === input.serviceId) &&
              (!input.environmentId || s.environmentId === input.environmentId),
          )
          .filter((s) => !input.projectId || s.projectId === input.projectId)
          .flatMap((s) => s.deployments)
          .filter((d) => !input.status?.in || input.status.in.includes(d.status))
          .filter((d) => !input.status?.notIn?.includes(d.status))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        const first = typeof args.first === 'number' ? args.first : list.length;
        const hasNextPage = list.length > first;
        list = list.slice(0, first);
        return {
          edges: list.map((d) => ({ cursor: d.id, node: view(d) })),
          pageInfo: {
            hasNextPage,
            hasPreviousPage: false,
            startCursor: list[0]?.id ?? null,
            endCursor: list.at(-1)?.id ?? null,
          },
        };
      },
      deployment: (args) => {
        const d = deployment(args.id);
        const answer = view(d);
        const next = this.#pending.get(d.id)?.shift();
        if (next && d.status !== 'REMOVED' && d.status !== 'REMOVING') void this.#apply(d, next);
        return answer;
      },
      buildLogs: (args) => deployment(args.deploymentId).buildLogs.slice(-(Number(args.limit) || 500)),
      deploymentLogs: (args) => deployment(args.deploymentId).deployLogs.slice(-(Number(args.limit) || 500)),
      domains: (args) => {
        const s = service(args.serviceId, args.environmentId);
        return {
          serviceDomains: s.serviceDomains.map((domain, i) => ({
            id: `sd-${i}`,
            domain,
            environmentId: s.environmentId,
            serviceId: s.id,
            projectId: s.projectId,
            syncStatus: 'ACTIVE',
          })),
          customDomains: s.customDomains.map((domain, i) => ({
            id: `cd-${i}`,
            domain,
            environmentId: s.environmentId,
            serviceId: s.id,
            projectId: s.projectId,
          })),
        };
      },
      serviceInstance: (args) => {
        const s = service(args.serviceId, args.environmentId);
        const latest = s.deployments.at(-1);
        return {
          id: `si-${s.id}`,
          serviceId: s.id,
          environmentId: s.environmentId,
          source: s.source,
          ...s.settings,
          latestDeployment: latest ? view(latest) : null,
        };
      },
      serviceInstanceUpdate: (args) => {
        const s = service(args.serviceId, args.environmentId);
        const input = (args.input ?? {}) as { source?: { image?: string; repo?: string } } & Record<
          string,
          unknown
        >;
        if (input.source?.image) s.source = { image: input.source.image };
        else if (input.source?.repo) s.source = { repo: input.source.repo };
        const { source: _source, ...rest } = input;
        Object.assign(s.settings, rest);
        return true;
      },
      // manage-services.md: without commitSha, the commit currently associated with the service.
      serviceInstanceDeployV2: (args) => deploy(args, (s) => currentCommit(s)).id,
      // The CLI's ServiceInstanceDeployLatestCommit: latestCommit deploys the connected branch's head.
      serviceInstanceDeploy: (args) => {
        deploy(args, (s) => (args.latestCommit === true ? s.latestCommit : currentCommit(s)));
        return true;
      },
      deploymentRollback: (args) => {
        const target = deployment(args.id);
        if (!target.canRollback) throw new GraphQLError('Deployment cannot be rolled back');
        const s = service(target.serviceId);
        const d = this.#newDeployment(s, 'rollback', { ...target.meta, rollbackDeploymentId: target.id });
        d.rollbackOf = target.id;
        this.#start(s, d, { kind: 'rollback', service: s, rollbackOf: target });
        return true;
      },
    };
  }
}

/** Public GraphQL view of a deployment (the fields Railway's Deployment type has that we model). */
function view(d: StandInDeployment): Record<string, unknown> {
  return {
    id: d.id,
    status: d.status,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    statusUpdatedAt: d.updatedAt,
    canRollback: d.canRollback,
    canRedeploy: true,
    deploymentStopped: ['REMOVED', 'FAILED', 'CRASHED', 'SKIPPED'].includes(d.status),
    meta: d.meta,
    staticUrl: d.staticUrl,
    url: d.staticUrl ? `https://${d.staticUrl}` : null,
    serviceId: d.serviceId,
    environmentId: d.environmentId,
    projectId: d.projectId,
    instances: [],
    sockets: [],
    suggestAddServiceDomain: false,
  };
}

/** Root fields come from the resolver map; a root field the stand-in does not model says so. */
const rootAware: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  const isRoot =
    info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  if (isRoot) {
    const fn = (source as Record<string, unknown>)[info.fieldName];
    if (typeof fn !== 'function')
      throw new GraphQLError(`The Railway stand-in does not implement ${info.fieldName}`);
    return (fn as (a: unknown) => unknown)(args);
  }
  return defaultFieldResolver(source, args, context, info);
};
