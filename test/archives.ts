/**
 * Archives for the live-archive tests: a full build into memory, articles read from JSONL rows,
 * and a publish carried out against a KV store, as `npm run publish` does.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Article } from '../src/core/article';
import { buildIndex } from '../src/indexer/build-index';
import { readArticles } from '../src/indexer/ingest/index';
import { executePlan, MemoryKv, planPublish, type KvStore, type PublishOptions, type PublishPlan } from '../src/indexer/publish';
import { tokenize } from '../src/core/analyzer/index';

/** Builds the rows as one full index and returns its KV entries (the manifest last). */
export async function buildEntries(rows: string[]): Promise<{ key: string; value: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-archive-'));
  try {
    writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
    await buildIndex({ inputs: [join(dir, 'in.jsonl')], outDir: join(dir, 'dist') });
    const out: { key: string; value: string }[] = [];
    for (const f of readdirSync(join(dir, 'dist', 'kv')).sort()) out.push(...(JSON.parse(readFileSync(join(dir, 'dist', 'kv', f), 'utf8')) as { key: string; value: string }[]));
    out.push(...(JSON.parse(readFileSync(join(dir, 'dist', 'switch.json'), 'utf8')) as { key: string; value: string }[]));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A full build of the rows in a MemoryKv. */
export async function buildKv(rows: string[]): Promise<MemoryKv> {
  return new MemoryKv(new Map((await buildEntries(rows)).map((e) => [e.key, e.value])));
}

/** JSONL rows as validated articles (as `npm run publish` reads them). */
export async function articlesOf(rows: string[]): Promise<Article[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-rows-'));
  try {
    writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
    const out: Article[] = [];
    for await (const a of readArticles([join(dir, 'in.jsonl')])) out.push(a);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plans and carries out one publish. */
export async function publish(kv: KvStore, o: Omit<PublishOptions, 'source'>): Promise<PublishPlan> {
  const plan = await planPublish({ ...o, source: kv });
  await executePlan(kv, plan);
  return plan;
}

/** `n` queries of 1–3 consecutive title words, from a fixed seed. */
export function titleQueries(titles: string[], n: number, seed = 7): string[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: string[] = [];
  while (out.length < n) {
    const words = tokenize(titles[Math.floor(rand() * titles.length)]!).map((t) => t.norm);
    if (words.length === 0) continue;
    const k = 1 + Math.floor(rand() * 3);
    const at = Math.floor(rand() * Math.max(1, words.length - k));
    out.push(words.slice(at, at + k).join(' '));
  }
  return out;
}
