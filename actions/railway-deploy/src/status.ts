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

export type StatusClass = 'succeeded' | 'failed' | 'in-progress';

const SUCCEEDED = new Set(['SUCCESS', 'SLEEPING']);
const FAILED = new Set(['FAILED', 'CRASHED', 'REMOVED', 'REMOVING', 'SKIPPED']);
const IN_PROGRESS = new Set(['QUEUED', 'WAITING', 'INITIALIZING', 'BUILDING', 'DEPLOYING', 'NEEDS_APPROVAL']);

/**
 * SUCCESS (and SLEEPING: a serverless service that went idle after it served) is the good end;
 * FAILED/CRASHED/SKIPPED, or REMOVED/REMOVING for a deployment we are still waiting on, is the bad end;
 * everything else, including a status Railway adds later, keeps us waiting.
 */
export function classifyStatus(status: string): StatusClass {
  if (SUCCEEDED.has(status)) return 'succeeded';
  if (FAILED.has(status)) return 'failed';
  return 'in-progress';
}

export function isKnownStatus(status: string): boolean {
  return SUCCEEDED.has(status) || FAILED.has(status) || IN_PROGRESS.has(status);
}

/** The image a deployment runs, as Railway records it in the deployment's meta. */
export function deployedImage(meta: Record<string, unknown> | null | undefined): string | undefined {
  if (!meta) return undefined;
  if (typeof meta.image === 'string') return meta.image;
  const manifest = meta.serviceManifest as { source?: { image?: unknown } } | undefined;
  return typeof manifest?.source?.image === 'string' ? manifest.source.image : undefined;
}

/** An image deploy only counts when the deployment really runs that image (a tag without registry still matches). */
export function imageMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  const strip = (s: string) => s.trim().replace(/^docker\.io\/(library\/)?/, '');
  return strip(expected) === strip(actual);
}
