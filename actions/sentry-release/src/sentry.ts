import { UnconfirmedWrite, UserError } from '../../../lib/errors.js';
import { excerpt, type HttpResponse, http, type RetryInfo } from '../../../lib/http.js';
import { detailOf } from '../../../lib/sentry.js';

/** What a call was for, so an error can say what failed and what to check. */
export interface CallContext {
  /** e.g. "create release 1.4.2". */
  what: string;
  org: string;
  projects: string[];
  baseUrl: string;
}

/** A thin client for the three release endpoints; every non-2xx answer becomes one sentence. */
export class SentryApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly onRetry?: (info: RetryInfo) => void,
  ) {}

  async call<T>(
    method: string,
    path: string,
    json: unknown,
    ctx: CallContext,
    how: { mutation?: boolean; notFoundOk?: boolean } = {},
  ): Promise<{ status: number; body: T }> {
    const res = await http(`${this.baseUrl}${path}`, {
      method,
      json,
      mutation: how.mutation ?? false,
      service: 'Sentry API',
      timeoutMs: 20_000,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
      ...(this.onRetry ? { onRetry: this.onRetry } : {}),
    });
    if (res.status >= 200 && res.status < 300) {
      try {
        return { status: res.status, body: (res.text ? res.json() : {}) as T };
      } catch {
        throw new UserError(
          `Sentry answered ${ctx.what} with something that is not JSON (${excerpt(res.text, 80)}): check that url points at Sentry (${ctx.baseUrl}).`,
        );
      }
    }
    if (how.notFoundOk && res.status === 404) return { status: 404, body: {} as T };
    if (how.mutation && res.status >= 500) {
      throw new UnconfirmedWrite(
        `Sentry answered ${ctx.what} with HTTP ${res.status}: it may or may not have been applied.`,
      );
    }
    throw new UserError(sentryErrorSentence(res, ctx));
  }
}

/** One sentence per failure: what Sentry said, why, and what to change. */
export function sentryErrorSentence(
  res: Pick<HttpResponse, 'status' | 'text' | 'attempts'>,
  ctx: CallContext,
): string {
  const said = detailOf(res.text);
  const prefix = `Sentry refused to ${ctx.what} (HTTP ${res.status}${said ? `: ${said}` : ''})`;
  switch (true) {
    case res.status === 401:
      return `${prefix}: the auth-token is missing, wrong or revoked; create a token with the project:releases and org:read scopes and store it as the secret passed to auth-token.`;
    case res.status === 403:
      return `${prefix}: the auth-token lacks the project:releases scope (and org:read) or access to organization "${ctx.org}"; create a token with those scopes.`;
    case res.status === 404:
      return `${prefix}: no organization "${ctx.org}" that this token can see at ${ctx.baseUrl}; check the org slug (it is in your Sentry URL) and, for self-hosted Sentry, the url input.`;
    case res.status === 400 && /Invalid project/i.test(res.text):
      return `${prefix}: organization "${ctx.org}" has no project ${ctx.projects.map((p) => `"${p}"`).join(' or ')} this token can see; check the projects input against Settings → Projects.`;
    case res.status === 400 && /"refs"/.test(res.text):
      return `${prefix}: Sentry cannot read commits from that repository; connect it through Sentry's GitHub integration (Settings → Integrations) or leave repository empty.`;
    case res.status === 409:
      return `${prefix}: another job is changing this release at the same time; re-run the job.`;
    case res.status === 429:
      return `${prefix}: Sentry is rate limiting this token and asked to wait longer than we do; re-run the job in a minute.`;
    case res.status >= 500:
      return `${prefix} after ${res.attempts} attempts: Sentry may be down (see status.sentry.io); re-run the job.`;
    default:
      return `${prefix}: check the inputs named in Sentry's answer.`;
  }
}
