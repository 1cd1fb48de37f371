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

  it('reads a * anywhere in the origin list as any origin', () => {
    expect(parse({ CORS_ORIGINS: 'https://a.example,*' }).config.corsOrigins).toBe('*');
    expect(parse({ CORS_ORIGINS: ' , ' }).config.corsOrigins).toBe('*');
  });

  it('names a bad value in a warning and keeps the default', () => {
    const { config, warnings } = parse({ CACHE_MIB: 'lots', CACHE_MAX_AGE: '-5', KV_TIMEOUT_MS: '1e9', ANALYTICS: 'maybe', RATE_LIMIT: 'yes' });
    expect(config.cacheBytes).toBe(DEFAULT_CONFIG.cacheBytes);
    expect(config.cacheMaxAge).toBe(DEFAULT_CONFIG.cacheMaxAge);
    expect(config.kvTimeoutMs).toBe(DEFAULT_CONFIG.kvTimeoutMs);
    expect(config.analytics).toBe('on');
    expect(config.rateLimit).toBe(false);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toBe('CACHE_MIB="lots" is not a number from 1 to 100; using 32');
    expect(warnings.find((w) => w.startsWith('ANALYTICS='))).toBe('ANALYTICS="maybe" is not one of on, off, log; using on');
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
