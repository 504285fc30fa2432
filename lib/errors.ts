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

/**
 * True when a write may have been applied although the server never confirmed it: a 5xx to a
 * mutation, or a timeout or reset after the request was sent. Every error type that can say so
 * carries `outcomeUnknown: true` (NetworkError, GitHubError, the Sentry/Slack/Railway unconfirmed
 * writes), and this is the one place that asks.
 */
export function outcomeUnknown(err: unknown): boolean {
  return err instanceof Error && (err as { outcomeUnknown?: unknown }).outcomeUnknown === true;
}

/** A write the server did not confirm (5xx, reset, timeout after sending): look before re-sending. */
export class UnconfirmedWrite extends UserError {
  readonly outcomeUnknown = true;
}

/** How `sendAtMostOnce` finds out whether an unconfirmed write was applied, and what it logs. */
export interface LookBeforeResend<T> {
  /** Looks for the write's result (our comment, message, record); undefined when it is not there. */
  find: () => Promise<T | undefined>;
  log: (message: string) => void;
  /** Appended to the error's sentence, e.g. "Looking for the comment before posting it again." */
  looking: string;
  /** Said when it was found, e.g. "The comment was posted (id 7); not posting it again." */
  found: (result: T) => string;
  /** Said when it was not found, e.g. "The comment is not there; posting it once more." */
  notFound: string;
  /** The error to throw when the look itself fails; by default the look's own error. */
  lookFailed?: (err: unknown) => Error;
}

/**
 * Sends a write at most once: when the server does not confirm it (`outcomeUnknown`), finds out
 * whether it was applied and re-sends only when it provably was not. Any other failure, and a
 * second unconfirmed answer, reach the caller unchanged.
 */
export async function sendAtMostOnce<T>(send: () => Promise<T>, look: LookBeforeResend<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (!outcomeUnknown(err)) throw err;
    look.log(`${errorMessage(err)} ${look.looking}`);
    let found: T | undefined;
    try {
      found = await look.find();
    } catch (lookErr) {
      throw look.lookFailed ? look.lookFailed(lookErr) : lookErr;
    }
    if (found !== undefined) {
      look.log(look.found(found));
      return found;
    }
    look.log(look.notFound);
    return send();
  }
}
