import { describe, expect, it } from 'vitest';
import { configOf, DEFAULT_CONFIG, parseConfig } from '../../src/worker/config';

function parse(vars: Record<string, string>) {
  const warnings: string[] = [];
  const config = parseConfig(vars, (m) => warnings.push(m));
  return { config, warnings };
}

describe('the Worker config', () => {
  it('gives every default when no variable is set, with no warnings', () => {
    const { config, warnings } = parse({});
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(warnings).toEqual([]);
  });

  it('parses each variable into its typed value', () => {
    const { config, warnings } = parse({
      CORS_ORIGINS: 'https://a.example, https://b.example',
      CACHE_MIB: '8',
      CACHE_MAX_AGE: '0',
      KV_TIMEOUT_MS: '250',
      KV_CACHE_TTL: '3600',
      MANIFEST_TTL_MS: '0',
      RATE_LIMIT: 'on',
      ANALYTICS: 'log',
    });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      corsOrigins: ['https://a.example', 'https://b.example'],
      cacheBytes: 8 * 1024 * 1024,
      cacheMaxAge: 0,
      kvTimeoutMs: 250,
      kvCacheTtl: 3600,
      manifestTtlMs: 0,
      rateLimit: true,
      analytics: 'log',
    });
  });

  it('reads a * anywhere in the origin list as any origin, and a list naming nothing as the default', () => {
    expect(parse({ CORS_ORIGINS: 'https://a.example,*' }).config.corsOrigins).toBe('*');
    const blank = parse({ CORS_ORIGINS: ' , ' });
    expect(blank.config.corsOrigins).toBe('*');
    expect(blank.warnings).toEqual(['CORS_ORIGINS=" , " names nothing; allowing any origin ("*"), the default']);
  });

  it('writes origins as browsers send them, and leaves out what is not one, saying so', () => {
    const { config, warnings } = parse({ CORS_ORIGINS: 'HTTPS://News.Example/, https://a.example:443 http://b.example:8080 a.example https://c.example/path null' });
    expect(config.corsOrigins).toEqual(['https://news.example', 'https://a.example', 'http://b.example:8080']);
    expect(warnings).toEqual([
      'CORS_ORIGINS: "a.example" is not an origin (scheme://host[:port], as https://news.example); left out',
      'CORS_ORIGINS: "https://c.example/path" is not an origin (scheme://host[:port], as https://news.example); left out',
      'CORS_ORIGINS: "null" is not an origin (scheme://host[:port], as https://news.example); left out',
    ]);
    // Nothing usable: no origin is allowed, never every one.
    const none = parse({ CORS_ORIGINS: 'null' });
    expect(none.config.corsOrigins).toEqual([]);
    expect(none.warnings.at(-1)).toContain('names no usable origin');
  });

  it('names a bad value in a warning and keeps the default', () => {
    const { config, warnings } = parse({ CACHE_MIB: 'lots', CACHE_MAX_AGE: '1.5', KV_TIMEOUT_MS: '1e9', MANIFEST_TTL_MS: '0x10' });
    expect(config.cacheBytes).toBe(DEFAULT_CONFIG.cacheBytes);
    expect(config.cacheMaxAge).toBe(DEFAULT_CONFIG.cacheMaxAge);
    expect(config.kvTimeoutMs).toBe(DEFAULT_CONFIG.kvTimeoutMs);
    expect(config.manifestTtlMs).toBe(DEFAULT_CONFIG.manifestTtlMs);
    expect(warnings).toEqual([
      'CACHE_MIB="lots" is not a whole number from 1 to 100; using 32',
      'CACHE_MAX_AGE="1.5" is not a whole number from 0 to 86400; using 60',
      'KV_TIMEOUT_MS="1e9" is not a whole number from 100 to 60000; using 5000',
      'MANIFEST_TTL_MS="0x10" is not a whole number from 0 to 3600000; using 30000',
    ]);
  });

  it('reads the usual spellings of on and off; a switch it cannot read takes the safe side', () => {
    for (const v of ['on', 'ON', 'true', 'Yes', '1']) expect(parse({ RATE_LIMIT: v, ANALYTICS: v }).config).toMatchObject({ rateLimit: true, analytics: 'on' });
    for (const v of ['off', 'Off', 'FALSE', 'no', '0']) expect(parse({ RATE_LIMIT: v, ANALYTICS: v }).config).toMatchObject({ rateLimit: false, analytics: 'off' });
    expect(parse({ ANALYTICS: 'LOG' }).config.analytics).toBe('log');
    // A mistyped opt-out records nothing; a mistyped rate limit limits.
    const { config, warnings } = parse({ ANALYTICS: 'of', RATE_LIMIT: 'onn' });
    expect(config).toMatchObject({ analytics: 'off', rateLimit: true });
    expect(warnings).toEqual([
      'ANALYTICS="of" is not on or off or log; taking it as off, the safe side',
      'RATE_LIMIT="onn" is not on or off; taking it as on, the safe side',
    ]);
  });

  it('parses an environment once and hands back the same frozen object', () => {
    const env = { CACHE_MAX_AGE: '30' };
    const a = configOf(env);
    expect(a.cacheMaxAge).toBe(30);
    expect(configOf(env)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(configOf({ CACHE_MAX_AGE: '30' })).not.toBe(a);
  });
});
