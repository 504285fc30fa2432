import type { GitHubApi } from '../../../lib/github.js';

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
export const DEFAULT_TRUSTED_CREATORS = ['github-actions[bot]'];

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

/** Thin GitHub Deployments I/O for one repository and environment. */
export class DeploymentRecords {
  constructor(
    private readonly api: GitHubApi,
    private readonly repository: string,
    readonly environment: string,
  ) {}

  /** Our newest records in this environment (newest first), each with its verdict. */
  async list(limit = 10): Promise<DeploymentRecord[]> {
    const list = await this.api.call<GitHubDeployment[]>(
      'GET',
      `/repos/${this.repository}/deployments?environment=${encodeURIComponent(this.environment)}&per_page=${limit}`,
    );
    const records: DeploymentRecord[] = [];
    for (const d of list) {
      const railwayDeploymentId = railwayIdOf(d.payload);
      if (!railwayDeploymentId) continue;
      const statuses = await this.api.call<GitHubStatus[]>(
        'GET',
        `/repos/${this.repository}/deployments/${d.id}/statuses?per_page=20`,
      );
      records.push({
        id: d.id,
        railwayDeploymentId,
        verdict: verdictOf(statuses),
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
    const created = await this.api.call<{ id: number }>('POST', `/repos/${this.repository}/deployments`, {
      ref,
      environment: this.environment,
      description,
      auto_merge: false,
      required_contexts: [],
      payload: { railwayDeploymentId, railwayServiceId: serviceId },
    });
    return created.id;
  }

  async status(
    id: number,
    state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive',
    extra: { description?: string; environmentUrl?: string; logUrl?: string } = {},
  ): Promise<void> {
    await this.api.call('POST', `/repos/${this.repository}/deployments/${id}/statuses`, {
      state,
      description: extra.description?.slice(0, 140),
      environment_url: extra.environmentUrl || undefined,
      log_url: extra.logUrl,
      // We mark the replaced deployment inactive ourselves, only once the new one is SUCCESS.
      auto_inactive: false,
    });
  }
}
