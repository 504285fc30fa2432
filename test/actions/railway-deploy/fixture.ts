/** Shared set-up for railway-deploy behaviour tests: a Railway stand-in with one live service. */
import { type RunOptions, runAction, startAction } from '../../harness/run-action.js';
import { RailwayStandIn, type StandInDeployment } from '../../standins/railway.js';

export const SERVICE = 'svc-decisionlog-web';

export interface World {
  railway: RailwayStandIn;
  /** Seeded, oldest first: an older REMOVED deployment and the live SUCCESS one. */
  older: StandInDeployment;
  live: StandInDeployment;
}

export async function world(): Promise<World> {
  const railway = await new RailwayStandIn().start();
  railway.stepMs = 20;
  railway.addService(SERVICE);
  const older = railway.seed(SERVICE, {
    status: 'REMOVED',
    meta: { commitHash: '1'.repeat(40), branch: 'main' },
  });
  const live = railway.seed(SERVICE, {
    status: 'SUCCESS',
    meta: { commitHash: '2'.repeat(40), branch: 'main' },
  });
  return { railway, older, live };
}

export function inputs(railway: RailwayStandIn, extra: RunOptions['inputs'] = {}): RunOptions['inputs'] {
  return {
    token: railway.projectToken,
    'api-url': railway.apiUrl,
    'project-id': railway.projectId,
    'environment-id': railway.environmentId,
    'service-id': SERVICE,
    'poll-interval': '100ms',
    timeout: '30s',
    ...extra,
  };
}

export function run(railway: RailwayStandIn, extra: RunOptions['inputs'] = {}, opts: RunOptions = {}) {
  return runAction('railway-deploy', { timeoutMs: 60_000, ...opts, inputs: inputs(railway, extra) });
}

export function start(railway: RailwayStandIn, extra: RunOptions['inputs'] = {}, opts: RunOptions = {}) {
  return startAction('railway-deploy', { timeoutMs: 60_000, ...opts, inputs: inputs(railway, extra) });
}

/** The deployment the action created (the newest one in the stand-in). */
export function newest(railway: RailwayStandIn): StandInDeployment {
  return railway.deploymentsOf(SERVICE)[0] as StandInDeployment;
}
