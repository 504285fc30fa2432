import type { ActionIO } from '../../../lib/action.js';
import { formatDuration } from '../../../lib/duration.js';
import { errorMessage, UserError } from '../../../lib/errors.js';
import { GitHubApi, githubContext } from '../../../lib/github.js';
import { NetworkError } from '../../../lib/http.js';
import { safeLogLine, safeLogText } from '../../../lib/untrusted.js';
import { type Config, readConfig, serviceInstanceInput } from './config.js';
import {
  byTrustedCreator,
  type DeploymentRecord,
  DeploymentRecords,
  lastGood,
} from './github-deployments.js';
import {
  commitOf,
  type DeploySource,
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
import { RailwayApi, RailwayError, UnconfirmedMutation } from './railway.js';
import { dashboardUrl, failureHint, type Report, summaryMarkdown } from './report.js';
import {
  currentDeployment,
  explainUnusableTarget,
  pickRollbackTarget,
  rollbackTargetAfterRollback,
} from './rollback-target.js';
import { holdReason, type RailwayDeployment, SKIP_REASON } from './status.js';

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
        `Railway API: ${safeLogLine(r.reason)}; retrying in ${formatDuration(r.delayMs)} (attempt ${r.attempt + 1}).`,
      ),
  });
  const records = config.github
    ? new DeploymentRecords(
        new GitHubApi(config.github.token, ctx.apiUrl),
        ctx.repository,
        config.github.environment,
      )
    : undefined;
  const cancelledBeforeStart = () =>
    new UserError(
      'The run was cancelled before Railway was asked to change anything: Railway was left untouched.',
    );
  /** How long to look for the deployment a mutation created when Railway does not name it. */
  const findOpts = (commit?: string) => ({
    timeoutMs: Math.min(config.timeoutMs, 120_000),
    pollIntervalMs: config.pollIntervalMs,
    signal,
    commit,
  });

  const before = await guard(signal, cancelledBeforeStart, () => listDeployments(api, target));
  const live = currentDeployment(before);
  const history = records
    ? trustedHistory(io, (await softly(io, 'read GitHub Deployments', () => records.list())) ?? [], config)
    : [];

  if (config.command === 'status') return status(io, api, config, target, before, live, history);

  let deploymentId: string;
  let rolledBackTo: string | undefined;
  let previous: RailwayDeployment | undefined;
  /** The commit the new deployment runs, for the GitHub Deployment record. */
  let ref: string | undefined;
  if (config.command === 'rollback') {
    const rollbackTarget = await guard(signal, cancelledBeforeStart, () =>
      chooseRollbackTarget(io, api, config, before, live, history),
    );
    io.info(
      `Rolling back service ${config.serviceId} to deployment ${rollbackTarget.id} (${rollbackTarget.status}, created ${rollbackTarget.createdAt}).`,
    );
    if (signal.aborted) throw cancelledBeforeStart();
    const sent = await sendOnce(() => rollBack(api, rollbackTarget.id));
    if (sent.confirmed === false) {
      throw new UserError(
        `Railway declined the rollback to deployment ${rollbackTarget.id} (deploymentRollback returned false): check the deployment in the Railway dashboard and retry.`,
      );
    }
    if (sent.unconfirmed) io.warning(lookingFor(sent.unconfirmed));
    else io.setOutput('rolled-back-to', rollbackTarget.id);
    // deploymentRollback answers only true: the new deployment is found in the service's list.
    const fresh = await findNewDeployment(api, target, before, findOpts(commitOf(rollbackTarget)));
    if (!fresh) {
      const why = signal.aborted ? 'the run was cancelled' : 'none appeared in time';
      throw new UserError(
        sent.unconfirmed
          ? notFoundAfterUnconfirmed(sent.unconfirmed, `the rollback to ${rollbackTarget.id}`, config, signal)
          : `Railway accepted the rollback to ${rollbackTarget.id}, but ${why} while looking for the new deployment it creates: Railway may be building it now, so check the service in the Railway dashboard.`,
      );
    }
    if (sent.unconfirmed) {
      io.info(adopted(fresh, 'rollback'));
      io.setOutput('rolled-back-to', rollbackTarget.id);
    }
    rolledBackTo = rollbackTarget.id;
    // What served before the restored one; the deployment rolled back from is what went wrong.
    const good = lastGood(
      history.filter((r) => r.railwayDeploymentId !== live?.id),
      rollbackTarget.id,
    )?.railwayDeploymentId;
    previous = rollbackTargetAfterRollback(before, rollbackTarget, live?.id, good);
    deploymentId = fresh.id;
    // The commit serving after the rollback is the target's, not the one rolled back from.
    ref = commitOf(rollbackTarget);
    if (!ref && records) {
      io.info(
        `Deployment ${rollbackTarget.id} records no commit (meta.commitHash), so the GitHub Deployment names this workflow's commit ${ctx.sha}.`,
      );
    }
  } else {
    const input = serviceInstanceInput(config.settings);
    if (input) {
      io.info(`Applying service settings before deploying: ${Object.keys(input).join(', ')}.`);
      if (signal.aborted) throw cancelledBeforeStart();
      // Mutations are not cut short by a cancel: we wait for Railway's answer to know what happened.
      try {
        await updateServiceInstance(api, target, input);
      } catch (err) {
        if (err instanceof UnconfirmedMutation) {
          throw new UserError(
            `Railway did not confirm the new service settings (${err.detail}): they may or may not have been applied and no deployment was started; nothing was sent again, so check the service settings in the Railway dashboard and re-run the deploy.`,
          );
        }
        throw err;
      }
      if (signal.aborted) {
        throw new UserError(
          'The run was cancelled while the service settings were being applied: Railway accepted the new settings, but no deployment was started, so re-run the deploy to roll them out.',
        );
      }
    }
    if (signal.aborted) throw cancelledBeforeStart();
    const source: DeploySource = config.commitSha
      ? { kind: 'commit', sha: config.commitSha.toLowerCase() }
      : config.settings.image
        ? { kind: 'image' }
        : { kind: 'latest-commit' };
    if (source.kind === 'latest-commit') {
      io.info(
        'No commit-sha: deploying the latest commit of the connected branch (serviceInstanceDeploy with latestCommit, as the Railway CLI does).',
      );
    }
    const sent = await sendOnce(() => startDeployment(api, target, source));
    let id = sent.confirmed;
    if (id === undefined) {
      if (sent.unconfirmed) io.warning(lookingFor(sent.unconfirmed));
      const fresh = await findNewDeployment(
        api,
        target,
        before,
        findOpts(source.kind === 'commit' ? source.sha : undefined),
      );
      if (!fresh) {
        throw new UserError(
          sent.unconfirmed
            ? notFoundAfterUnconfirmed(sent.unconfirmed, 'the deploy', config, signal)
            : signal.aborted
              ? 'The run was cancelled while looking for the new deployment: the deploy request was sent and Railway may be building it, so check the service in the Railway dashboard.'
              : `Railway accepted the deploy of the latest commit, but no new deployment of service ${config.serviceId} appeared within ${formatDuration(findOpts().timeoutMs)}: check the service in the Railway dashboard.`,
        );
      }
      io.info(
        sent.unconfirmed
          ? adopted(fresh, 'deploy')
          : `Railway created deployment ${fresh.id}${commitText(fresh)}.`,
      );
      id = fresh.id;
      ref = commitOf(fresh);
    }
    deploymentId = id;
    ref = source.kind === 'commit' ? source.sha : ref;
    previous = pickRollbackTarget(before, deploymentId, lastGood(history, deploymentId)?.railwayDeploymentId);
  }

  const link = dashboardUrl(config.projectId, config.serviceId, config.environmentId, deploymentId);
  io.setOutput('deployment-id', deploymentId);
  io.setOutput('commit-sha', ref ?? '');
  io.setOutput('previous-deployment-id', previous?.id ?? '');
  io.info(`Railway deployment ${deploymentId} started: ${link}`);
  if (previous) io.info(`Rollback target if this one goes wrong: ${previous.id}.`);

  const what =
    config.command === 'rollback' ? `Rollback of ${config.serviceId}` : `Deploy of ${config.serviceId}`;
  const recordId =
    records && !signal.aborted
      ? await softly(io, 'create the GitHub Deployment', async () => {
          const id = await records.create(ref ?? ctx.sha, deploymentId, what, config.serviceId);
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
        const hold = holdReason(status);
        io.info(`  ${safeLogLine(status)} (${formatDuration(elapsedMs)})${hold ? `: ${hold}` : ''}`);
      },
    });
    const status = result.deployment?.status ?? 'unknown';

    if (result.outcome === 'cancelled') {
      report.outcome = 'cancelled';
      report.problem = `The run was cancelled while waiting: Railway was left untouched and deployment ${deploymentId} keeps going there (${link}).`;
      await finish(status);
      throw new UserError(`${report.problem.replace(/\.$/, '')}; check its result in the Railway dashboard.`);
    }

    const outcome: Report['outcome'] = result.outcome;
    let problem: string | undefined;
    if (outcome === 'failed') {
      const where = config.logsInSummary ? 'above and in the job summary' : 'above';
      problem = `Railway deployment ${deploymentId} ended ${status} after ${formatDuration(result.elapsedMs)}: ${failureHint(status)}; the last log lines are ${where} (${link}).`;
    }
    if (outcome === 'skipped') {
      const serving = live ? `deployment ${live.id} keeps serving` : 'nothing new serves';
      problem = `Railway SKIPPED deployment ${deploymentId}, so it will never serve: ${SKIP_REASON} (${link}); ${serving}, so fix the cause and deploy again.`;
    }
    if (outcome === 'timeout') {
      const still = result.deployment ? `was still ${status}` : 'gave no status';
      const hold = holdReason(status);
      problem = `Railway deployment ${deploymentId} ${still} when the ${formatDuration(config.timeoutMs)} timeout ran out${hold ? ` (${hold})` : ''}: Railway was left untouched and the deployment keeps going (${link}); raise timeout or check the log lines above.`;
    }
    report.outcome = outcome;

    if (outcome === 'succeeded') {
      const url = await softly(io, 'read the service domain', () =>
        serviceUrl(api, target, result.deployment),
      );
      report.url = url;
      io.setOutput('url', url ?? '');
      io.info(
        `Deployment ${deploymentId} is ${safeLogLine(status)}${url ? ` at ${url}` : ''} after ${formatDuration(result.elapsedMs)}.`,
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
    // A skipped deployment never built or ran: it has no logs to show.
    const logs = outcome === 'skipped' ? undefined : await logTail(api, deploymentId, LOG_LINES);
    if (logs) {
      // Log lines may hold production data: the step log (readable like the code) shows them, the
      // job summary only when logs-in-summary asks for it. Railway's text cannot issue commands.
      if (config.logsInSummary) report.logs = logs;
      await io.group(`Last log lines of deployment ${deploymentId}`, async () => {
        if (logs.build.length)
          io.info(`Build log (last ${lines(logs.build.length)}):\n${safeLogText(logs.build.join('\n'))}`);
        if (logs.deploy.length)
          io.info(`Deploy log (last ${lines(logs.deploy.length)}):\n${safeLogText(logs.deploy.join('\n'))}`);
        if (!logs.build.length && !logs.deploy.length)
          io.info('Railway returned no log lines for this deployment.');
        for (const p of logs.problems) io.warning(`Could not read a log: ${p}`);
      });
    }
    await finish(status);
    if (records && recordId !== undefined) {
      await softly(io, 'mark the GitHub Deployment failed', () =>
        records.status(recordId, 'failure', {
          logUrl: link,
          description: `Railway ${status}${outcome === 'timeout' ? ' (timed out)' : outcome === 'skipped' ? ' (not deployed)' : ''}`,
        }),
      );
    }
    throw new UserError(problem ?? `Railway deployment ${deploymentId} did not succeed.`);
  }
}

/**
 * `command: status`: what serves now, the last good deployment in our ledger and the deployment a
 * rollback would restore — read-only, by the same rules as the rollback itself.
 */
async function status(
  io: ActionIO,
  api: RailwayApi,
  config: Config,
  target: Target,
  before: RailwayDeployment[],
  live: RailwayDeployment | undefined,
  history: DeploymentRecord[],
): Promise<void> {
  const good = lastGood(history, live?.id)?.railwayDeploymentId;
  const next = pickRollbackTarget(before, live?.id, good);
  const url = live ? await softly(io, 'read the service domain', () => serviceUrl(api, target, live)) : undefined;
  const serving = live ? `${commitOf(live) ?? 'no commit recorded (an image or a CLI upload)'}` : '';
  io.setOutput('deployment-id', live?.id ?? '');
  io.setOutput('status', live?.status ?? '');
  io.setOutput('commit-sha', commitOf(live) ?? '');
  io.setOutput('url', url ?? '');
  io.setOutput('previous-deployment-id', next?.id ?? '');
  io.setOutput('last-good-deployment-id', lastGood(history)?.railwayDeploymentId ?? '');
  io.info(
    live
      ? `Service ${config.serviceId} serves deployment ${live.id} (${safeLogLine(live.status)}, ${serving})${url ? ` at ${url}` : ''}.`
      : `Service ${config.serviceId} has no deployment in this environment.`,
  );
  const ledger = config.github
    ? (lastGood(history)?.railwayDeploymentId ?? 'none recorded')
    : 'unknown (no github-token: the GitHub Deployments ledger was not read)';
  io.info(`Last good deployment per our GitHub Deployments: ${ledger}.`);
  io.info(
    next
      ? `A rollback now would restore deployment ${next.id} (${next.status}, created ${next.createdAt}${commitText(next)}).`
      : 'A rollback now would find nothing to restore: no older SUCCESS or REMOVED deployment Railway can still roll back to.',
  );
  const row = (k: string, v: string) => `| ${k} | ${v.replaceAll('|', '\\|')} |`;
  await io.summary(
    [
      `### Railway status: service \`${config.serviceId}\``,
      '',
      '| | |',
      '| --- | --- |',
      row('serving', live ? `\`${live.id}\` (${live.status})` : 'nothing'),
      row('commit', commitOf(live) ?? '—'),
      row('url', url ?? '—'),
      row('last good (GitHub Deployments)', ledger),
      row('rollback target', next ? `\`${next.id}\` (${next.status}, ${next.createdAt})` : 'none'),
      '',
    ].join('\n'),
  );
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

/** A mutation's result: `confirmed` is its answer, or `unconfirmed` says Railway never confirmed it. */
type Sent<T> =
  | { confirmed: T; unconfirmed?: undefined }
  | { confirmed?: undefined; unconfirmed: UnconfirmedMutation };

/** Sends a mutation once; an unconfirmed one is returned to the caller to find out what happened. */
async function sendOnce<T>(fn: () => Promise<T>): Promise<Sent<T>> {
  try {
    return { confirmed: await fn() };
  } catch (err) {
    if (err instanceof UnconfirmedMutation) return { unconfirmed: err };
    throw err;
  }
}

function lookingFor(err: UnconfirmedMutation): string {
  return `${err.message.replace(/\.$/, '')}; looking for the deployment it may have created among the service's deployments.`;
}

function commitText(d: RailwayDeployment): string {
  const commit = commitOf(d);
  return commit ? ` of commit ${commit}` : '';
}

function adopted(d: RailwayDeployment, what: 'deploy' | 'rollback'): string {
  return `Adopted deployment ${d.id}${commitText(d)} (created ${d.createdAt}): it appeared after our unconfirmed ${what} request, so Railway did apply it; nothing was sent twice.`;
}

function notFoundAfterUnconfirmed(
  err: UnconfirmedMutation,
  what: string,
  config: Config,
  signal: AbortSignal,
): string {
  if (signal.aborted) {
    return `Railway did not confirm ${what} (${err.detail}) and the run was cancelled before we could see whether it was applied: check service ${config.serviceId} in the Railway dashboard before running it again.`;
  }
  return `Railway did not confirm ${what} (${err.detail}) and no new deployment of service ${config.serviceId} appeared within ${formatDuration(Math.min(config.timeoutMs, 120_000))}, so Railway most likely did not apply it; it was not sent again, so check the service in the Railway dashboard, then re-run.`;
}

/** Our GitHub records, without the ones another account created (they could steer the rollback). */
function trustedHistory(io: ActionIO, records: DeploymentRecord[], config: Config): DeploymentRecord[] {
  const { trusted, ignored } = byTrustedCreator(records, config.trustedCreators);
  for (const r of ignored) {
    if (r.verdict !== 'success') continue;
    io.info(
      `Ignoring GitHub Deployment ${r.id} (Railway deployment ${r.railwayDeploymentId}) although it is marked successful: it was created by ${safeLogLine(r.creator ?? 'an unknown account')}, not by ${config.trustedCreators.join(' or ')} (input trusted-deployment-creators), so it cannot choose the rollback target.`,
    );
  }
  return trusted;
}
