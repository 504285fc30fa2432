import { sendAtMostOnce } from '../../../lib/errors.js';
import { ACTIONS_BOT, type GitHubApi, repoParams } from '../../../lib/github.js';

/** One of our GitHub Deployment records, with the Railway deployment it stands for. */
export interface DeploymentRecord {
  id: number;
  railwayDeploymentId: string | undefined;
  /** The newest status that is not `inactive` (inactive only means "replaced"). */
  verdict: string | undefined;
  /** Login of the account that created the record (`creator.login`), e.g. `github-actions[bot]`. */
  creator: string | undefined;
}

interface GitHubDeployment {
  id: number;
  payload?: unknown;
  creator?: { login?: string } | null;
}

/** Who creates our records with the default job token (`GITHUB_TOKEN` acts as this app's bot). */
export const DEFAULT_TRUSTED_CREATORS = [ACTIONS_BOT];

/**
 * Splits records into the ones our own token created (they may steer the rollback target) and the
 * others: anyone with write access can create a "successful" Deployment naming any Railway
 * deployment, and must not choose what production rolls back to. Logins compare case-insensitively.
 */
export function byTrustedCreator(
  records: readonly DeploymentRecord[],
  trusted: readonly string[],
): { trusted: DeploymentRecord[]; ignored: DeploymentRecord[] } {
  const allowed = new Set(trusted.map((t) => t.toLowerCase()));
  const out = { trusted: [] as DeploymentRecord[], ignored: [] as DeploymentRecord[] };
  for (const r of records)
    (r.creator && allowed.has(r.creator.toLowerCase()) ? out.trusted : out.ignored).push(r);
  return out;
}

interface GitHubStatus {
  state: string;
}

/** Newest-first statuses → the last real verdict: a replaced deployment stays "success" underneath its inactive. */
export function verdictOf(statusesNewestFirst: readonly GitHubStatus[]): string | undefined {
  return statusesNewestFirst.find((s) => s.state !== 'inactive')?.state;
}

export function railwayIdOf(payload: unknown): string | undefined {
  const p = typeof payload === 'string' ? safeJson(payload) : payload;
  const id = (p as { railwayDeploymentId?: unknown } | null | undefined)?.railwayDeploymentId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The newest record whose verdict is success and that is not `excludeRailwayId`. */
export function lastGood(
  records: readonly DeploymentRecord[],
  excludeRailwayId?: string,
): DeploymentRecord | undefined {
  return records.find(
    (r) => r.verdict === 'success' && r.railwayDeploymentId && r.railwayDeploymentId !== excludeRailwayId,
  );
}

type State = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/**
 * Thin GitHub Deployments I/O for one repository and environment. Creating a deployment or a status
 * is sent once; when GitHub does not confirm it (5xx, reset, timeout) we list what exists and adopt
 * ours before sending it again, so a rollback never meets two records for one Railway deployment.
 */
export class DeploymentRecords {
  constructor(
    private readonly api: GitHubApi,
    private readonly repository: string,
    readonly environment: string,
  ) {}

  /** Our newest records in this environment (newest first), each with its verdict. */
  async list(limit = 10): Promise<DeploymentRecord[]> {
    const list = await this.#deployments({ per_page: limit });
    const records: DeploymentRecord[] = [];
    for (const d of list) {
      const railwayDeploymentId = railwayIdOf(d.payload);
      if (!railwayDeploymentId) continue;
      records.push({
        id: d.id,
        railwayDeploymentId,
        verdict: verdictOf(await this.#statuses(d.id)),
        creator: typeof d.creator?.login === 'string' ? d.creator.login : undefined,
      });
    }
    return records;
  }

  async create(
    ref: string,
    railwayDeploymentId: string,
    description: string,
    serviceId: string,
  ): Promise<number> {
    const send = () =>
      this.api.request<{ id: number }>(
        'POST /repos/{owner}/{repo}/deployments',
        {
          ...repoParams(this.repository),
          ref,
          environment: this.environment,
          description,
          auto_merge: false,
          required_contexts: [],
          payload: { railwayDeploymentId, railwayServiceId: serviceId },
        },
        { mutation: true, what: 'create the GitHub Deployment' },
      );
    const created = await sendAtMostOnce(send, {
      find: async () =>
        (await this.#deployments({ ref, per_page: 30 })).find(
          (d) => railwayIdOf(d.payload) === railwayDeploymentId,
        ),
      log: (m) => this.api.log(m),
      looking: 'Looking for it among the GitHub Deployments before creating it again.',
      found: (d) =>
        `GitHub Deployment ${d.id} for Railway deployment ${railwayDeploymentId} exists; using it.`,
      notFound: 'It was not created; creating it once more.',
    });
    return created.id;
  }

  async status(
    id: number,
    state: State,
    extra: { description?: string; environmentUrl?: string; logUrl?: string } = {},
  ): Promise<void> {
    const description = extra.description?.slice(0, 140);
    const send = () =>
      this.api.request(
        'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        {
          ...repoParams(this.repository),
          deployment_id: id,
          state,
          ...(description !== undefined ? { description } : {}),
          ...(extra.environmentUrl ? { environment_url: extra.environmentUrl } : {}),
          ...(extra.logUrl ? { log_url: extra.logUrl } : {}),
          // We mark the replaced deployment inactive ourselves, only once the new one is SUCCESS.
          auto_inactive: false,
        },
        { mutation: true, what: `set GitHub Deployment ${id} to ${state}` },
      );
    const sent = async (): Promise<true> => {
      await send();
      return true;
    };
    await sendAtMostOnce(sent, {
      find: async () => {
        const newest = (await this.#statuses(id))[0] as (GitHubStatus & { description?: string }) | undefined;
        const already =
          newest?.state === state && (description === undefined || newest.description === description);
        return already || undefined;
      },
      log: (m) => this.api.log(m),
      looking: 'Reading its statuses before sending it again.',
      found: () => `GitHub Deployment ${id} is already ${state}; not sending it again.`,
      notFound: `GitHub Deployment ${id} is not ${state}; sending it once more.`,
    });
  }

  #deployments(query: { ref?: string; per_page: number }): Promise<GitHubDeployment[]> {
    return this.api.request<GitHubDeployment[]>(
      'GET /repos/{owner}/{repo}/deployments',
      { ...repoParams(this.repository), environment: this.environment, ...query },
      { what: 'list GitHub Deployments' },
    );
  }

  #statuses(id: number): Promise<GitHubStatus[]> {
    return this.api.request<GitHubStatus[]>(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { ...repoParams(this.repository), deployment_id: id, per_page: 20 },
      { what: `read the statuses of GitHub Deployment ${id}` },
    );
  }
}
