/** What a Railway deployment status means for a step that waits on it. */

/** A Railway deployment as this action reads it (see documents.ts). */
export interface RailwayDeployment {
  id: string;
  status: string;
  createdAt: string;
  canRollback: boolean;
  meta: Record<string, unknown> | null;
  staticUrl: string | null;
  url: string | null;
  serviceId: string | null;
  environmentId: string;
}

export type StatusClass = 'succeeded' | 'failed' | 'skipped' | 'in-progress';

const SUCCEEDED = new Set(['SUCCESS', 'SLEEPING']);
const FAILED = new Set(['FAILED', 'CRASHED', 'REMOVED', 'REMOVING']);
const IN_PROGRESS = new Set(['QUEUED', 'WAITING', 'INITIALIZING', 'BUILDING', 'DEPLOYING', 'NEEDS_APPROVAL']);

/**
 * SUCCESS (and SLEEPING: a serverless service that went idle after it served) is the good end;
 * FAILED/CRASHED, or REMOVED/REMOVING for a deployment we are still waiting on, is the bad end;
 * SKIPPED is its own end: Railway decided not to deploy it at all, so it never serves;
 * everything else, including a status Railway adds later, keeps us waiting.
 */
export function classifyStatus(status: string): StatusClass {
  if (SUCCEEDED.has(status)) return 'succeeded';
  if (FAILED.has(status)) return 'failed';
  if (status === 'SKIPPED') return 'skipped';
  return 'in-progress';
}

export function isKnownStatus(status: string): boolean {
  return SUCCEEDED.has(status) || FAILED.has(status) || IN_PROGRESS.has(status) || status === 'SKIPPED';
}

/**
 * What Railway is waiting for while a deployment holds, for the log line of that status; empty for
 * statuses that hold nothing. WAITING is "Wait for CI" (github-autodeploys.md: deployments wait
 * while the commit's GitHub workflows run, and are SKIPPED if one fails); NEEDS_APPROVAL is named
 * only in the schema's DeploymentStatus enum, and holds the deployment until someone approves it.
 */
export function holdReason(status: string): string {
  switch (status) {
    case 'WAITING':
      return 'Railway holds it until the GitHub workflows of this commit succeed (the service\'s "Wait for CI" setting) and skips it if one fails; if this workflow is one of them, it waits for itself until the timeout, so deploy from a workflow Railway does not wait for or turn Wait for CI off';
    case 'NEEDS_APPROVAL':
      return 'Railway holds it until someone approves the deployment in the Railway dashboard';
    default:
      return '';
  }
}

/** Why Railway skips a deployment (github-autodeploys.md), for the failure sentence. */
export const SKIP_REASON =
  'with "Wait for CI" on, a GitHub workflow of this commit failed, or no file under the service\'s watch paths changed';
