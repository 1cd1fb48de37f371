/**
 * End to end through `wrangler dev`: the built index bulk-loaded into a local KV (timed), the
 * Worker served on loopback, the queries sent one after another over HTTP, twice (the first
 * pass fills the isolate's cache, the second finds it warm). Bytes read come from the Worker's
 * own `Server-Timing` header, so they are what the real KV binding returned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
}

export interface E2eResult {
  kvLoad: { seconds: number; files: number };
  startSeconds: number;
  firstRequest: { latencyMs: number; kvBytes: number; kvReads: number };
  passes: E2ePass[];
}

export interface E2eOptions {
  dist: string;
  queries: BenchQuery[];
  port: number;
  /** Upper bound for the whole measurement (load, start, both passes). */
  budgetMs: number;
}

interface Sample {
  ok: boolean;
  error?: string;
  latencyMs: number;
  serverMs: number;
  kvBytes: number;
  kvReads: number;
}

/** Runs the end-to-end measurement; never leaves wrangler running. */
export async function runE2e(o: E2eOptions): Promise<E2eResult> {
  const deadline = Date.now() + o.budgetMs;
  const persist = mkdtempSync(join(tmpdir(), 'bahth-bench-kv-'));
  let child: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    const manifest = loadIntoKv({ dist: o.dist, persistTo: persist, log: (m) => log(`  ${m.slice(0, 120)}`) });
    const kvLoad = { seconds: (performance.now() - t0) / 1000, files: manifest.parts.length + 1 };
    log(`e2e: ${kvLoad.files} bulk files loaded into local KV in ${kvLoad.seconds.toFixed(0)} s`);
    const t1 = performance.now();
    const output: string[] = [];
    child = startWrangler(persist, o.port, output);
    await waitForHealth(o.port, Math.min(deadline, Date.now() + 180_000), child, output);
    const startSeconds = (performance.now() - t1) / 1000;
    log(`e2e: wrangler dev answering on :${o.port} after ${startSeconds.toFixed(0)} s`);
    const base = `http://127.0.0.1:${o.port}`;
    const samples: Sample[][] = [];
    for (const name of ['first pass (isolate filling)', 'second pass (warm)']) {
      const pass: Sample[] = [];
      for (const q of o.queries) {
        if (Date.now() > deadline) throw new Error(`e2e: over the ${o.budgetMs / 1000} s budget during the ${name}`);
        pass.push(await request(`${base}/search?q=${encodeURIComponent(q.q)}`));
      }
      samples.push(pass);
      log(`e2e: ${name}: p50 ${dist(pass.map((s) => s.latencyMs)).p50.toFixed(1)} ms`);
    }
    const first = samples[0]![0]!;
    return {
      kvLoad, startSeconds,
      firstRequest: { latencyMs: first.latencyMs, kvBytes: first.kvBytes, kvReads: first.kvReads },
      passes: samples.map((s, i) => summarize(i === 0 ? 'first pass (isolate filling)' : 'second pass (warm)', s)),
    };
  } finally {
    if (child) await stop(child);
    rmSync(persist, { recursive: true, force: true });
  }
}

function startWrangler(persist: string, port: number, output: string[]): ChildProcess {
  const child = spawn('npx', ['wrangler', 'dev', '--persist-to', persist, '--port', String(port), '--ip', '127.0.0.1'], {
    detached: true, // its own process group, so the whole tree can be stopped
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...OFFLINE_ENV },
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
    const timing = res.headers.get('server-timing') ?? '';
    const kv = /kv;desc="(\d+) reads, (\d+) keys, (\d+) bytes"/.exec(timing);
    const total = /total;dur=([\d.]+)/.exec(timing);
    return {
      ok: res.status === 200, ...(res.status === 200 ? {} : { error: `HTTP ${res.status} for ${url}` }),
      latencyMs, serverMs: total ? Number(total[1]) : Number.NaN,
      kvReads: kv ? Number(kv[1]) : Number.NaN, kvBytes: kv ? Number(kv[3]) : Number.NaN,
    };
  } catch (e) {
    return { ok: false, error: `${(e as Error).message} for ${url}`, latencyMs: performance.now() - t0, serverMs: Number.NaN, kvReads: Number.NaN, kvBytes: Number.NaN };
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
