/**
 * Per-client rate limiting with Cloudflare's rate limiting binding, keyed on the client's IP.
 * Off unless RATE_LIMIT is "on" (local dev and tests run without it by default).
 */
import type { MiddlewareHandler } from 'hono';
import { BahthError } from '../../core/errors';
import type { AppEnv } from '../context';
import { configOf } from '../config';

export const rateLimit = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!configOf(c.env).rateLimit || c.req.method === 'OPTIONS') return next();
  const limiter = c.env.RATE_LIMITER;
  if (!limiter) {
    warnOnce('RATE_LIMIT is on, but the Worker has no RATE_LIMITER binding ([[unsafe.bindings]] in wrangler.toml): nothing is limited');
    return next();
  }
  const client = c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'anonymous';
  if (!(await withinLimit(limiter, client))) throw new BahthError('RATE_LIMITED', 'too many requests from this client; slow down and retry after the given seconds', { retryAfter: 60 });
  return next();
};

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`bahth: ${message}`);
}

/**
 * Whether a client is within its limit. A limiter that fails lets the request through (and
 * says so once an isolate): a fault of the limiter must not take the API down with it.
 */
export async function withinLimit(limiter: RateLimit, key: string): Promise<boolean> {
  try {
    return (await limiter.limit({ key })).success;
  } catch (e) {
    warnOnce(`the rate limiter failed (${e instanceof Error ? e.message : String(e)}); letting requests through`);
    return true;
  }
}
