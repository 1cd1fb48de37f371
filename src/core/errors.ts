/**
 * Every error bahth raises carries one code from this table. The HTTP layer maps the code to a
 * status and an `application/problem+json` body; the build CLI prints the message and exits 1.
 */
export const ERROR_CODES = {
  // request validation (HTTP 400)
  QUERY_MISSING: 400,
  QUERY_TOO_LONG: 400,
  BAD_PARAMETER: 400,
  // lookup (HTTP 404)
  ARTICLE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  // index/storage faults (HTTP 503)
  INDEX_UNAVAILABLE: 503,
  INDEX_CORRUPT: 503,
  // build and publish time
  INPUT_INVALID: 1,
  PUBLISH_CONFLICT: 1,
  INPUT_UNREADABLE: 1,
  BUILD_FAILED: 1,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error type of bahth: a code from {@link ERROR_CODES} and a message meant for people. */
export class BahthError extends Error {
  readonly code: ErrorCode;
  /** Extra members for the problem+json body (e.g. `parameter`, `file`, `line`). */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(`bahth: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'BahthError';
    this.code = code;
    this.details = details;
  }

  /** HTTP status for request-time errors; 500 for build-time codes that should never reach HTTP. */
  get status(): number {
    const n = ERROR_CODES[this.code];
    return n >= 400 ? n : 500;
  }
}
