/**
 * The Worker's settings (`wrangler.toml` `[vars]`, or `--var` in `wrangler dev`), parsed once
 * per environment into typed values. Each default is written here, once; a value that does not
 * parse is named in a warning and its default used (a deployment keeps answering).
 */

/** The variables, as the generated `Env` type names them (a var missing from wrangler.toml fails the type check). */
type VarName = keyof Env & ('CORS_ORIGINS' | 'CACHE_MIB' | 'CACHE_MAX_AGE' | 'KV_TIMEOUT_MS' | 'KV_CACHE_TTL' | 'MANIFEST_TTL_MS' | 'RATE_LIMIT' | 'ANALYTICS');

/** What the environment may hold for them: any string (`--var` overrides the generated literals). */
export type Vars = { [K in VarName]?: string };

export interface Config {
  /** `CORS_ORIGINS`: `*` (any origin) or the origins allowed. */
  corsOrigins: '*' | string[];
  /** `CACHE_MIB`: the isolate's cache of loaded values, in bytes (1–100 MiB). */
  cacheBytes: number;
  /** `CACHE_MAX_AGE`: `Cache-Control: max-age` of answers, seconds (0–86,400). */
  cacheMaxAge: number;
  /** `KV_TIMEOUT_MS`: a KV read slower than this fails the request with a 503 (100–60,000). */
  kvTimeoutMs: number;
  /** `KV_CACHE_TTL`: seconds a KV location keeps immutable index values (below 30, KV's minimum, none is asked for). */
  kvCacheTtl: number;
  /** `MANIFEST_TTL_MS`: how long an isolate trusts `manifest` (and the editor's settings) before reading them again (0–3,600,000). */
  manifestTtlMs: number;
  /** `RATE_LIMIT`: per-client limits through the `RATE_LIMITER` binding. */
  rateLimit: boolean;
  /** `ANALYTICS`: record searches and clicks (`on`), not at all (`off`), or also print them (`log`). */
  analytics: 'on' | 'off' | 'log';
}

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  corsOrigins: '*',
  cacheBytes: 32 * 1024 * 1024,
  cacheMaxAge: 60,
  kvTimeoutMs: 5000,
  kvCacheTtl: 86_400,
  manifestTtlMs: 30_000,
  rateLimit: false,
  analytics: 'on',
} as const);

const parsed = new WeakMap<object, Readonly<Config>>();

/** The environment's config, parsed on first use and kept for the isolate's life. */
export function configOf(env: Vars): Readonly<Config> {
  let config = parsed.get(env);
  if (!config) parsed.set(env, (config = parseConfig(env)));
  return config;
}

/** Parses the variables; problems go to `warn`, each naming the variable, its value and the default used. */
export function parseConfig(env: Vars, warn: (message: string) => void = (m) => console.warn(`bahth: ${m}`)): Readonly<Config> {
  const d = DEFAULT_CONFIG;
  // Whole numbers in decimal only: "1.5" would make `max-age=1.5`, which HTTP does not allow,
  // and "0x10" is no one's way of writing 16.
  const number = (name: VarName, fallback: number, min: number, max: number, scale = 1): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isFinite(n) && n >= min && n <= max) return n * scale;
    warn(`${name}="${raw}" is not a whole number from ${min} to ${max}; using ${fallback / scale}`);
    return fallback;
  };
  /**
   * A switch: on/off and their usual spellings (true/false, yes/no, 1/0, any case). A value
   * that is none of them takes `unclear`, the safe side: analytics off (a mistyped opt-out
   * must not record), rate limiting on (a mistyped value must not open the API to abuse).
   */
  const toggle = (name: VarName, fallback: boolean, unclear: boolean, extra: readonly string[] = []): boolean | string => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const v = raw.toLowerCase();
    if (extra.includes(v)) return v;
    if (['on', 'true', 'yes', '1'].includes(v)) return true;
    if (['off', 'false', 'no', '0'].includes(v)) return false;
    warn(`${name}="${raw}" is not on or off${extra.length ? ` or ${extra.join(', ')}` : ''}; taking it as ${unclear ? 'on' : 'off'}, the safe side`);
    return unclear;
  };
  const analytics = toggle('ANALYTICS', d.analytics !== 'off', false, ['log']);
  return Object.freeze({
    corsOrigins: corsOrigins(env.CORS_ORIGINS, warn),
    cacheBytes: number('CACHE_MIB', d.cacheBytes, 1, 100, 1024 * 1024),
    cacheMaxAge: number('CACHE_MAX_AGE', d.cacheMaxAge, 0, 86_400),
    kvTimeoutMs: number('KV_TIMEOUT_MS', d.kvTimeoutMs, 100, 60_000),
    kvCacheTtl: number('KV_CACHE_TTL', d.kvCacheTtl, 0, 31_536_000),
    manifestTtlMs: number('MANIFEST_TTL_MS', d.manifestTtlMs, 0, 3_600_000),
    rateLimit: toggle('RATE_LIMIT', d.rateLimit, true) === true,
    analytics: analytics === 'log' ? 'log' : analytics === true ? 'on' : 'off',
  } satisfies Config);
}

/**
 * `CORS_ORIGINS`: `*`, or origins separated by commas (or spaces), each `scheme://host[:port]`
 * as a browser sends it in `Origin`: written in any case, with a trailing slash or the scheme's
 * default port, it is made so; one with a path, without a scheme, or `null` (what sandboxed
 * frames and files send) is named in a warning and left out. None left: no origin at all is
 * allowed (never `*` by accident).
 */
function corsOrigins(raw: string | undefined, warn: (message: string) => void): '*' | string[] {
  const items = (raw ?? '*').split(/[\s,]+/).filter(Boolean);
  if (items.length === 0) {
    warn(`CORS_ORIGINS="${raw}" names nothing; allowing any origin ("*"), the default`);
    return '*';
  }
  const out: string[] = [];
  for (const item of items) {
    if (item === '*') return '*';
    let origin: string | undefined;
    try {
      const u = new URL(item);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username) origin = u.origin;
    } catch {
      origin = undefined;
    }
    if (origin && origin !== 'null') out.push(origin);
    else warn(`CORS_ORIGINS: "${item}" is not an origin (scheme://host[:port], as https://news.example); left out`);
  }
  if (out.length === 0) warn('CORS_ORIGINS names no usable origin: no cross-origin page may call the API');
  return [...new Set(out)];
}
