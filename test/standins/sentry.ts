/**
 * Sentry releases/deploys API stand-in, shaped like Sentry's organization endpoints:
 * POST …/releases/ (201 created, 208 when it already existed; idempotent), PUT …/releases/{v}/,
 * GET …/releases/{v}/, POST …/releases/{v}/deploys/ (201). Errors use Sentry's bodies:
 * 401 {"detail":"Invalid token"}, 403 permission, 404 "The requested resource does not exist",
 * 400 {"projects":["Invalid project slugs"]} / {"refs":["Invalid repository names: …"]}.
 * (Issue endpoints live in sentry-issues.ts.)
 */
import { type RecordedRequest, type Reply, StandIn } from './server.js';

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
    return { status: 201, json: answer };
  }
}

function serialize(release: SentryRelease) {
  return {
    version: release.version,
    shortVersion: release.version.slice(0, 12),
    dateCreated: release.dateCreated,
    dateReleased: release.dateReleased,
    url: release.url,
    commitCount: release.refs.length,
    deployCount: release.deploys.length,
    lastDeploy: release.deploys.at(-1) ?? null,
    projects: [...release.projects].map((slug) => ({ slug, name: slug })),
  };
}
