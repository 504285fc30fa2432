/**
 * Sentry *issues* API stand-in: "List a Project's Issues" (GET /api/0/projects/{org}/{project}/issues/)
 * with the `firstRelease:` search, cursor pagination through the Link header, and Sentry's error
 * bodies: 401 for a bad token, 403 for a token without the scopes, 404 for an unknown org/project.
 */
import { StandIn } from './server.js';

export interface FakeIssue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  permalink: string;
  firstRelease: string;
  count: string;
  status: 'unresolved' | 'resolved' | 'ignored';
}

export class SentryIssuesStandIn extends StandIn {
  /** Accepted token (event:read + project:read). */
  token = 'sntrys_issues_standin_token_0000';
  /** A valid token without the scopes to read issues: 403. */
  scopelessToken = 'sntryu_no_scopes_token_0000';
  /** org slug → project slugs that exist. */
  readonly projects = new Map<string, Set<string>>([['acme', new Set(['decisionlog'])]]);
  readonly issues: FakeIssue[] = [];
  /** Issues per page (Sentry's default is 100 for this endpoint). */
  pageSize = 100;
  #next = 1;

  constructor() {
    super();
    this.route('GET', '/api/0/projects/:org/:project/issues', (req, p) => {
      const auth = req.headers.authorization;
      if (!auth) return { status: 401, json: { detail: 'Authentication credentials were not provided.' } };
      if (auth === `Bearer ${this.scopelessToken}`) {
        return { status: 403, json: { detail: 'You do not have permission to perform this action.' } };
      }
      if (auth !== `Bearer ${this.token}`) return { status: 401, json: { detail: 'Invalid token' } };
      if (!this.projects.get(p.org ?? '')?.has(p.project ?? '')) {
        return { status: 404, json: { detail: 'The requested resource does not exist' } };
      }
      const query = req.query.get('query') ?? 'is:unresolved';
      const release = /firstRelease:(?:"([^"]*)"|(\S+))/.exec(query);
      let list = this.issues;
      if (release) list = list.filter((i) => i.firstRelease === (release[1] ?? release[2]));
      if (!release && /is:unresolved/.test(query)) list = list.filter((i) => i.status === 'unresolved');
      const offset = Number((req.query.get('cursor') ?? '0:0:0').split(':')[1] ?? 0);
      const page = list.slice(offset, offset + this.pageSize);
      const more = offset + this.pageSize < list.length;
      const base = `${this.url}${req.path}?${new URLSearchParams({ query })}`;
      const prev = `0:${Math.max(0, offset - this.pageSize)}:1`;
      const next = `0:${offset + this.pageSize}:0`;
      const link = [
        `<${base}&cursor=${prev}>; rel="previous"; results="${offset > 0}"; cursor="${prev}"`,
        `<${base}&cursor=${next}>; rel="next"; results="${more}"; cursor="${next}"`,
      ].join(', ');
      return { json: page, headers: { link } };
    });
  }

  /** Adds `n` issues first seen in `release`. */
  addIssues(release: string, n: number, status: FakeIssue['status'] = 'unresolved'): FakeIssue[] {
    const added: FakeIssue[] = [];
    for (let i = 0; i < n; i++) {
      const id = String(this.#next++);
      const issue: FakeIssue = {
        id,
        shortId: `DECISIONLOG-${id}`,
        title: `TypeError: cannot read properties of undefined (#${id})`,
        culprit: 'routes/decisions.ts in list',
        permalink: `https://acme.sentry.io/issues/${id}/`,
        firstRelease: release,
        count: String(3 * (i + 1)),
        status,
      };
      this.issues.push(issue);
      added.push(issue);
    }
    return added;
  }
}
