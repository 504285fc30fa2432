import { UserError } from '../../../lib/errors.js';

/** The one error a Slack post ends with: `code` is Slack's own error string (or HTTP status). */
export class SlackError extends UserError {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
    /** A write Slack may have applied without confirming it (a 5xx to a mutation): look before re-sending. */
    readonly outcomeUnknown = false,
  ) {
    super(message);
  }
}
