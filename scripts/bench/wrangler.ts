/**
 * End to end through `wrangler dev`: the built index bulk-loaded into a local KV (timed), the
 * Worker served on loopback, and each query sent three times in a row, one request at a time:
 * 1. `/search?q=…` — the first time this isolate sees the query (its cache holds whatever
 *    earlier queries left under the 32 MB cap);
 * 2. the same with `&limit=10` (the default: the same search under another URL, so the Cache API
 *    in front of /search misses, and the isolate has just loaded everything it needs);
 * 3. request 1 again, within the response's 60 s max-age: the Cache API answers.
 * Bytes read come from the Worker's own `Server-Timing` header (what the real KV binding
 * returned); a Cache API hit (`x-bahth-cache: hit`) read nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadIntoKv, OFFLINE_ENV } from '../kv-load';
import type { BenchQuery } from './queries';
import { dist, log, type Dist } from './util';

export interface E2ePass {
  name: string;
  requests: number;
  errors: number;
  errorSamples: string[];
  /** Client-side latency (fetch to end of body). */
  latencyMs: Dist;
  /** The Worker's own `total` from Server-Timing. */
  serverMs: Dist;
  /** KV bytes and reads per request, from Server-Timing. */
  kvBytes: Dist;
  kvReads: Dist;
  /** Requests that read nothing from KV (all from the isolate's cache). */
  noReads: number;
  /** Requests answered by the Cache API (their KV figures count as 0). */
  cacheHits: number;
}

export interface KvLoad {
  seconds: number;
  files: number;
  /** When the load ran; `fresh` when this run did it (else the local KV state was reused). */
  loadedAt: string;
  fresh: boolean;
}

export interface E2eResult {
  kvLoad: KvLoad;
  startSeconds: number;
  firstRequest: { latencyMs: number; kvBytes: number; kvReads: number };
  passes: E2ePass[];
}

export interface E2eOptions {
  dist: string;
  /** Local KV state is kept under here per index version, so a rerun skips the slow bulk load. */
  cacheDir: string;
  reload: boolean;
  queries: BenchQuery[];
  port: number;
  /** Upper bound for starting wrangler and both passes (the bulk load is not bounded). */
  budgetMs: number;
}

interface Sample {
  ok: boolean;
  cacheHit: boolean;
  error?: string;
  latencyMs: number;
  serverMs: number;
  kvBytes: number;
  kvReads: number;
}

/** Runs the end-to-end measurement; never leaves wrangler running. */
export async function runE2e(o: E2eOptions): Promise<E2eResult> {
  const version = (JSON.parse(readFileSync(join(o.dist, 'manifest.json'), 'utf8')) as { version: string }).version;
  const persist = join(o.cacheDir, `wrangler-state-${version}`);
  const kvLoad = await ensureLoaded(o.dist, persist, o.reload);
  const deadline = Date.now() + o.budgetMs;
  let child: ChildProcess | undefined;
  try {
    const t1 = performance.now();
    const output: string[] = [];
    child = startWrangler(persist, o.port, output);
    await waitForHealth(o.port, Math.min(deadline, Date.now() + 180_000), child, output);
    const startSeconds = (performance.now() - t1) / 1000;
    log(`e2e: wrangler dev answering on :${o.port} after ${startSeconds.toFixed(0)} s`);
    const base = `http://127.0.0.1:${o.port}`;
    const samples: Sample[][] = PASSES.map(() => []);
    for (const q of o.queries) {
      if (Date.now() > deadline) throw new Error(`e2e: over the ${o.budgetMs / 1000} s budget after ${samples[0]!.length} queries`);
      for (let i = 0; i < PASSES.length; i++) samples[i]!.push(await request(`${base}/search?q=${encodeURIComponent(q.q)}${PASSES[i]![1]}`));
      if (samples[0]!.length % 250 === 0) log(`e2e: ${samples[0]!.length}/${o.queries.length} queries`);
    }
    const passes = samples.map((s, i) => summarize(PASSES[i]![0], s));
    for (const p of passes) log(`e2e: ${p.name}: p50 ${p.latencyMs.p50.toFixed(1)} ms`);
    const first = samples[0]![0];
    return {
      kvLoad, startSeconds,
      firstRequest: { latencyMs: first?.latencyMs ?? Number.NaN, kvBytes: first?.kvBytes ?? Number.NaN, kvReads: first?.kvReads ?? Number.NaN },
      passes,
    };
  } finally {
    if (child) await stop(child);
  }
}

/** Bulk-loads the index into a local KV state folder once per index version (timed); reuses it after. */
async function ensureLoaded(dist: string, persist: string, reload: boolean): Promise<KvLoad> {
  const record = `${persist}.loaded.json`;
  if (!reload && existsSync(record) && existsSync(persist)) {
    const saved = JSON.parse(readFileSync(record, 'utf8')) as KvLoad;
    log(`e2e: reusing the local KV state loaded ${saved.loadedAt} (${saved.seconds.toFixed(0)} s then)`);
    return { ...saved, fresh: false };
  }
  rmSync(persist, { recursive: true, force: true });
  rmSync(record, { force: true });
  pruneOtherStates(persist);
  const t0 = performance.now();
  const built = await loadIntoKv({ dist, persistTo: persist, log: (m) => log(`  ${m.slice(0, 110)}`) });
  const kvLoad: KvLoad = { seconds: (performance.now() - t0) / 1000, files: built.parts.length + 1, loadedAt: new Date().toISOString(), fresh: true };
  writeFileSync(record, JSON.stringify(kvLoad, null, 2) + '\n');
  log(`e2e: ${kvLoad.files} bulk files loaded into local KV in ${kvLoad.seconds.toFixed(0)} s`);
  return kvLoad;
}

/**
 * Removes the local KV states of other index versions beside `persist`: each holds the whole
 * index again (about 0.5 GB for the corpus), and a new build never reads an old one.
 */
export function pruneOtherStates(persist: string): void {
  const dir = dirname(persist);
  const own = basename(persist);
  const stale = readdirSync(dir).filter((f) => f.startsWith('wrangler-state-') && f !== own && f !== `${own}.loaded.json`);
  for (const f of stale) rmSync(join(dir, f), { recursive: true, force: true });
  if (stale.length > 0) log(`e2e: removed ${stale.length} local KV state files of earlier index versions`);
}

const PASSES: [name: string, extra: string][] = [
  ['1: first time (isolate cache under its cap)', ''],
  ['2: repeated, Cache API missed (isolate warm)', '&limit=10'],
  ['3: repeated, Cache API hit', ''],
];

function startWrangler(persist: string, port: number, output: string[]): ChildProcess {
  const child = spawn('npx', ['wrangler', 'dev', '--persist-to', persist, '--port', String(port), '--ip', '127.0.0.1'], {
    detached: true, // its own process group, so the whole tree can be stopped
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...OFFLINE_ENV },
  });
  // If the benchmark itself is interrupted, take wrangler's process group down with it.
  const onSignal = (signal: NodeJS.Signals) => {
    try { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  child.once('exit', () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  });
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function waitForHealth(port: number, until: number, child: ChildProcess, output: string[]): Promise<void> {
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output.join('').slice(-3000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) });
      await res.text();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`wrangler dev did not answer /health in time:\n${output.join('').slice(-3000)}`);
}

async function request(url: string): Promise<Sample> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    const latencyMs = performance.now() - t0;
    const cacheHit = res.headers.get('x-bahth-cache') === 'hit';
    // A Cache API hit carries the Server-Timing of the response it stored: it read nothing itself.
    const timing = cacheHit ? '' : res.headers.get('server-timing') ?? '';
    const kv = /kv;desc="(\d+) reads, (\d+) keys, (\d+) bytes"/.exec(timing);
    const total = /total;dur=([\d.]+)/.exec(timing);
    return {
      ok: res.status === 200, cacheHit, ...(res.status === 200 ? {} : { error: `HTTP ${res.status} for ${url}` }),
      latencyMs, serverMs: total ? Number(total[1]) : Number.NaN,
      kvReads: cacheHit ? 0 : kv ? Number(kv[1]) : Number.NaN, kvBytes: cacheHit ? 0 : kv ? Number(kv[3]) : Number.NaN,
    };
  } catch (e) {
    return { ok: false, cacheHit: false, error: `${(e as Error).message} for ${url}`, latencyMs: performance.now() - t0, serverMs: Number.NaN, kvReads: Number.NaN, kvBytes: Number.NaN };
  }
}

function summarize(name: string, s: Sample[]): E2ePass {
  const ok = s.filter((x) => x.ok);
  const errors = s.filter((x) => !x.ok);
  return {
    name, requests: s.length, errors: errors.length, errorSamples: errors.slice(0, 3).map((x) => x.error ?? ''),
    latencyMs: dist(ok.map((x) => x.latencyMs)), serverMs: dist(ok.map((x) => x.serverMs).filter(Number.isFinite)),
    kvBytes: dist(ok.map((x) => x.kvBytes).filter(Number.isFinite)), kvReads: dist(ok.map((x) => x.kvReads).filter(Number.isFinite)),
    noReads: ok.filter((x) => x.kvReads === 0).length,
    cacheHits: ok.filter((x) => x.cacheHit).length,
  };
}

/** Stops wrangler and everything it started (its process group): SIGINT, then SIGKILL after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (s: NodeJS.Signals) => { try { process.kill(-pid, s); } catch { /* already gone */ } };
  signal('SIGINT');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  // workerd may outlive the npx wrapper: make sure nothing of the group is left.
  signal('SIGKILL');
}
