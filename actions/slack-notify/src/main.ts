import type { ActionIO } from '../../../lib/action.js';
import { formatDuration } from '../../../lib/duration.js';
import { UserError } from '../../../lib/errors.js';
import { githubContext } from '../../../lib/github.js';
import { codeBlock, details } from '../../../lib/summary.js';
import { readConfig } from './config.js';
import { buildMessage, STATUS_STYLE } from './message.js';
import { post } from './post.js';

export async function main(io: ActionIO): Promise<void> {
  // Secrets first: nothing may be logged before the runner knows to mask them.
  io.secrets.register(io.inputs.optional('webhook-url'));
  io.secrets.register(io.inputs.optional('token'));
  const config = readConfig(io.inputs);
  const github = githubContext();

  const { message, truncated } = buildMessage(config.status, {
    title: config.title,
    environment: config.environment,
    details: config.details,
    serviceUrl: config.serviceUrl,
    repository: github.repository,
    serverUrl: github.serverUrl,
    sha: github.sha,
    actor: github.actor,
    runUrl: github.runUrl,
    runId: github.runId,
    startedAt: config.startedAt,
    now: Date.now(),
  });
  const via =
    config.transport.kind === 'webhook'
      ? 'incoming webhook'
      : `bot token, channel ${config.transport.channel}`;

  try {
    const result = await post(
      config.transport,
      message,
      (retry) => io.info(`Slack answered ${retry.reason}; trying again in ${formatDuration(retry.delayMs)}.`),
      (m) => io.info(m),
    );
    io.setOutput('ok', true);
    io.setOutput('ts', result.ts);
    io.setOutput('channel-id', result.channelId);
    const where = result.ts ? ` (channel ${result.channelId}, ts ${result.ts})` : '';
    io.info(`${STATUS_STYLE[config.status].emoji} Slack message ${result.action} via ${via}${where}.`);
  } catch (err) {
    if (config.failOnError || !(err instanceof UserError)) throw err;
    io.setOutput('ok', false);
    io.setOutput('ts', '');
    io.setOutput('channel-id', '');
    io.warning(`${err.message} The step passes because fail-on-error is false.`);
  }

  if (truncated && config.details) {
    // Slack got a cut version; the job summary keeps the whole text.
    await io.summary(
      `${details(`Slack message details (${config.status}), in full`, codeBlock(config.details, 'markdown'))}\n`,
    );
  }
}
