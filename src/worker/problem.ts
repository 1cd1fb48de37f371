/**
 * Errors as RFC 9457 `application/problem+json`. Every error response of the API goes
 * through here, so clients see one shape whatever went wrong.
 */
import { BahthError, type ErrorCode } from '../core/errors';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | 'INTERNAL';
  [extra: string]: unknown;
}

/** The problem body for an error (anything that is not a BahthError is an opaque 500). */
export function problemOf(err: unknown): Problem {
  if (err instanceof BahthError) {
    const status = err.status;
    return {
      type: `https://bahth.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: err.message.replace(/^bahth: /, ''),
      code: err.code,
      ...err.details,
    };
  }
  return { type: 'about:blank', title: TITLES[500]!, status: 500, detail: 'unexpected error; it has been logged', code: 'INTERNAL' };
}

/** A problem+json Response. */
export function problemResponse(problem: Problem, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
