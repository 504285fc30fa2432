import type { ActionIO } from '../../../lib/action.js';
import { formatDuration } from '../../../lib/duration.js';
import { errorMessage, UserError } from '../../../lib/errors.js';
import { GitHubApi, githubContext } from '../../../lib/github.js';
import { NetworkError } from '../../../lib/http.js';
import { type Config, readConfig, serviceInstanceInput } from './config.js';
import { type DeploymentRecord, DeploymentRecords, lastGood } from './github-deployments.js';
import {
  findNewDeployment,
  getDeployment,
  listDeployments,
  logTail,
  rollBack,
  serviceUrl,
  startDeployment,
  type Target,
  updateServiceInstance,
  waitForDeployment,
} from './operations.js';
import { RailwayApi, RailwayError } from './railway.js';
import { dashboardUrl, failureHint, type Report, summaryMarkdown } from './report.js';
import {
  currentDeployment,
  explainUnusableTarget,
  pickRollbackTarget,
  rollbackTargetAfterRollback,
} from './rollback-target.js';
import { deployedImage, imageMatches, type RailwayDeployment } from './status.js';

const LOG_LINES = 40;

export async function main(io: ActionIO): Promise<void> {
  // Secrets first: nothing may be logged before the runner knows to mask them.
  io.secrets.register(io.inputs.raw('token'));
  io.secrets.register(io.inputs.raw('github-token'));
  const config = readConfig(io.inputs);

  // Cancelling the run stops our polling only; whatever Railway is doing keeps going.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!cancel.signal.aborted) cancel.abort(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await run(io, config, cancel.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

async function run(io: ActionIO, config: Config, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  const ctx = githubContext();
  const target: Target = {
    projectId: config.projectId,
    environmentId: config.environmentId,
    serviceId: config.serviceId,
  };
  const api = new RailwayApi({
    url: config.apiUrl,
    token: config.token,
    tokenType: config.tokenType,
    signal,
    onRetry: (r) =>
      io.info(
        `Railway API: ${r.reason}; retrying in ${formatDuration(r.delayMs)} (attempt ${r.attempt + 1}).`,
      ),
  });
  const records = config.github
    ? new DeploymentRecords(
        new GitHubApi(config.github.token, ctx.apiUrl, { log: (m) => io.info(m) }),
        ctx.repository,
        config.github.environment,
      )
    : undefined;
  const cancelledBeforeStart = () =>
    new UserError(
      'The run was cancelled before Railway was asked to change anything: Railway was left untouched.',
    );

  const before = await guard(signal, cancelledBeforeStart, () => listDeployments(api, target));
  const live = currentDeployment(before);
  const history = records ? ((await softly(io, 'read GitHub Deployments', () => records.list())) ?? []) : [];

  let deploymentId: string;
  let rolledBackTo: string | undefined;
  let previous: RailwayDeployment | undefined;
  if (config.command === 'rollback') {
    const rollbackTarget = await guard(signal, cancelledBeforeStart, () =>
      chooseRollbackTarget(io, api, config, before, live, history),
    );
    io.info(
      `Rolling back service ${config.serviceId} to deployment ${rollbackTarget.id} (${rollbackTarget.status}, created ${rollbackTarget.createdAt}).`,
    );
    if (signal.aborted) throw cancelledBeforeStart();
    const accepted = await rollBack(api, rollbackTarget.id);
    if (!accepted) {
      throw new UserError(
        `Railway declined the rollback to deployment ${rollbackTarget.id} (deploymentRollback returned false): check the deployment in the Railway dashboard and retry.`,
      );
    }
    rolledBackTo = rollbackTarget.id;
    io.setOutput('rolled-back-to', rolledBackTo);
    // What served before the restored one; the deployment rolled back from is what went wrong.
    const good = lastGood(
      history.filter((r) => r.railwayDeploymentId !== live?.id),
      rollbackTarget.id,
    )?.railwayDeploymentId;
    previous = rollbackTargetAfterRollback(before, rollbackTarget, live?.id, good);
    io.setOutput('previous-deployment-id', previous?.id ?? '');
    const fresh = await findNewDeployment(api, target, new Set(before.map((d) => d.id)), {
      timeoutMs: Math.min(config.timeoutMs, 120_000),
      pollIntervalMs: config.pollIntervalMs,
      signal,
    });
    if (!fresh) {
      const why = signal.aborted ? 'the run was cancelled' : 'none appeared in time';
      throw new UserError(
        `Railway accepted the rollback to ${rollbackTarget.id}, but ${why} while looking for the new deployment it creates: Railway may be building it now, so check the service in the Railway dashboard.`,
      );
    }
    deploymentId = fresh.id;
  } else {
    const input = serviceInstanceInput(config.settings);
    if (input) {
      io.info(`Applying service settings before deploying: ${Object.keys(input).join(', ')}.`);
      if (signal.aborted) throw cancelledBeforeStart();
      // Mutations are not cut short by a cancel: we wait for Railway's answer to know what happened.
      await updateServiceInstance(api, target, input);
      if (signal.aborted) {
        throw new UserError(
          'The run was cancelled while the service settings were being applied: Railway accepted the new settings, but no deployment was started, so re-run the deploy to roll them out.',
        );
      }
    }
    if (signal.aborted) throw cancelledBeforeStart();
    deploymentId = await startDeployment(api, target, config.commitSha);
    previous = pickRollbackTarget(before, deploymentId, lastGood(history, deploymentId)?.railwayDeploymentId);
  }

  const link = dashboardUrl(config.projectId, config.serviceId, config.environmentId, deploymentId);
  io.setOutput('deployment-id', deploymentId);
  io.setOutput('previous-deployment-id', previous?.id ?? '');
  io.info(`Railway deployment ${deploymentId} started: ${link}`);
  if (previous) io.info(`Rollback target if this one goes wrong: ${previous.id}.`);

  const what =
    config.command === 'rollback' ? `Rollback of ${config.serviceId}` : `Deploy of ${config.serviceId}`;
  const recordId =
    records && !signal.aborted
      ? await softly(io, 'create the GitHub Deployment', async () => {
          const id = await records.create(config.commitSha ?? ctx.sha, deploymentId, what, config.serviceId);
          await records.status(id, 'in_progress', {
            logUrl: link,
            description: `Railway deployment ${deploymentId}`,
          });
          return id;
        })
      : undefined;

  const report: Report = {
    command: config.command,
    serviceId: config.serviceId,
    deploymentId,
    status: 'unknown',
    outcome: 'started',
    flow: [],
    durationMs: 0,
    previousId: previous?.id,
    rolledBackTo,
    link,
  };
  let finished = false;
  const finish = async (status: string) => {
    finished = true;
    report.status = status;
    report.durationMs = performance.now() - started;
    io.setOutput('status', status);
    io.setOutput('duration-seconds', (report.durationMs / 1000).toFixed(1));
    await io.summary(summaryMarkdown(report));
  };

  try {
    await follow();
  } catch (err) {
    if (finished) throw err;
    // The deployment exists on Railway but we lost track of it: report what we know, then fail.
    const why = errorMessage(err).replace(/\.$/, '');
    report.outcome = 'error';
    report.problem = `${why}; deployment ${deploymentId} had started and may still be going on Railway, so check its result there (${link}).`;
    await finish(report.flow.at(-1)?.status ?? 'unknown');
    if (records && recordId !== undefined) {
      await softly(io, 'mark the GitHub Deployment errored', () =>
        records.status(recordId, 'error', {
          logUrl: link,
          description: `Result unknown: ${err instanceof NetworkError ? err.detail : why}`,
        }),
      );
    }
    throw err instanceof UserError ? new UserError(report.problem) : err;
  }

  async function follow(): Promise<void> {
    if (signal.aborted) {
      report.outcome = 'cancelled';
      report.problem =
        config.command === 'rollback'
          ? `The run was cancelled after Railway accepted the rollback to ${rolledBackTo}: Railway may be building deployment ${deploymentId} (${link}), so check it in the Railway dashboard.`
          : `The run was cancelled while the deploy request was in flight: the deploy request was sent; Railway may be building deployment ${deploymentId} (${link}), so check it in the Railway dashboard.`;
      await finish('unknown');
      throw new UserError(report.problem);
    }

    if (!config.wait) {
      const now = await getDeployment(api, deploymentId);
      io.info(`Not waiting (wait: false): deployment ${deploymentId} is ${now.status}.`);
      await finish(now.status);
      return;
    }

    io.info(`Waiting up to ${formatDuration(config.timeoutMs)} for deployment ${deploymentId}:`);
    const result = await waitForDeployment(api, deploymentId, {
      timeoutMs: config.timeoutMs,
      pollIntervalMs: config.pollIntervalMs,
      signal,
      onStatus: (status, elapsedMs) => {
        report.flow.push({ status, elapsedMs });
        io.info(
          `  ${status} (${formatDuration(elapsedMs)})${status === 'NEEDS_APPROVAL' ? ': approve it in the Railway dashboard' : ''}`,
        );
      },
    });
    const status = result.deployment?.status ?? 'unknown';

    if (result.outcome === 'cancelled') {
      report.outcome = 'cancelled';
      report.problem = `The run was cancelled while waiting: Railway was left untouched and deployment ${deploymentId} keeps going there (${link}).`;
      await finish(status);
      throw new UserError(`${report.problem.replace(/\.$/, '')}; check its result in the Railway dashboard.`);
    }

    let outcome: Report['outcome'] = result.outcome;
    let problem: string | undefined;
    if (outcome === 'succeeded' && config.settings.image) {
      const running = deployedImage(result.deployment?.meta);
      if (!imageMatches(config.settings.image, running)) {
        outcome = 'failed';
        problem = `Railway reports deployment ${deploymentId} as ${status}, but it runs image ${running ?? '(none recorded)'} instead of ${config.settings.image}: check the service source and registry credentials in Railway (${link}).`;
      }
    }
    if (outcome === 'failed' && !problem) {
      problem = `Railway deployment ${deploymentId} ended ${status} after ${formatDuration(result.elapsedMs)}: ${failureHint(status)}; the last log lines are above and in the job summary (${link}).`;
    }
    if (outcome === 'timeout') {
      const still = result.deployment ? `was still ${status}` : 'gave no status';
      problem = `Railway deployment ${deploymentId} ${still} when the ${formatDuration(config.timeoutMs)} timeout ran out: Railway was left untouched and the deployment keeps going (${link}); raise timeout or check the log lines above.`;
    }
    report.outcome = outcome;

    if (outcome === 'succeeded') {
      const url = await softly(io, 'read the service domain', () =>
        serviceUrl(api, target, result.deployment),
      );
      report.url = url;
      io.setOutput('url', url ?? '');
      io.info(
        `Deployment ${deploymentId} is ${status}${url ? ` at ${url}` : ''} after ${formatDuration(result.elapsedMs)}.`,
      );
      await finish(status);
      if (records && recordId !== undefined) {
        await softly(io, 'mark the GitHub Deployment successful', () =>
          records.status(recordId, 'success', {
            environmentUrl: url,
            logUrl: link,
            description: `Railway ${status}`,
          }),
        );
        const replaced = replacedRecord(history, live, deploymentId);
        if (replaced && config.command === 'rollback') {
          // Rolled back from: record it as failed, so it is never taken for the "last good" one later.
          await softly(io, 'mark the rolled-back GitHub Deployment failed', () =>
            records.status(replaced.id, 'failure', {
              description: `Rolled back: Railway deployment ${deploymentId} restores ${rolledBackTo}`,
            }),
          );
        } else if (replaced) {
          await softly(io, 'mark the replaced GitHub Deployment inactive', () =>
            records.status(replaced.id, 'inactive', {
              description: `Replaced by Railway deployment ${deploymentId}`,
            }),
          );
        }
      }
      return;
    }

    report.problem = problem;
    report.logs = await logTail(api, deploymentId, LOG_LINES);
    await io.group(`Last log lines of deployment ${deploymentId}`, async () => {
      if (report.logs?.build.length)
        io.info(`Build log (last ${lines(report.logs.build.length)}):\n${report.logs.build.join('\n')}`);
      if (report.logs?.deploy.length)
        io.info(`Deploy log (last ${lines(report.logs.deploy.length)}):\n${report.logs.deploy.join('\n')}`);
      if (!report.logs?.build.length && !report.logs?.deploy.length)
        io.info('Railway returned no log lines for this deployment.');
      for (const p of report.logs?.problems ?? []) io.warning(`Could not read a log: ${p}`);
    });
    await finish(status);
    if (records && recordId !== undefined) {
      await softly(io, 'mark the GitHub Deployment failed', () =>
        records.status(recordId, 'failure', {
          logUrl: link,
          description: `Railway ${status}${outcome === 'timeout' ? ' (timed out)' : ''}`,
        }),
      );
    }
    throw new UserError(problem ?? `Railway deployment ${deploymentId} did not succeed.`);
  }
}

async function chooseRollbackTarget(
  io: ActionIO,
  api: RailwayApi,
  config: Config,
  before: RailwayDeployment[],
  live: RailwayDeployment | undefined,
  history: DeploymentRecord[],
): Promise<RailwayDeployment> {
  if (config.rollbackTo) {
    let explicit: RailwayDeployment;
    try {
      explicit = await getDeployment(api, config.rollbackTo, `looking up rollback-to ${config.rollbackTo}`);
    } catch (err) {
      if (err instanceof RailwayError && err.railwayMessages.some((m) => /not found/i.test(m))) {
        throw new UserError(
          `Input "rollback-to" names deployment ${config.rollbackTo}, which Railway does not know: copy the id of a deployment of service ${config.serviceId} from the Railway dashboard, or leave rollback-to empty for the previous good one.`,
        );
      }
      throw err;
    }
    const unusable = explainUnusableTarget(explicit, config.serviceId, config.environmentId);
    if (unusable) throw new UserError(unusable);
    return explicit;
  }
  const good = lastGood(history, live?.id)?.railwayDeploymentId;
  const chosen = pickRollbackTarget(before, live?.id, good);
  if (!chosen) {
    throw new UserError(
      `Found no deployment of service ${config.serviceId} to roll back to: none older than the live one (${live?.id ?? 'none'}) was SUCCESS or REMOVED with an image Railway still keeps, so deploy a known-good commit instead.`,
    );
  }
  if (good && chosen.id === good)
    io.info(`Using deployment ${good}, the last one our GitHub Deployment records marked good.`);
  return chosen;
}

/** The GitHub record of the deployment that served before ours, which ours now replaces. */
function replacedRecord(
  history: DeploymentRecord[],
  live: RailwayDeployment | undefined,
  newId: string,
): DeploymentRecord | undefined {
  if (!live || live.id === newId) return undefined;
  return history.find((r) => r.railwayDeploymentId === live.id && r.verdict !== 'failure');
}

/** Runs `fn`; a cancellation while it runs becomes the "nothing was changed" error. */
async function guard<T>(signal: AbortSignal, cancelled: () => UserError, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal.aborted) throw cancelled();
    throw err;
  }
}

/** GitHub records and domain lookups are extras: a failure becomes a warning, never a failed deploy. */
async function softly<T>(io: ActionIO, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    io.warning(`Could not ${what}, the Railway deployment itself is not affected: ${errorMessage(err)}`);
    return undefined;
  }
}

function lines(n: number): string {
  return n === 1 ? '1 line' : `${n} lines`;
}
