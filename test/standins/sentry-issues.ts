/**
 * Sentry *issues* API stand-in: "List an Organization's Issues" (GET /api/0/organizations/{org}/issues/)
 * with `project=<slug>` filters, the `firstRelease:` search, cursor pagination through the Link
 * header, and Sentry's error bodies: 401 for a bad token, 403 for a token without the scope or a
 * project it cannot see, 404 for an unknown organization. Requests are checked against the Sentry
 * contract extract (test/contracts/sentry.json): the deprecated project issues endpoint is not in it,
 * so calling it is a violation (404 here, and the test fails). Answers carry the documented issue shape.
 */
import { extractContract } from '../contracts/openapi.js';
import { type RecordedRequest, type Reply, StandIn } from './server.js';

export interface FakeIssue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  permalink: string;
  firstRelease: string;
  count: string;
  status: 'unresolved' | 'resolved' | 'ignored';
  /** Slug of the project it belongs to. */
  project: string;
}

const sentry = extractContract('sentry');

export class SentryIssuesStandIn extends StandIn {
  /** Accepted token (event:read). */
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
    this.route('GET', '/api/0/organizations/:org/issues', (req, p) => {
      const auth = req.headers.authorization;
      if (!auth) return { status: 401, json: { detail: 'Authentication credentials were not provided.' } };
      if (auth === `Bearer ${this.scopelessToken}`) {
        return { status: 403, json: { detail: 'You do not have permission to perform this action.' } };
      }
      if (auth !== `Bearer ${this.token}`) return { status: 401, json: { detail: 'Invalid token' } };
      const known = this.projects.get(p.org ?? '');
      if (!known) return { status: 404, json: { detail: 'The requested resource does not exist' } };
      const wanted = req.query.getAll('project').filter((x) => x !== '-1');
      // Sentry refuses a project filter naming a project the token cannot see.
      if (wanted.some((x) => !known.has(x))) {
        return { status: 403, json: { detail: 'You do not have permission to perform this action.' } };
      }
      const query = req.query.get('query') ?? 'is:unresolved';
      const release = /firstRelease:(?:"([^"]*)"|(\S+))/.exec(query);
      let list = this.issues.filter((i) => wanted.length === 0 || wanted.includes(i.project));
      if (release) list = list.filter((i) => i.firstRelease === (release[1] ?? release[2]));
      if (/is:unresolved/.test(query)) list = list.filter((i) => i.status === 'unresolved');
      const offset = Number((req.query.get('cursor') ?? '0:0:0').split(':')[1] ?? 0);
      const page = list.slice(offset, offset + this.pageSize);
      const more = offset + this.pageSize < list.length;
      const base = new URLSearchParams(req.query);
      base.delete('cursor');
      const at = (cursor: string) => `${this.url}${req.path}?${base}&cursor=${cursor}`;
      const prev = `0:${Math.max(0, offset - this.pageSize)}:1`;
      const next = `0:${offset + this.pageSize}:0`;
      const link = [
        `<${at(prev)}>; rel="previous"; results="${offset > 0}"; cursor="${prev}"`,
        `<${at(next)}>; rel="next"; results="${more}"; cursor="${next}"`,
      ].join(', ');
      return { json: page.map(documented), headers: { link } };
    });
  }

  protected override checkRequest(req: RecordedRequest): Reply | undefined {
    const problems = sentry.checkRequest(req);
    if (problems.length === 0) return undefined;
    this.violations.push(...problems);
    if (!sentry.match(req.method, req.path)) {
      return { status: 404, json: { detail: 'The requested resource does not exist' } };
    }
    return { status: 400, json: { detail: problems.join('; ') } };
  }

  protected override checkAnswer(req: RecordedRequest, reply: Reply): void {
    this.violations.push(...sentry.checkResponse(req.method, req.path, reply.status ?? 200, reply.json));
  }

  /** Adds `n` issues first seen in `release`, in `project` (default: the first one of "acme"). */
  addIssues(
    release: string,
    n: number,
    status: FakeIssue['status'] = 'unresolved',
    project = [...(this.projects.get('acme') ?? [])][0] ?? 'decisionlog',
  ): FakeIssue[] {
    const added: FakeIssue[] = [];
    for (let i = 0; i < n; i++) {
      const id = String(this.#next++);
      const issue: FakeIssue = {
        id,
        shortId: `${project.toUpperCase()}-${id}`,
        title: `TypeError: cannot read properties of undefined (#${id})`,
        culprit: 'routes/decisions.ts in list',
        permalink: `https://acme.sentry.io/issues/${id}/`,
        firstRelease: release,
        count: String(3 * (i + 1)),
        status,
        project,
      };
      this.issues.push(issue);
      added.push(issue);
    }
    return added;
  }
}

/** The issue as Sentry's organization issues endpoint documents it (every required field). */
function documented(i: FakeIssue) {
  const seen = '2026-01-01T00:00:00Z';
  return {
    id: i.id,
    shortId: i.shortId,
    title: i.title,
    culprit: i.culprit,
    permalink: i.permalink,
    count: i.count,
    status: i.status,
    substatus: i.status === 'unresolved' ? 'new' : null,
    level: 'error',
    type: 'error',
    issueType: 'error',
    issueCategory: 'error',
    platform: 'node',
    logger: null,
    shareId: null,
    firstSeen: seen,
    lastSeen: seen,
    userCount: 1,
    numComments: 0,
    sessionCount: 0,
    hasSeen: false,
    isBookmarked: false,
    isPublic: false,
    isSubscribed: false,
    isUnhandled: true,
    latestEventHasAttachments: false,
    assignedTo: null,
    annotations: [],
    integrationIssues: [],
    sentryAppIssues: [],
    metadata: { type: 'TypeError', value: 'cannot read properties of undefined' },
    stats: {},
    lifetime: {},
    filtered: null,
    statusDetails: {},
    subscriptionDetails: null,
    matchingEventEnvironment: null,
    matchingEventId: null,
    priority: 'high',
    priorityLockedAt: null,
    seerAutofixLastTriggered: null,
    seerExplorerAutofixLastTriggered: null,
    seerFixabilityScore: null,
    owners: { type: 'ownershipRule', owner: 'team:1', date_added: seen },
    inbox: { reason: 0, reason_details: null, date_added: seen },
    derivedData: {
      blocker: '',
      progress: '',
      status: '',
      viewCount: 0,
      hasOpenFixPr: false,
      isAssigned: false,
      hasRootCause: false,
      lastCompletedAutofixStep: '',
      lastProgressedAt: null,
    },
    project: { id: String(100 + i.project.length), name: i.project, slug: i.project, platform: 'node' },
  };
}
