/**
 * GitHub REST API stand-in: issue comments (list/create/update) and Deployments
 * (create deployment, create/list statuses), with GitHub's status codes and error bodies.
 */
import { StandIn } from './server.js';

export interface Comment {
  id: number;
  body: string;
}
export interface Deployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  description: string | null;
  payload: unknown;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  /** Who created it: the job token acts as `github-actions[bot]`. */
  creator: { login: string; type: string } | null;
  statuses: Array<{
    id: number;
    state: string;
    environment_url?: string;
    log_url?: string;
    description?: string;
  }>;
}

export class GitHubStandIn extends StandIn {
  readonly comments = new Map<number, Comment[]>();
  readonly deployments: Deployment[] = [];
  #nextId = 1000;
  /** Tokens accepted; others get 401 Bad credentials. */
  token = 'ghs_test_token_0000';
  /** The account `token` acts as (the job token's GitHub App bot). */
  tokenActor = 'github-actions[bot]';

  constructor() {
    super();
    const auth = (h: Record<string, string | string[] | undefined>) =>
      h.authorization === `Bearer ${this.token}`;
    const unauthorized = {
      status: 401,
      json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    };
    this.route('GET', '/repos/:owner/:repo/issues/:number/comments', (req, p) => {
      if (!auth(req.headers)) return unauthorized;
      const all = this.comments.get(Number(p.number)) ?? [];
      const perPage = Number(req.query.get('per_page') ?? 30);
      const page = Number(req.query.get('page') ?? 1);
      return { json: all.slice((page - 1) * perPage, page * perPage) };
    });
    this.route('POST', '/repos/:owner/:repo/issues/:number/comments', (req, p) => {
      if (!auth(req.headers)) return unauthorized;
      const body = (req.json as { body?: string })?.body;
      if (typeof body !== 'string') return { status: 422, json: { message: 'Validation Failed' } };
      const comment = { id: this.#nextId++, body };
      const list = this.comments.get(Number(p.number)) ?? [];
      list.push(comment);
      this.comments.set(Number(p.number), list);
      return { status: 201, json: comment };
    });
    this.route('PATCH', '/repos/:owner/:repo/issues/comments/:id', (req, p) => {
      if (!auth(req.headers)) return unauthorized;
      for (const list of this.comments.values()) {
        const c = list.find((x) => x.id === Number(p.id));
        if (c) {
          c.body = (req.json as { body: string }).body;
          return { json: c };
        }
      }
      return { status: 404, json: { message: 'Not Found' } };
    });
    this.route('POST', '/repos/:owner/:repo/deployments', (req) => {
      if (!auth(req.headers)) return unauthorized;
      const b = req.json as Partial<Deployment> & { ref?: string; required_contexts?: string[] };
      if (!b?.ref) return { status: 422, json: { message: 'Validation Failed', errors: [{ field: 'ref' }] } };
      const d: Deployment = {
        id: this.#nextId++,
        ref: b.ref,
        sha: b.ref,
        environment: b.environment ?? 'production',
        description: b.description ?? null,
        payload: b.payload ?? {},
        transient_environment: Boolean(b.transient_environment),
        production_environment: Boolean(b.production_environment),
        created_at: new Date().toISOString(),
        creator: { login: this.tokenActor, type: 'Bot' },
        statuses: [],
      };
      this.deployments.push(d);
      const { statuses: _s, ...rest } = d;
      return { status: 201, json: rest };
    });
    this.route('GET', '/repos/:owner/:repo/deployments', (req) => {
      if (!auth(req.headers)) return unauthorized;
      const env = req.query.get('environment');
      const list = this.deployments
        .filter((d) => !env || d.environment === env)
        .slice()
        .reverse()
        .map(({ statuses: _s, ...rest }) => rest);
      return { json: list.slice(0, Number(req.query.get('per_page') ?? 30)) };
    });
    this.route('POST', '/repos/:owner/:repo/deployments/:id/statuses', (req, p) => {
      if (!auth(req.headers)) return unauthorized;
      const d = this.deployments.find((x) => x.id === Number(p.id));
      if (!d) return { status: 404, json: { message: 'Not Found' } };
      const s = { id: this.#nextId++, ...(req.json as { state: string }) };
      d.statuses.push(s);
      return { status: 201, json: s };
    });
    this.route('GET', '/repos/:owner/:repo/deployments/:id/statuses', (req, p) => {
      if (!auth(req.headers)) return unauthorized;
      const d = this.deployments.find((x) => x.id === Number(p.id));
      if (!d) return { status: 404, json: { message: 'Not Found' } };
      return { json: d.statuses.slice().reverse() };
    });
  }
}
