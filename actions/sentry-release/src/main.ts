import type { ActionIO } from '../../../lib/action.js';
import { formatDuration } from '../../../lib/duration.js';
import { sendAtMostOnce } from '../../../lib/errors.js';
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

  // Sentry answers 201 both for a new release and for an existing one that gained a project, so
  // whether it existed is read first (404 = new).
  const before = await api.call<ReleaseAnswer & { projects?: Array<{ slug: string }> }>(
    'GET',
    releasePath(org, release),
    undefined,
    ctx(`read release ${release}`),
    { notFoundOk: true },
  );
  const created = await api.call<ReleaseAnswer>(
    'POST',
    releasesPath(org),
    createBody(config, new Date()),
    ctx(`create release ${release}`),
  );
  const existed = created.status === 208 || before.status === 200;
  const had = new Set((before.body.projects ?? []).map((p) => p.slug));
  const added = config.projects.filter((p) => !had.has(p));
  const what = !existed
    ? 'created'
    : created.status === 201 && added.length > 0
      ? `already existed; added ${added.join(', ')}`
      : 'already existed, updated';
  io.info(
    what === 'created'
      ? `Release ${release} created in Sentry for ${config.projects.join(', ')}.`
      : what.startsWith('already existed;')
        ? `Release ${release} already existed in Sentry; added project${added.length > 1 ? 's' : ''} ${added.join(', ')} to it.`
        : `Release ${release} already exists in Sentry; updating it.`,
  );
  rows.push(['release', what]);
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
    const body = deployBody(config, config.environment, new Date());
    const deploysPath = `${releasePath(org, release)}deploys/`;
    const what = ctx(`record a deploy of ${release} to ${config.environment}`);
    const send = () => api.call<{ id: string | number }>('POST', deploysPath, body, what, { mutation: true });
    // A deploy record is not idempotent: find ours (same environment and finish time) before re-sending.
    const deploy = await sendAtMostOnce<{ body: { id: string | number } }>(send, {
      find: async () => {
        const list = await api.call<Array<{ id: string; environment: string; dateFinished: string }>>(
          'GET',
          deploysPath,
          undefined,
          ctx(`list the deploys of ${release}`),
        );
        const ours = list.body.find(
          (d) =>
            d.environment === body.environment &&
            Date.parse(d.dateFinished) === Date.parse(String(body.dateFinished)),
        );
        return ours ? { body: ours } : undefined;
      },
      log: (m) => io.info(m),
      looking: "Listing the release's deploys before recording it again.",
      found: (d) => `Sentry recorded the deploy (id ${d.body.id}); not recording it again.`,
      notFound: 'Sentry has no such deploy; recording it once more.',
    });
    deployId = String(deploy.body.id ?? '');
    io.info(`Deploy ${deployId} of ${release} to ${config.environment} recorded.`);
    rows.push(['deploy', `${config.environment} (id ${deployId})`]);
  }

  io.setOutput('release', release);
  io.setOutput('release-url', link);
  io.setOutput('deploy-id', deployId);
  await io.summary(`### Sentry release [${release}](${link})\n\n${table(['step', 'result'], rows)}\n`);
}
