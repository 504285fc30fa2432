/** An error answered as `{ "error": { "code", "message" } }` with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new HttpError(404, 'not_found', `${what} was not found, or you do not have access to it.`);

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
