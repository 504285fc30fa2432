/**
 * The one error type whose message a user sees as-is: one sentence saying what is wrong,
 * why it matters and what to do. Anything else that escapes an action is a bug.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Message of any thrown value, without a stack trace. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
