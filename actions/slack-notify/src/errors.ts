import { UserError } from '../../../lib/errors.js';

/** The one error a Slack post ends with: `code` is Slack's own error string (or HTTP status). */
export class SlackError extends UserError {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** A 5xx may come after Slack applied the write (see lib/errors outcomeUnknown). */
  get outcomeUnknown(): boolean {
    return this.status !== undefined && this.status >= 500;
  }
}
