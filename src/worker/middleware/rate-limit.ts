/**
 * Per-client rate limiting with Cloudflare's rate limiting binding, keyed on the client's IP.
 * Off unless RATE_LIMIT is "on" (local dev and tests run without it by default).
 */
import type { MiddlewareHandler } from 'hono';
import { BahthError } from '../../core/errors';
import type { AppEnv } from '../context';
import { configOf } from '../config';

export const rateLimit = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const limiter = c.env.RATE_LIMITER;
  if (!configOf(c.env).rateLimit || !limiter || c.req.method === 'OPTIONS') return next();
  const client = c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'anonymous';
  const { success } = await limiter.limit({ key: client });
  if (!success) throw new BahthError('RATE_LIMITED', 'too many requests from this client; slow down and retry after the given seconds', { retryAfter: 60 });
  return next();
};
