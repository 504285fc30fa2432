/**
 * Sentry releases/deploys API stand-in, shaped like Sentry's organization endpoints:
 * POST …/releases/ (201 created, 208 when it already existed; idempotent), PUT …/releases/{v}/,
 * GET …/releases/{v}/, POST …/releases/{v}/deploys/ (201). Errors use Sentry's bodies:
 * 401 {"detail":"Invalid token"}, 403 permission, 404 "The requested resource does not exist",
 * 400 {"projects":["Invalid project slugs"]} / {"refs":["Invalid repository names: …"]}.
 * POST …/releases/ answers 201 also when an existing release gains a project (Sentry does).
 * Requests and answers are checked against the Sentry contract extract (test/contracts/sentry.json):
 * an undocumented operation, a field of the wrong type or over its length (version ≤ 200
 * characters) is a violation, answered 400 as Sentry would, and fails the test.
 * (Issue endpoints live in sentry-issues.ts.)
 */
import { extractContract } from '../contracts/openapi.js';
import { type RecordedRequest, type Reply, StandIn } from './server.js';

const contract = extractContract('sentry');

export interface SentryRelease {
  version: string;
  projects: Set<string>;
  dateCreated: string;
  dateReleased: string | null;
  url: string | null;
  refs: Array<{ repository: string; commit: string; previousCommit?: string }>;
  deploys: SentryDeploy[];
}

export interface SentryDeploy {
  id: string;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: string | null;
  dateFinished: string;
  projects: string[];
}

const NOT_FOUND: Reply = { status: 404, json: { detail: 'The requested resource does not exist' } };

export class SentryStandIn extends StandIn {
  token = 'sntrys_standin_secret_token_0123456789';
  org = 'acme';
  /** Scopes of the token; without project:releases writes answer 403. */
  readonly scopes = new Set(['project:releases', 'org:read']);
  readonly projects = new Set(['decisionlog-api', 'decisionlog-web']);
  /** Repositories connected through the GitHub integration. */
  readonly repositories = new Set(['acme/decisionlog']);
  readonly releases = new Map<string, SentryRelease>();
  /** Answers given *after* the next deploy record was stored (a 502 or a reset once it exists). */
  readonly afterApplying: Reply[] = [];
  #nextDeploy = 5000;

  /** `prefix` mounts the API under a path, as a self-hosted Sentry behind a proxy might be. */
  constructor(readonly prefix = '') {
    super();
    const base = `${prefix}/api/0/organizations/:org/releases`;
    this.route('POST', `${base}/`, (req, p) => this.#guard(req, p, true) ?? this.#create(req));
    this.route('GET', `${base}/:version`, (req, p) => this.#guard(req, p, false) ?? this.#get(p));
    this.route('PUT', `${base}/:version`, (req, p) => this.#guard(req, p, true) ?? this.#update(req, p));
    this.route(
      'POST',
      `${base}/:version/deploys`,
      (req, p) => this.#guard(req, p, true) ?? this.#deploy(req, p),
    );
    this.route('GET', `${base}/:version/deploys`, (req, p) => {
      const denied = this.#guard(req, p, false);
      if (denied) return denied;
      const release = this.releases.get(p.version ?? '');
      if (!release) return NOT_FOUND;
      return { json: release.deploys.map(({ projects: _p, ...d }) => d) };
    });
  }

  protected override checkRequest(req: RecordedRequest): Reply | undefined {
    const path = req.path.slice(this.prefix.length);
    const problems = contract.checkRequest(req, path);
    const auth = req.headers.authorization;
    if (auth && !/^Bearer \S+$/.test(auth))
      problems.push(`${req.method} ${path}: Authorization is not "Bearer <token>"`);
    if (problems.length === 0) return undefined;
    this.violations.push(...problems);
    if (!contract.match(req.method, path)) return NOT_FOUND;
    return { status: 400, json: { detail: problems.join('; ') } };
  }

  protected override checkAnswer(req: RecordedRequest, reply: Reply): void {
    const path = req.path.slice(this.prefix.length);
    this.violations.push(...contract.checkResponse(req.method, path, reply.status ?? 200, reply.json));
  }

  /** The base URL to give the action as its `url` input. */
  get baseUrl(): string {
    return `${this.url}${this.prefix}`;
  }

  #guard(req: RecordedRequest, params: Record<string, string>, write: boolean): Reply | undefined {
    const auth = req.headers.authorization;
    if (!auth) return { status: 401, json: { detail: 'Authentication credentials were not provided.' } };
    if (auth !== `Bearer ${this.token}`) return { status: 401, json: { detail: 'Invalid token' } };
    if (params.org !== this.org) return NOT_FOUND;
    if ((write && !this.scopes.has('project:releases')) || !this.scopes.has('org:read')) {
      return { status: 403, json: { detail: 'You do not have permission to perform this action.' } };
    }
    return undefined;
  }

  #create(req: RecordedRequest): Reply {
    const body = (req.json ?? {}) as {
      version?: string;
      projects?: string[];
      refs?: SentryRelease['refs'];
      url?: string;
      dateReleased?: string;
    };
    if (!body.version) return { status: 400, json: { version: ['This field is required.'] } };
    if (!Array.isArray(body.projects) || body.projects.length === 0) {
      return { status: 400, json: { projects: ['This field is required.'] } };
    }
    if (body.projects.some((p) => !this.projects.has(p))) {
      return { status: 400, json: { projects: ['Invalid project slugs'] } };
    }
    let release = this.releases.get(body.version);
    const created = !release;
    if (!release) {
      // Like Sentry's get_or_create: url and dateReleased only apply to a new release.
      release = {
        version: body.version,
        projects: new Set(),
        dateCreated: new Date().toISOString(),
        dateReleased: body.dateReleased ?? null,
        url: body.url ?? null,
        refs: [],
        deploys: [],
      };
      this.releases.set(body.version, release);
    }
    const newProjects = body.projects.filter((p) => !release.projects.has(p));
    for (const p of body.projects) release.projects.add(p);
    if (body.refs?.length) {
      const unknown = body.refs.filter((r) => !this.repositories.has(r.repository)).map((r) => r.repository);
      if (unknown.length)
        return { status: 400, json: { refs: [`Invalid repository names: ${unknown.join(',')}`] } };
      release.refs = body.refs;
    }
    return { status: !created && newProjects.length === 0 ? 208 : 201, json: serialize(release) };
  }

  #get(params: Record<string, string>): Reply {
    const release = this.releases.get(params.version ?? '');
    return release ? { json: serialize(release) } : NOT_FOUND;
  }

  #update(req: RecordedRequest, params: Record<string, string>): Reply {
    const release = this.releases.get(params.version ?? '');
    if (!release) return NOT_FOUND;
    const body = (req.json ?? {}) as { dateReleased?: string; url?: string; refs?: SentryRelease['refs'] };
    if (body.dateReleased !== undefined) release.dateReleased = body.dateReleased;
    if (body.url !== undefined) release.url = body.url;
    if (body.refs) release.refs = body.refs;
    return { json: serialize(release) };
  }

  #deploy(req: RecordedRequest, params: Record<string, string>): Reply {
    const release = this.releases.get(params.version ?? '');
    if (!release) return NOT_FOUND;
    const body = (req.json ?? {}) as Partial<SentryDeploy>;
    if (!body.environment) return { status: 400, json: { environment: ['This field is required.'] } };
    const deploy: SentryDeploy = {
      id: String(this.#nextDeploy++),
      environment: body.environment,
      name: body.name ?? null,
      url: body.url ?? null,
      dateStarted: body.dateStarted ?? null,
      dateFinished: body.dateFinished ?? new Date().toISOString(),
      projects: body.projects ?? [...release.projects],
    };
    release.deploys.push(deploy);
    const { projects: _p, ...answer } = deploy;
    return this.afterApplying.shift() ?? { status: 201, json: answer };
  }
}

/** A release as Sentry's release endpoints document it (every required field). */
function serialize(release: SentryRelease) {
  const last = release.deploys.at(-1);
  return {
    id: 1 + [...release.version].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1e6, 0),
    version: release.version,
    shortVersion: release.version.slice(0, 12),
    status: 'open',
    data: {},
    authors: [],
    newGroups: 0,
    versionInfo: { package: null, version: { raw: release.version }, buildHash: null },
    dateCreated: release.dateCreated,
    dateReleased: release.dateReleased,
    url: release.url,
    commitCount: release.refs.length,
    deployCount: release.deploys.length,
    lastDeploy: last
      ? {
          id: last.id,
          environment: last.environment,
          // The schema types name as a string; Sentry names unnamed deploys by release and environment.
          name: last.name ?? `${release.version} to ${last.environment}`,
          url: last.url,
          dateStarted: last.dateStarted,
          dateFinished: last.dateFinished,
        }
      : null,
    projects: [...release.projects].map((slug, i) => ({
      id: 100 + i,
      slug,
      name: slug,
      newGroups: 0,
      platform: 'node',
      platforms: ['node'],
      hasHealthData: false,
    })),
  };
}
