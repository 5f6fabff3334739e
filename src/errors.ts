/** An error that maps to an HTTP status and a stable code: `{error:{code,message}}`. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'you may not do this') =>
  new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'sign in first') =>
  new AppError(401, 'unauthorized', message);
export const badRequest = (message: string) => new AppError(400, 'validation_failed', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
