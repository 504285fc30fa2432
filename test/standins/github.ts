/**
 * GitHub REST API stand-in: issue comments (list/create/update), Deployments (create, list,
 * create/list statuses), GET /user, and workflow artifacts (list; download as a 302 to a zip, as
 * GitHub's "Download an artifact" answers) read from a folder of uploaded artifacts. Every request is checked against GitHub's official OpenAPI
 * description (npm `@octokit/openapi`): an operation GitHub does not document, a parameter or body
 * field of the wrong type or enum, or a missing Authorization header is recorded as a violation
 * (the test then fails in `stop()`) and answered as GitHub would (404 / 422 / 401). Answers carry
 * the documented shapes (checked too) and GitHub's identities: a `ghs_` installation token is
 * `github-actions[bot]` and cannot read GET /user (403 "Resource not accessible by integration").
 * `readOnlyToken` is the job token of a pull request from a fork: it reads, and every write is
 * refused with that same 403 (GitHub docs, "GITHUB_TOKEN reference": pull requests from public
 * forks get read access at most, whatever `permissions:` asks).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { githubContract } from '../contracts/openapi.js';
import { type RecordedRequest, type Reply, StandIn } from './server.js';
import { storedZip } from './zip.js';

export interface Comment {
  id: number;
  body: string;
  /** Login of the author. */
  author: string;
  /** The GitHub App the comment was made through (installation tokens), else null. */
  app: string | null;
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
  creator?: { login: string; type: string } | null;
  statuses: Array<{
    id: number;
    state: string;
    environment_url?: string;
    log_url?: string;
    description?: string;
  }>;
}

/** Who a token is: a user (PAT) or the bot of a GitHub App installation. */
interface Identity {
  login: string;
  type: 'User' | 'Bot';
  app: string | null;
  readOnly?: boolean;
}

const API = 'https://api.github.com';
/** Where artifact downloads redirect to (on GitHub: a signed blob-storage URL on another host). */
const BLOBS = '/_blobs/artifacts/';
const DOCS = 'https://docs.github.com/rest';

export class GitHubStandIn extends StandIn {
  readonly comments = new Map<number, Comment[]>();
  readonly deployments: Deployment[] = [];
  #nextId = 1000;
  /** The workflow's GITHUB_TOKEN: an installation token, acting as github-actions[bot]. */
  token = 'ghs_test_token_0000';
  /** The job token of a pull request from a fork: github-actions[bot], read access only. */
  readOnlyToken = 'ghs_fork_read_only_token_0000';
  /** The account `token` acts as (the job token's GitHub App bot). */
  tokenActor = 'github-actions[bot]';
  /** A personal access token of the user "deploy-bot". */
  patToken = 'ghp_personal_token_0000';
  owner = 'acme';
  repo = 'decisionlog';
  /**
   * Answers given *after* the next writes were applied (a 502 or a reset once the comment, deployment
   * or status exists), to prove a write GitHub did not confirm is looked for before it is re-sent.
   */
  readonly afterApplying: Reply[] = [];
  /** Folder of uploaded artifacts, one sub-folder per artifact name (the workflow executor's). */
  artifactsDir: string | undefined;
  readonly #artifactIds = new Map<string, number>();

  constructor() {
    super();
    this.route('GET', '/repos/:owner/:repo/actions/artifacts', (req) => {
      if (!this.#identity(req)) return this.#unauthorized(req);
      const name = req.query.get('name');
      const all = this.#artifacts().filter((a) => !name || a.name === name);
      const perPage = Number(req.query.get('per_page') ?? 30);
      const page = Number(req.query.get('page') ?? 1);
      return {
        json: {
          total_count: all.length,
          artifacts: all.slice((page - 1) * perPage, page * perPage).map((a) => this.#artifact(a)),
        },
      };
    });
    this.route('GET', '/repos/:owner/:repo/actions/artifacts/:id/:format', (req, p) => {
      if (!this.#identity(req)) return this.#unauthorized(req);
      const a = this.#artifacts().find((x) => x.id === Number(p.id));
      if (!a || p.format !== 'zip')
        return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } };
      // GitHub answers with a short-lived signed URL on its blob storage, fetched without a token.
      return { status: 302, headers: { location: `${this.url}${BLOBS}${a.id}.zip` } };
    });
    this.route('GET', `${BLOBS}:file`, (_req, p) => {
      const a = this.#artifacts().find((x) => `${x.id}.zip` === p.file);
      if (!a) return { status: 404, text: 'BlobNotFound' };
      const files = readdirSync(a.dir).map((f) => ({ name: f, data: readFileSync(join(a.dir, f)) }));
      return { headers: { 'content-type': 'application/zip' }, bytes: storedZip(files) };
    });
    this.route('GET', '/user', (req) => {
      const who = this.#identity(req);
      if (!who) return this.#unauthorized(req);
      if (who.type === 'Bot') {
        return {
          status: 403,
          json: { message: 'Resource not accessible by integration', documentation_url: DOCS },
        };
      }
      return { json: { ...user(who), ...PRIVATE_USER_FIELDS } };
    });
    this.route('GET', '/repos/:owner/:repo/issues/:number/comments', (req, p) => {
      if (!this.#identity(req)) return this.#unauthorized(req);
      const all = this.comments.get(Number(p.number)) ?? [];
      const perPage = Number(req.query.get('per_page') ?? 30);
      const page = Number(req.query.get('page') ?? 1);
      return {
        json: all.slice((page - 1) * perPage, page * perPage).map((c) => this.#comment(c, Number(p.number))),
      };
    });
    this.route('POST', '/repos/:owner/:repo/issues/:number/comments', (req, p) => {
      const who = this.#identity(req);
      if (!who) return this.#unauthorized(req);
      if (who.readOnly) return this.#notAccessible();
      const body = (req.json as { body: string }).body;
      const c = this.addComment(Number(p.number), body, who.login, who.app);
      return this.#applied({ status: 201, json: this.#comment(c, Number(p.number)) });
    });
    this.route('PATCH', '/repos/:owner/:repo/issues/comments/:id', (req, p) => {
      const who = this.#identity(req);
      if (!who) return this.#unauthorized(req);
      if (who.readOnly) return this.#notAccessible();
      for (const [issue, list] of this.comments) {
        const c = list.find((x) => x.id === Number(p.id));
        if (!c) continue;
        c.body = (req.json as { body: string }).body;
        return { json: this.#comment(c, issue) };
      }
      return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } };
    });
    this.route('POST', '/repos/:owner/:repo/deployments', (req) => {
      const who = this.#identity(req);
      if (!who) return this.#unauthorized(req);
      if (who.readOnly) return this.#notAccessible();
      const b = req.json as Partial<Deployment> & { ref: string };
      const d: Deployment = {
        id: this.#nextId++,
        ref: b.ref,
        sha: /^[0-9a-f]{40}$/.test(b.ref) ? b.ref : 'f'.repeat(40),
        environment: b.environment ?? 'production',
        description: b.description ?? null,
        payload: b.payload ?? {},
        transient_environment: Boolean(b.transient_environment),
        production_environment: b.production_environment ?? (b.environment ?? 'production') === 'production',
        created_at: new Date().toISOString(),
        creator: { login: this.tokenActor, type: 'Bot' },
        statuses: [],
      };
      this.deployments.push(d);
      return this.#applied({ status: 201, json: this.#deployment(d) });
    });
    this.route('GET', '/repos/:owner/:repo/deployments', (req) => {
      if (!this.#identity(req)) return this.#unauthorized(req);
      const env = req.query.get('environment');
      const ref = req.query.get('ref');
      const list = this.deployments
        .filter((d) => (!env || d.environment === env) && (!ref || d.ref === ref))
        .slice()
        .reverse()
        .map((d) => this.#deployment(d));
      return { json: list.slice(0, Number(req.query.get('per_page') ?? 30)) };
    });
    this.route('POST', '/repos/:owner/:repo/deployments/:id/statuses', (req, p) => {
      const who = this.#identity(req);
      if (!who) return this.#unauthorized(req);
      if (who.readOnly) return this.#notAccessible();
      const d = this.deployments.find((x) => x.id === Number(p.id));
      if (!d) return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } };
      const { auto_inactive: _a, ...fields } = req.json as { state: string; auto_inactive?: boolean };
      const s = { id: this.#nextId++, ...fields };
      d.statuses.push(s);
      return this.#applied({ status: 201, json: this.#status(d, s) });
    });
    this.route('GET', '/repos/:owner/:repo/deployments/:id/statuses', (req, p) => {
      if (!this.#identity(req)) return this.#unauthorized(req);
      const d = this.deployments.find((x) => x.id === Number(p.id));
      if (!d) return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } };
      return {
        json: d.statuses
          .slice()
          .reverse()
          .map((s) => this.#status(d, s)),
      };
    });
  }

  /** Adds a comment as `author` (e.g. someone planting our marker in their own comment). */
  addComment(issue: number, body: string, author = 'mallory', app: string | null = null): Comment {
    const c: Comment = { id: this.#nextId++, body, author, app };
    const list = this.comments.get(issue) ?? [];
    list.push(c);
    this.comments.set(issue, list);
    return c;
  }

  protected override checkRequest(req: RecordedRequest): Reply | undefined {
    // The blob storage a download redirects to is not the REST API (another host on GitHub).
    if (req.path.startsWith(BLOBS)) return undefined;
    const problems = githubContract().checkRequest(req);
    const auth = req.headers.authorization;
    if (!auth) problems.push(`${req.method} ${req.path}: no Authorization header`);
    else if (!/^(Bearer|token) \S+$/.test(auth)) {
      problems.push(`${req.method} ${req.path}: Authorization is not "Bearer <token>" or "token <token>"`);
    }
    if (problems.length === 0) return undefined;
    this.violations.push(...problems);
    if (!githubContract().match(req.method, req.path)) {
      return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } };
    }
    if (!auth) return this.#unauthorized(req);
    return {
      status: 422,
      json: {
        message: 'Validation Failed',
        errors: problems.map((p) => ({ message: p })),
        documentation_url: DOCS,
      },
    };
  }

  protected override checkAnswer(req: RecordedRequest, reply: Reply): void {
    if (req.path.startsWith(BLOBS)) return;
    this.violations.push(
      ...githubContract().checkResponse(req.method, req.path, reply.status ?? 200, reply.json),
    );
  }

  /** The uploaded artifacts, oldest first; ids stay the same for the stand-in's life. */
  #artifacts(): { id: number; name: string; dir: string; created: Date; bytes: number }[] {
    if (!this.artifactsDir) return [];
    return readdirSync(this.artifactsDir)
      .map((name) => {
        const dir = join(this.artifactsDir as string, name);
        let id = this.#artifactIds.get(name);
        if (id === undefined) {
          id = this.#nextId++;
          this.#artifactIds.set(name, id);
        }
        const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
        return { id, name, dir, created: statSync(dir).mtime, bytes };
      })
      .sort((a, b) => a.created.getTime() - b.created.getTime());
  }

  #artifact(a: { id: number; name: string; created: Date; bytes: number }) {
    const url = `${API}/repos/${this.owner}/${this.repo}/actions/artifacts/${a.id}`;
    const expires = new Date(a.created.getTime() + 7 * 86_400_000);
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.bytes,
      url,
      archive_download_url: `${url}/zip`,
      expired: false,
      created_at: a.created.toISOString(),
      expires_at: expires.toISOString(),
      updated_at: a.created.toISOString(),
    };
  }

  #applied(reply: Reply): Reply {
    return this.afterApplying.shift() ?? reply;
  }

  #identity(req: RecordedRequest): Identity | undefined {
    const token = /^(?:Bearer|token) (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === this.token) return { login: 'github-actions[bot]', type: 'Bot', app: 'github-actions' };
    if (token === this.readOnlyToken)
      return { login: 'github-actions[bot]', type: 'Bot', app: 'github-actions', readOnly: true };
    if (token === this.patToken) return { login: 'deploy-bot', type: 'User', app: null };
    return undefined;
  }

  /** What GitHub answers a token without the permission a write needs. */
  #notAccessible(): Reply {
    return {
      status: 403,
      json: { message: 'Resource not accessible by integration', documentation_url: DOCS },
    };
  }

  #unauthorized(req: RecordedRequest): Reply {
    const message = req.headers.authorization ? 'Bad credentials' : 'Requires authentication';
    return { status: 401, json: { message, documentation_url: DOCS } };
  }

  #comment(c: Comment, issue: number) {
    const repo = `${API}/repos/${this.owner}/${this.repo}`;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue}#issuecomment-${c.id}`,
      issue_url: `${repo}/issues/${issue}`,
      body: c.body,
      user: user(identityOf(c.author, c.app)),
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      author_association: c.app ? 'NONE' : 'CONTRIBUTOR',
      performed_via_github_app: c.app ? app(c.app) : null,
    };
  }

  #deployment(d: Deployment) {
    const repo = `${API}/repos/${this.owner}/${this.repo}`;
    return {
      url: `${repo}/deployments/${d.id}`,
      id: d.id,
      node_id: `DE_${d.id}`,
      sha: d.sha,
      ref: d.ref,
      task: 'deploy',
      payload: d.payload as Record<string, unknown>,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      // Who created the record: the job token's bot unless a test seeded another account.
      creator: user(
        d.creator && d.creator.login !== 'github-actions[bot]'
          ? { login: d.creator.login, type: d.creator.type === 'Bot' ? 'Bot' : 'User', app: null }
          : { login: 'github-actions[bot]', type: 'Bot', app: 'github-actions' },
      ),
      created_at: d.created_at,
      updated_at: d.created_at,
      statuses_url: `${repo}/deployments/${d.id}/statuses`,
      repository_url: repo,
      transient_environment: d.transient_environment,
      production_environment: d.production_environment,
    };
  }

  #status(d: Deployment, s: Deployment['statuses'][number]) {
    const repo = `${API}/repos/${this.owner}/${this.repo}`;
    return {
      url: `${repo}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: `DES_${s.id}`,
      state: s.state,
      creator: user({ login: 'github-actions[bot]', type: 'Bot', app: 'github-actions' }),
      description: s.description ?? '',
      environment: d.environment,
      // GitHub's schema types these as URIs; an unset one is left out rather than sent as "".
      target_url: s.log_url ?? `https://github.com/${this.owner}/${this.repo}/deployments`,
      ...(s.log_url ? { log_url: s.log_url } : {}),
      ...(s.environment_url ? { environment_url: s.environment_url } : {}),
      deployment_url: `${repo}/deployments/${d.id}`,
      repository_url: repo,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
  }
}

function identityOf(login: string, appSlug: string | null): Identity {
  return { login, type: login.endsWith('[bot]') ? 'Bot' : 'User', app: appSlug };
}

/** GitHub's simple-user object. */
function user(who: Identity) {
  const id = [...who.login].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1e8, 7);
  const u = `${API}/users/${encodeURIComponent(who.login)}`;
  return {
    login: who.login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
    gravatar_id: '',
    url: u,
    html_url: `https://github.com/${encodeURIComponent(who.login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: who.type,
    site_admin: false,
  };
}

/** The extra fields of GET /user for the token's own account. */
const PRIVATE_USER_FIELDS = {
  user_view_type: 'private',
  name: 'Deploy Bot',
  company: null,
  blog: '',
  location: null,
  email: null,
  hireable: null,
  bio: null,
  public_repos: 0,
  public_gists: 0,
  followers: 0,
  following: 0,
  created_at: '2020-01-01T00:00:00Z',
  updated_at: '2020-01-01T00:00:00Z',
  private_gists: 0,
  total_private_repos: 0,
  owned_private_repos: 0,
  disk_usage: 0,
  collaborators: 0,
  two_factor_authentication: true,
};

/** GitHub's integration object for `performed_via_github_app`. */
function app(slug: string) {
  return {
    id: 15368,
    slug,
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: user({ login: 'github', type: 'User', app: null }),
    name: slug === 'github-actions' ? 'GitHub Actions' : slug,
    description: null,
    external_url: 'https://help.github.com/en/actions',
    html_url: `https://github.com/apps/${slug}`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2019-12-10T19:04:12Z',
    permissions: { issues: 'write', deployments: 'write' },
    events: [],
  };
}
