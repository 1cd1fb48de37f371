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
  const number = (name: VarName, fallback: number, min: number, max: number, scale = 1): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= min && n <= max) return n * scale;
    warn(`${name}="${raw}" is not a number from ${min} to ${max}; using ${fallback / scale}`);
    return fallback;
  };
  const choice = <T extends string>(name: VarName, options: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if ((options as readonly string[]).includes(raw)) return raw as T;
    warn(`${name}="${raw}" is not one of ${options.join(', ')}; using ${fallback}`);
    return fallback;
  };
  const origins = (env.CORS_ORIGINS ?? '*').split(',').map((o) => o.trim()).filter(Boolean);
  return Object.freeze({
    corsOrigins: origins.length === 0 || origins.includes('*') ? '*' : origins,
    cacheBytes: number('CACHE_MIB', d.cacheBytes, 1, 100, 1024 * 1024),
    cacheMaxAge: number('CACHE_MAX_AGE', d.cacheMaxAge, 0, 86_400),
    kvTimeoutMs: number('KV_TIMEOUT_MS', d.kvTimeoutMs, 100, 60_000),
    kvCacheTtl: number('KV_CACHE_TTL', d.kvCacheTtl, 0, 31_536_000),
    manifestTtlMs: number('MANIFEST_TTL_MS', d.manifestTtlMs, 0, 3_600_000),
    rateLimit: choice('RATE_LIMIT', ['on', 'off'] as const, d.rateLimit ? 'on' : 'off') === 'on',
    analytics: choice('ANALYTICS', ['on', 'off', 'log'] as const, d.analytics),
  } satisfies Config);
}
