import type { ActionIO } from '../../../lib/action.js';
import { formatDuration } from '../../../lib/duration.js';
import { table } from '../../../lib/summary.js';
import { readConfig } from './config.js';
import {
  createBody,
  deployBody,
  type ReleaseAnswer,
  releasePath,
  releasesPath,
  releaseUpdate,
  releaseUrl,
} from './plan.js';
import { type CallContext, SentryApi } from './sentry.js';

export async function main(io: ActionIO): Promise<void> {
  // The token is masked before anything else can print.
  io.secrets.register(io.inputs.optional('auth-token'));
  const config = readConfig(io.inputs);
  const api = new SentryApi(config.baseUrl, config.authToken, (retry) =>
    io.info(`Sentry answered ${retry.reason}; trying again in ${formatDuration(retry.delayMs)}.`),
  );
  const ctx = (what: string): CallContext => ({
    what,
    org: config.org,
    projects: config.projects,
    baseUrl: config.baseUrl,
  });
  const { release, org } = config;
  const link = releaseUrl(config.baseUrl, org, release);
  const rows: string[][] = [];

  const created = await api.call<ReleaseAnswer>(
    'POST',
    releasesPath(org),
    createBody(config, new Date()),
    ctx(`create release ${release}`),
  );
  const existed = created.status === 208;
  io.info(
    existed
      ? `Release ${release} already exists in Sentry; updating it.`
      : `Release ${release} created in Sentry for ${config.projects.join(', ')}.`,
  );
  rows.push(['release', existed ? 'already existed, updated' : 'created']);
  if (config.refs)
    rows.push(['commits', `${config.refs[0]?.repository} @ ${config.refs[0]?.commit.slice(0, 12)}`]);

  const update = releaseUpdate(config, created.body, new Date());
  if (update) {
    await api.call('PUT', releasePath(org, release), update, ctx(`finalize release ${release}`));
    io.info(`Release ${release} finalized.`);
    rows.push(['finalized', update.dateReleased]);
  } else if (config.finalize && existed) {
    io.info(`Release ${release} was already released on ${created.body.dateReleased}; its date is kept.`);
    rows.push(['finalized', `already, on ${created.body.dateReleased}`]);
  } else if (config.finalize) {
    io.info(`Release ${release} finalized.`);
    rows.push(['finalized', String(created.body.dateReleased)]);
  }

  let deployId = '';
  if (config.environment) {
    const deploy = await api.call<{ id: string | number }>(
      'POST',
      `${releasePath(org, release)}deploys/`,
      deployBody(config, config.environment, new Date()),
      ctx(`record a deploy of ${release} to ${config.environment}`),
    );
    deployId = String(deploy.body.id ?? '');
    io.info(`Deploy ${deployId} of ${release} to ${config.environment} recorded.`);
    rows.push(['deploy', `${config.environment} (id ${deployId})`]);
  }

  io.setOutput('release', release);
  io.setOutput('release-url', link);
  io.setOutput('deploy-id', deployId);
  await io.summary(`### Sentry release [${release}](${link})\n\n${table(['step', 'result'], rows)}\n`);
}
