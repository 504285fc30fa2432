import type { RailwayDeployment } from './status.js';

/** Statuses a deployment can have served from: SUCCESS now, or REMOVED after a newer one replaced it. */
const SERVED = new Set(['SUCCESS', 'REMOVED']);
/** Deployments that count as "what is live now" when looking for the one that served before. */
const LIVE = new Set(['SUCCESS', 'SLEEPING', 'CRASHED']);

function newestFirst(deployments: readonly RailwayDeployment[]): RailwayDeployment[] {
  return [...deployments].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1),
  );
}

/** Can Railway roll back to this deployment at all? */
export function isRollbackCandidate(d: RailwayDeployment): boolean {
  return SERVED.has(d.status) && d.canRollback;
}

/**
 * The deployment to roll back to: the newest deployment older than `currentId` that served
 * (SUCCESS, or REMOVED because a newer one replaced it) and whose image Railway still keeps
 * (`canRollback`); never one that FAILED, CRASHED or was SKIPPED. When our GitHub Deployment records
 * name a deployment that was good (`goodFromGitHub`) and it qualifies, that one wins.
 * `currentId` missing from the list (e.g. not created yet) means every listed deployment is older.
 */
export function pickRollbackTarget(
  deployments: readonly RailwayDeployment[],
  currentId: string | undefined,
  goodFromGitHub?: string,
): RailwayDeployment | undefined {
  const sorted = newestFirst(deployments);
  const currentIndex = currentId === undefined ? -1 : sorted.findIndex((d) => d.id === currentId);
  const older = currentIndex < 0 ? sorted.filter((d) => d.id !== currentId) : sorted.slice(currentIndex + 1);
  const candidates = older.filter(isRollbackCandidate);
  if (goodFromGitHub !== undefined) {
    const preferred = candidates.find((d) => d.id === goodFromGitHub);
    if (preferred) return preferred;
  }
  return candidates[0];
}

/**
 * After a rollback to `target`, the next rollback target: the deployment that served before the
 * target, by the same rules as `pickRollbackTarget`, never the one rolled back from (it is what went
 * wrong). `target` is counted even when it is older than the listed deployments.
 */
export function rollbackTargetAfterRollback(
  deployments: readonly RailwayDeployment[],
  target: RailwayDeployment,
  rolledBackFromId: string | undefined,
  goodFromGitHub?: string,
): RailwayDeployment | undefined {
  const others = deployments.filter((d) => d.id !== rolledBackFromId && d.id !== target.id);
  return pickRollbackTarget([...others, target], target.id, goodFromGitHub);
}

/** The deployment that is live now: the newest SUCCESS/SLEEPING/CRASHED one, else the newest of all. */
export function currentDeployment(deployments: readonly RailwayDeployment[]): RailwayDeployment | undefined {
  const sorted = newestFirst(deployments);
  return sorted.find((d) => LIVE.has(d.status)) ?? sorted[0];
}

/**
 * Why an explicitly requested rollback target cannot be used, or undefined when it can.
 * The sentence is the user's error message.
 */
export function explainUnusableTarget(
  target: RailwayDeployment,
  serviceId: string,
  environmentId: string,
): string | undefined {
  if (target.serviceId !== serviceId) {
    return `Deployment ${target.id} belongs to service ${target.serviceId ?? 'unknown'}, not to service-id ${serviceId}: pass a deployment of this service as rollback-to, or leave it empty to use the previous good deployment.`;
  }
  if (target.environmentId !== environmentId) {
    return `Deployment ${target.id} belongs to environment ${target.environmentId}, not to environment-id ${environmentId}: pass a deployment of this environment as rollback-to.`;
  }
  if (!SERVED.has(target.status)) {
    return `Deployment ${target.id} is ${target.status}, so it never served traffic and is no safe rollback target: pick a deployment that was SUCCESS (now SUCCESS or REMOVED).`;
  }
  if (!target.canRollback) {
    return `Railway can no longer roll back to deployment ${target.id}: its image is past Railway's retention (24 h Free, 72 h Hobby, 120 h Pro, 360 h Enterprise), so deploy that commit again instead.`;
  }
  return undefined;
}
