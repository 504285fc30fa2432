import { UserError } from '../../../lib/errors.js';
import type { Inputs } from '../../../lib/inputs.js';
import { DEFAULT_TRUSTED_CREATORS } from './github-deployments.js';
import type { TokenType } from './railway.js';

export const RESTART_POLICIES = ['ALWAYS', 'NEVER', 'ON_FAILURE'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** Settings applied with serviceInstanceUpdate before a deploy (Railway stops reading railway.json). */
export interface ServiceSettings {
  image?: string;
  healthcheckPath?: string;
  healthcheckTimeoutSeconds?: number;
  numReplicas?: number;
  restartPolicy?: RestartPolicy;
}

export interface Config {
  token: string;
  tokenType: TokenType;
  apiUrl: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  command: 'deploy' | 'rollback' | 'status';
  commitSha?: string;
  settings: ServiceSettings;
  rollbackTo?: string;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  github?: { token: string; environment: string };
  /** Copy the failed deployment's log lines into the job summary (they may hold production data). */
  logsInSummary: boolean;
  /** GitHub logins whose Deployment records may choose the rollback target. */
  trustedCreators: string[];
}

const MIN_POLL_MS = 100;

/** Reads and checks every input before anything touches Railway, so a typo fails in milliseconds. */
export function readConfig(inputs: Inputs): Config {
  const token = inputs.required('token', {
    hint: 'a Railway project token, or an account token with token-type: account',
  });
  const tokenType = inputs.choice('token-type', ['project', 'account'] as const, 'project');
  const apiUrl = inputs.url('api-url') ?? 'https://backboard.railway.com/graphql/v2';
  const projectId = inputs.required('project-id');
  const environmentId = inputs.required('environment-id');
  const serviceId = inputs.required('service-id');
  const command = inputs.choice('command', ['deploy', 'rollback', 'status'] as const, 'deploy');
  const commitSha = inputs.optional('commit-sha');
  const image = inputs.optional('image');
  const rollbackTo = inputs.optional('rollback-to');
  const healthcheckPath = inputs.optional('healthcheck-path');
  const healthcheckTimeoutMs = inputs.duration('healthcheck-timeout');
  const numReplicas = inputs.int('num-replicas', undefined, { min: 1, max: 50 });
  const restartRaw = inputs.optional('restart-policy');
  const restartPolicy = restartRaw === undefined ? undefined : restartPolicyOf(restartRaw);
  const wait = inputs.bool('wait', true);
  const timeoutMs = inputs.duration('timeout', '15m');
  const pollIntervalMs = inputs.duration('poll-interval', '2s');
  const githubToken = inputs.optional('github-token');
  const environment = inputs.optional('environment');
  const logsInSummary = inputs.bool('logs-in-summary', false);
  const trusted = inputs.list('trusted-deployment-creators', { commas: true });

  if (commitSha && image) {
    throw new UserError(
      'Inputs "commit-sha" and "image" were both set: a deploy uses either a commit of the connected repo or an image, so set only one.',
    );
  }
  if (commitSha && !/^[0-9a-f]{40}$/i.test(commitSha)) {
    throw new UserError(
      `Input "commit-sha" must be a full 40-character commit SHA (Railway cannot fetch short SHAs), not "${commitSha}".`,
    );
  }
  if (healthcheckPath && !healthcheckPath.startsWith('/')) {
    throw new UserError(
      `Input "healthcheck-path" must start with "/", like /health, not "${healthcheckPath}".`,
    );
  }
  if (healthcheckTimeoutMs !== undefined && healthcheckTimeoutMs < 1000) {
    throw new UserError(
      'Input "healthcheck-timeout" must be at least 1s: Railway counts it in whole seconds.',
    );
  }
  if (pollIntervalMs < MIN_POLL_MS) {
    throw new UserError(
      `Input "poll-interval" must be at least ${MIN_POLL_MS}ms so polling stays within Railway's rate limits.`,
    );
  }
  if (timeoutMs <= 0) throw new UserError('Input "timeout" must be longer than 0s, like 15m.');
  const settings: ServiceSettings = {
    image,
    healthcheckPath,
    healthcheckTimeoutSeconds:
      healthcheckTimeoutMs === undefined ? undefined : Math.round(healthcheckTimeoutMs / 1000),
    numReplicas,
    restartPolicy,
  };
  if (command === 'rollback') {
    const given = [
      ['commit-sha', commitSha],
      ['image', image],
      ['healthcheck-path', healthcheckPath],
      ['healthcheck-timeout', healthcheckTimeoutMs],
      ['num-replicas', numReplicas],
      ['restart-policy', restartPolicy],
    ].filter(([, v]) => v !== undefined);
    if (given.length > 0) {
      throw new UserError(
        `Input "${given[0]?.[0]}" does not apply to command: rollback, because Railway restores the target's own image and settings: remove it from the rollback step.`,
      );
    }
  } else if (rollbackTo) {
    throw new UserError(
      'Input "rollback-to" only applies to command: rollback: remove it, or set command: rollback.',
    );
  }
  if (environment && !githubToken) {
    throw new UserError(
      'Input "environment" is set but "github-token" is empty, so no GitHub Deployment can be recorded: pass github-token (needs "deployments: write").',
    );
  }
  return {
    token,
    tokenType,
    apiUrl,
    projectId,
    environmentId,
    serviceId,
    command,
    commitSha,
    settings,
    rollbackTo,
    wait,
    timeoutMs,
    pollIntervalMs,
    github: githubToken && environment ? { token: githubToken, environment } : undefined,
    logsInSummary,
    trustedCreators: trusted.length > 0 ? trusted : DEFAULT_TRUSTED_CREATORS,
  };
}

/** The serviceInstanceUpdate input for these settings, or undefined when there is nothing to apply. */
export function serviceInstanceInput(settings: ServiceSettings): Record<string, unknown> | undefined {
  const input: Record<string, unknown> = {};
  if (settings.image) input.source = { image: settings.image };
  if (settings.healthcheckPath) input.healthcheckPath = settings.healthcheckPath;
  if (settings.healthcheckTimeoutSeconds !== undefined)
    input.healthcheckTimeout = settings.healthcheckTimeoutSeconds;
  if (settings.numReplicas !== undefined) input.numReplicas = settings.numReplicas;
  if (settings.restartPolicy) input.restartPolicyType = settings.restartPolicy;
  return Object.keys(input).length > 0 ? input : undefined;
}

/** `on-failure`, `ON_FAILURE` and `On_Failure` all mean Railway's ON_FAILURE. */
function restartPolicyOf(text: string): RestartPolicy {
  const value = text.toUpperCase().replace(/-/g, '_');
  if (!(RESTART_POLICIES as readonly string[]).includes(value)) {
    throw new UserError(
      `Input "restart-policy" must be one of ${RESTART_POLICIES.join(', ')}, not "${text}".`,
    );
  }
  return value as RestartPolicy;
}
