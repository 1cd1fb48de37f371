/**
 * Loads a built index (dist/) into a KV namespace with `wrangler kv bulk put`: every part
 * first, the version switch last, so readers never see a manifest without its index.
 * Local by default (wrangler dev's state); `--remote` for the real namespace.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildManifest } from '../src/build/build-index';

export interface LoadOptions {
  dist: string;
  remote?: boolean;
  persistTo?: string;
  dryRun?: boolean;
  log?: (m: string) => void;
}

/** Runs wrangler for each bulk file; throws with wrangler's output on failure. */
export function loadIntoKv(o: LoadOptions): BuildManifest {
  const log = o.log ?? ((m: string) => console.error(m));
  const manifest = JSON.parse(readFileSync(join(o.dist, 'manifest.json'), 'utf8')) as BuildManifest;
  const files = [...manifest.parts.map((p) => p.file), manifest.switch.file];
  files.forEach((file, i) => {
    const args = ['wrangler', 'kv', 'bulk', 'put', resolve(o.dist, file), '--binding', 'INDEX', o.remote ? '--remote' : '--local'];
    if (!o.remote && o.persistTo) args.push('--persist-to', o.persistTo);
    log(`${o.dryRun ? 'would run' : 'kv'} [${i + 1}/${files.length}] npx ${args.join(' ')}`);
    if (o.dryRun) return;
    const r = spawnSync('npx', args, { encoding: 'utf8', env: { ...process.env, ...OFFLINE_ENV }, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`wrangler kv bulk put ${file} failed:\n${r.stdout}\n${r.stderr}`);
  });
  return manifest;
}

/** Lets wrangler run with loopback only (platform.md). */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};
