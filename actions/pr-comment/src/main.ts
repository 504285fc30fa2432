import type { ActionIO } from '../../../lib/action.js';
import { UserError } from '../../../lib/errors.js';
import { commentOnPullRequest } from '../../../lib/github.js';
import { commentMarker } from '../../../lib/summary.js';

export async function main(io: ActionIO): Promise<void> {
  const token = io.inputs.required('github-token');
  io.secrets.register(token);
  const report = io.inputs.required('body');
  const marker = io.inputs.string('marker', 'pr-health');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(marker)) {
    throw new UserError(
      `Input "marker" must be lower-case letters, digits and dashes (e.g. pr-health), not "${marker}".`,
    );
  }
  await commentOnPullRequest(io, {
    token,
    marker: commentMarker(marker),
    body: report,
    what: 'report',
  });
}
