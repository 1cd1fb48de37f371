/**
 * What the browser tests run against: the real Worker (bundled with esbuild, served by Miniflare
 * on a loopback port, its KV filled with an index of the seeds plus hostile articles) and a
 * third-party page on another loopback port that embeds the widget with the two-line snippet.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { buildIndex } from '../../src/indexer/build-index';
import { readBulk } from '../worker/global-setup';
import { HOSTILE, HOSTILE_JSONL } from '../hostile';
import { sealValue, unsealValue } from '../../src/core/format/layout';

export { HOSTILE };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Harness {
  /** The Worker's origin, e.g. http://127.0.0.1:41234. */
  worker: string;
  /** The embedding page's origin, another port. */
  page: string;
  close(): Promise<void>;
}

/** The third-party pages: each holds the two-line snippet and nothing else of ours. */
function pages(worker: string): Record<string, string> {
  const doc = (element: string): string =>
    `<!doctype html>\n<meta charset="utf-8">\n<title>A third-party page</title>\n<script src="${worker}/embed.js" type="module"></script>\n${element}\n`;
  return {
    '/': doc('<bahth-search></bahth-search>'),
    '/en': doc('<bahth-search lang="en"></bahth-search>'),
    '/broken': doc(`<bahth-search api="${worker}/no-such-api"></bahth-search>`),
    '/bad-api': doc('<bahth-search api="search.example.com" limit=""></bahth-search>'),
    '/empty-limit': doc('<bahth-search limit=""></bahth-search>'),
  };
}

/** Starts everything; bounded: every step either finishes or throws within the hook timeout. */
export async function startHarness(): Promise<Harness> {
  const tmp = mkdtempSync(join(tmpdir(), 'bahth-browser-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(tmp, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const hostile = join(tmp, 'hostile.jsonl');
    writeFileSync(hostile, HOSTILE_JSONL);
    const dist = join(tmp, 'dist');
    await buildIndex({ inputs: [join(ROOT, 'seeds'), hostile], outDir: dist, log: () => undefined });

    const mf = new Miniflare({
      modules: true,
      scriptPath: await bundleWorker(tmp),
      // Module names are paths relative to this; the default (cwd) cannot reach the temp dir.
      modulesRoot: tmp,
      compatibilityDate: wranglerSetting('compatibility_date'),
      compatibilityFlags: wranglerFlags(),
      kvNamespaces: ['INDEX'],
      bindings: wranglerVars(),
      // As wrangler.toml declares them: the local dataset accepts data points and keeps none.
      analyticsEngineDatasets: { SEARCH_EVENTS: { dataset: 'bahth_search' } },
      ratelimits: { CLICK_LIMITER: { simple: { limit: 30, period: 60 } } },
      host: '127.0.0.1',
      port: 0,
    });
    cleanups.push(() => mf.dispose());
    const worker = (await mf.ready).origin;
    const kv = await mf.getKVNamespace('INDEX');
    // As in a deploy: every key of the version first, the manifest switch last.
    const entries = withScriptUrl(readBulk(dist), HOSTILE.id);
    for (const e of entries) if (e.key !== 'manifest') await kv.put(e.key, e.value);
    for (const e of entries) if (e.key === 'manifest') await kv.put(e.key, e.value);

    const html = pages(worker);
    const server = createServer((req, res) => {
      const body = html[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? 'not found');
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    cleanups.push(() => closeServer(server));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('page server has no port');
    return { worker, page: `http://127.0.0.1:${address.port}`, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The article `id` with a `javascript:` url, as an index built before the build refused such
 * urls may hold one: the widget must still never follow it.
 */
function withScriptUrl(entries: { key: string; value: string }[], id: string): { key: string; value: string }[] {
  let found = 0;
  const out = entries.map((e) => {
    if (!e.key.startsWith('a/')) return e;
    const article = JSON.parse(unsealValue(e.value)!) as { id: string; url?: string };
    if (article.id !== id) return e;
    found++;
    return { key: e.key, value: sealValue(JSON.stringify({ ...article, url: 'javascript:window.__pwned=1' })) };
  });
  if (found !== 1) throw new Error(`harness: article ${id} found ${found} times in the index`);
  return out;
}

/** Bundles the Worker as wrangler would: src/worker/index.ts, nothing added. */
async function bundleWorker(tmp: string): Promise<string> {
  const outfile = join(tmp, 'worker.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/worker/index.ts')],
    bundle: true,
    outfile,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    external: ['cloudflare:*', 'node:*'],
    logLevel: 'silent',
  });
  return outfile;
}

const WRANGLER_TOML = (): string => readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');

function wranglerSetting(key: string): string {
  const m = new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(WRANGLER_TOML());
  if (!m?.[1]) throw new Error(`wrangler.toml: no ${key}`);
  return m[1];
}

/** wrangler.toml's `compatibility_flags` (nodejs_compat: the core inflates values with node:zlib). */
function wranglerFlags(): string[] {
  const m = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(WRANGLER_TOML());
  return m ? [...m[1]!.matchAll(/"([^"]+)"/g)].map((f) => f[1]!) : [];
}

/** The `[vars]` of wrangler.toml (string values only, which is all it holds). */
function wranglerVars(): Record<string, string> {
  const section = /^\[vars\]\s*$([^]*?)(?=^\[|(?![^]))/m.exec(WRANGLER_TOML())?.[1] ?? '';
  return Object.fromEntries([...section.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Where screenshots go (git-ignored); created on demand. */
export function screenshotDir(): string {
  const dir = join(ROOT, 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const DOCS_SCREENSHOT = join(ROOT, 'docs/widget.png');
export const ARTICLE_SCREENSHOT = join(ROOT, 'docs/article-page.png');
