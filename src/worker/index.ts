/**
 * The bahth Worker: a thin Hono layer over the search core. Routes live one per resource in
 * routes/; errors of every kind leave as application/problem+json.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { BahthError } from '../core/errors';
import { readerFor, type AppEnv } from './context';
import { configOf } from './config';
import { rateLimit } from './middleware/rate-limit';
import { problemOf, problemResponse } from './problem';
import { articlesRoute } from './routes/articles';
import { clicksRoute } from './routes/clicks';
import { healthRoute } from './routes/health';
import { searchRoute } from './routes/search';
import { suggestRoute } from './routes/suggest';
import { docsRoute, openApiRoute } from './routes/openapi';
import { demoRoute, embedRoute } from './routes/embed';
import { openSearchRoute } from './routes/opensearch';

const app = new Hono<AppEnv>();
const SECURITY_HEADERS = new Set([
  'content-security-policy', 'cross-origin-resource-policy', 'cross-origin-opener-policy', 'referrer-policy',
  'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'x-dns-prefetch-control',
  'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection', 'origin-agent-cluster',
]);

app.use('*', async (c, next) => {
  const origins = configOf(c.env).corsOrigins;
  return cors({
    origin: origins === '*' ? '*' : (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    exposeHeaders: ['ETag', 'Server-Timing', 'Retry-After'],
    maxAge: 86_400,
  })(c, next);
});

// Everything here is meant to be used from other sites: cross-origin resources, no framing of
// the API's own pages, no sniffing, no referrer leaks. A route that sets one of these headers
// itself (the demo page's stricter CSP) keeps its own.
app.use(
  '*',
  secureHeaders({
    overwrite: false,
    crossOriginResourcePolicy: 'cross-origin',
    crossOriginOpenerPolicy: 'same-origin',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'SAMEORIGIN',
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], frameAncestors: ["'self'"], baseUri: ["'none'"], objectSrc: ["'none'"] },
  }),
);
app.use('*', rateLimit());

app.route('/search', searchRoute);
app.route('/articles', articlesRoute);
app.route('/clicks', clicksRoute);
app.route('/health', healthRoute);
app.route('/suggest', suggestRoute);
app.route('/openapi.json', openApiRoute);
app.route('/docs', docsRoute);
app.route('/embed.js', embedRoute);
app.route('/opensearch.xml', openSearchRoute);
app.route('/', demoRoute);

/** Routes that only take a POST (every other known route takes GET and HEAD). */
const POST_ROUTES = new Set(['/clicks']);

app.notFound((c) => {
  const path = c.req.path;
  const known = path === '/' || POST_ROUTES.has(path) || ['/search', '/suggest', '/articles', '/health', '/embed.js', '/opensearch.xml', '/openapi.json', '/docs'].some((p) => path === p || path.startsWith(`${p}/`));
  const post = POST_ROUTES.has(path);
  const allowed = post ? c.req.method === 'POST' : c.req.method === 'GET' || c.req.method === 'HEAD';
  const err = known && !allowed
    ? new BahthError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${path}; use ${post ? 'POST' : 'GET'}`)
    : new BahthError('ROUTE_NOT_FOUND', `no route ${c.req.method} ${path.slice(0, 200)}`);
  const res = problemResponse(problemOf(err), err.code === 'METHOD_NOT_ALLOWED' ? { allow: post ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS' } : {});
  c.res.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || SECURITY_HEADERS.has(name)) res.headers.set(name, value);
  });
  return res;
});

app.onError((err, c) => {
  const problem = problemOf(err);
  if (problem.status >= 500) {
    console.error(`bahth: ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    // Start the next request from a clean slate: re-read the manifest and the shards (unless
    // there is no reader to reset: the handler must answer, whatever failed).
    try {
      readerFor(c.env).reset();
    } catch {
      /* no INDEX binding: nothing cached */
    }
  }
  const retry: Record<string, string> = problem.status === 503 ? { 'retry-after': '5' } : problem.status === 429 ? { 'retry-after': '60' } : {};
  const res = problemResponse(problem, retry);
  // Keep what the middleware set (CORS, security headers) on error responses too.
  c.res.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || SECURITY_HEADERS.has(name)) res.headers.set(name, value);
  });
  return res;
});

export default app;
