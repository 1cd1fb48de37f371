/**
 * `npm run bench:load`: a bounded load test of `wrangler dev` serving a built index. Mixed
 * queries (1–3 title words, some suggest calls, some article fetches) at increasing
 * concurrency, each level for a fixed time; reports throughput, latency percentiles, errors
 * and workerd's memory, and appends them to docs/benchmarks.md. Loopback only.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tokenize } from '../src/core/analyzer/index';
import type { BuildManifest } from '../src/indexer/build-index';
import { loadIntoKv, OFFLINE_ENV } from './kv-load';
import { unsealValue } from '../src/core/format/layout';

const USAGE = 'Usage: npm run bench:load -- [--dist DIR] [--persist-to DIR] [--seconds 15] [--levels 1,4,16,64] [--port 8797]\nLoads the index into local KV (unless --persist-to holds it already), serves it with wrangler dev and measures;\nappends a table to docs/benchmarks.md.';
/** Stops before anything is started or written: the message, the usage, exit 2. */
function refuse(message: string): never {
  console.error(`bench:load: ${message}\n${USAGE}`);
  process.exit(2);
}
let parsed;
try {
  parsed = parseArgs({
    options: {
      dist: { type: 'string', default: 'node_modules/.cache/bahth-bench/dist' },
      'persist-to': { type: 'string' },
      port: { type: 'string', default: '8797' },
      seconds: { type: 'string', default: '15' },
      levels: { type: 'string', default: '1,4,16,64' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  refuse((err as Error).message);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
/** A whole number within [min, max] given for --name, or the run is refused. */
function whole(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) refuse(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return Number(raw);
}
const seconds = whole('seconds', values.seconds!, 1, 3600);
const port = whole('port', values.port!, 1024, 65535);
const levels = values.levels!.split(',').map((x) => whole('levels', x.trim(), 1, 1024));
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const dist = resolve(values.dist!);
if (!existsSync(join(dist, 'manifest.json'))) refuse(`no built index in ${dist} (manifest.json missing): run npm run bench first, or give --dist`);
const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as BuildManifest;
const persist = resolve(values['persist-to'] ?? join(dist, '..', `wrangler-state-${manifest.version}`));
const base = `http://127.0.0.1:${port}`;

/** Title words of the index, for queries: read from the cards (no need for the corpus). */
function queryPool(): string[] {
  const words: string[][] = [];
  for (const f of readdirSync(join(dist, 'kv')).sort().slice(0, 3)) {
    for (const e of JSON.parse(readFileSync(join(dist, 'kv', f), 'utf8')) as { key: string; value: string }[]) {
      if (!/^a\/[^/]+\/d\//.test(e.key) || words.length >= 3000) continue;
      const json = unsealValue(e.value);
      if (json === undefined) continue;
      const title = (JSON.parse(json) as { title: string }).title;
      words.push(tokenize(title).map((t) => title.slice(t.start, t.end)));
    }
  }
  let seed = 97;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: string[] = [];
  for (const w of words) {
    if (w.length === 0) continue;
    const n = 1 + Math.floor(rand() * 3);
    const at = Math.floor(rand() * Math.max(1, w.length - n));
    const q = encodeURIComponent(w.slice(at, at + n).join(' '));
    const kind = rand();
    out.push(kind < 0.75 ? `/search?q=${q}` : kind < 0.95 ? `/suggest?q=${q}` : '/articles?limit=20');
  }
  return out;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function workerdPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd') && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(values.port!);
    } catch {
      return false;
    }
  });
}

async function level(paths: string[], concurrency: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const samples: string[] = [];
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const path = paths[next++ % paths.length]!;
      const t = performance.now();
      try {
        const res = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status >= 500 || res.status === 429) {
          errors++;
          if (samples.length < 3) samples.push(`${res.status} ${path}`);
        }
      } catch (e) {
        errors++;
        if (samples.length < 3) samples.push(`${(e as Error).message} ${path}`);
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  return { concurrency, requests: latencies.length, rps: latencies.length / seconds, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), errors, samples };
}

async function main(): Promise<void> {
  if (!existsSync(persist)) {
    console.error(`loading ${manifest.version} into local KV at ${persist} …`);
    await loadIntoKv({ dist, persistTo: persist });
  }
  const dev = spawn('npx', ['wrangler', 'dev', '--persist-to', persist, '--port', values.port!, '--ip', '127.0.0.1'], { env: { ...process.env, ...OFFLINE_ENV }, stdio: 'ignore', detached: true });
  try {
    const ready = performance.now() + 60_000;
    while (performance.now() < ready) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const paths = queryPool();
    const rows: string[] = [];
    console.error(`index ${manifest.version}, ${paths.length} mixed requests in the pool, ${seconds} s per level`);
    for (const c of levels) {
      const r = await level(paths, c, seconds);
      const rss = workerdPids().reduce((sum, pid) => sum + rssOf(pid), 0);
      const row = `| ${r.concurrency} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors}${r.samples.length ? ` (${r.samples.join('; ')})` : ''} | ${(rss / 1048576).toFixed(0)} MB |`;
      console.log(row);
      rows.push(row);
    }
    appendFileSync(
      join(ROOT, 'docs/benchmarks.md'),
      [
        '',
        `## Load test through wrangler dev (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
        '',
        `\`npm run bench:load\`: index ${manifest.version} (${manifest.counts.articles.toLocaleString('en')} articles) in local KV, served by \`wrangler dev\` on loopback; a pool of ${paths.length} requests (75 % search of 1–3 title words, 20 % suggest, 5 % article lists), each concurrency level for ${seconds} s; latency is client-side (request to end of body). Errors are 5xx, 429 and failed requests. Memory is workerd's RSS after the level (the whole runtime, not the isolate alone). One machine (2 cores) runs both the load and the server, so the numbers are a floor, not a capacity.`,
        '',
        '| concurrency | requests | req/s | p50 ms | p95 ms | p99 ms | errors | workerd RSS |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    try {
      process.kill(-dev.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

main().catch((e: unknown) => {
  console.error(`bench:load: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
