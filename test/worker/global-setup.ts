/**
 * Builds the test indexes once, in Node, with the real build script, and hands their KV
 * entries to the tests running inside workerd (the pool does not read wrangler's local state):
 * the seeds (alone, and with hostile articles), and a sample of the ANT news corpus.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines } from '../corpus';
import type { TestProject } from 'vitest/node';
import { buildIndex } from '../../src/indexer/build-index';
import type { Article } from '../../src/core/article';
import { articlesOf, buildEntries } from '../archives';
import { HOSTILE_JSONL } from '../hostile';

export interface KvEntry {
  key: string;
  value: string;
}

/** Articles of the corpus sample (every 26th row: all sources and categories). */
export const CORPUS_SAMPLE = 1500;

/** Reads every bulk file of a built index, the switch last. */
export function readBulk(dist: string): KvEntry[] {
  const entries: KvEntry[] = [];
  for (const f of readdirSync(join(dist, 'kv')).sort()) entries.push(...(JSON.parse(readFileSync(join(dist, 'kv', f), 'utf8')) as KvEntry[]));
  entries.push(...(JSON.parse(readFileSync(join(dist, 'switch.json'), 'utf8')) as KvEntry[]));
  return entries;
}

/** Every 26th row of the corpus: the file is grouped by source, so a stride reaches all six of them. */
async function sampleCorpus(file: string, n: number): Promise<void> {
  writeFileSync(file, (await corpusLines(26, n)).join('\n') + '\n');
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-test-'));
  await buildIndex({ inputs: ['seeds'], outDir: join(dir, 'seeds') });
  project.provide('seedIndex', readBulk(join(dir, 'seeds')));
  writeFileSync(join(dir, 'hostile.jsonl'), HOSTILE_JSONL);
  await buildIndex({ inputs: ['seeds', join(dir, 'hostile.jsonl')], outDir: join(dir, 'hostile') });
  project.provide('hostileIndex', readBulk(join(dir, 'hostile')));
  const sample = join(dir, 'sample.jsonl');
  await sampleCorpus(sample, CORPUS_SAMPLE);
  await buildIndex({ inputs: [sample], outDir: join(dir, 'sample') });
  project.provide('sampleIndex', readBulk(join(dir, 'sample')));
  project.provide('sampleArticles', readFileSync(sample, 'utf8').trim().split('\n').slice(0, 200));
  project.provide('live', await liveArchive());
  return () => rmSync(dir, { recursive: true, force: true });
}

/** A row with a paragraph added (a correction of the article). */
function revised(row: string): string {
  const o = JSON.parse(row) as { body: string };
  return JSON.stringify({ ...o, body: `${o.body}\nتصحيح: أضيفت إلى الخبر فقرة عن الاستعراض البحري بعد نشره.` });
}

/**
 * The live-archive tests' data, in the order a newsroom publishes: a base A (the 500 oldest
 * articles), a first publish (the next 100, and 10 of A revised), a second (the 100 newest, 5 of
 * A deleted), and one full build of what is then live.
 */
async function liveArchive(): Promise<LiveData> {
  const time = (r: string) => Date.parse((JSON.parse(r) as { date?: string }).date ?? '') || 0;
  const rows = (await corpusLines(41, 700)).sort((x, y) => time(x) - time(y));
  const a = rows.slice(0, 500);
  const replaced = a.slice(0, 10).map(revised);
  const deleted = a.slice(10, 15).map((r) => (JSON.parse(r) as { id: string }).id);
  return {
    base: await buildEntries(a),
    full: await buildEntries([...replaced, ...a.slice(15), ...rows.slice(500, 700)]),
    first: await articlesOf([...rows.slice(500, 600), ...replaced]),
    second: await articlesOf(rows.slice(600, 700)),
    deleted,
    titles: rows.map((r) => (JSON.parse(r) as { title: string }).title),
  };
}

export interface LiveData {
  base: KvEntry[];
  full: KvEntry[];
  first: Article[];
  second: Article[];
  deleted: string[];
  titles: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    seedIndex: KvEntry[];
    /** The seeds and the articles of test/hostile.ts, which try to break out of their text. */
    hostileIndex: KvEntry[];
    sampleIndex: KvEntry[];
    /** The first 200 JSONL rows of the sample, for tests that need to know the articles. */
    sampleArticles: string[];
    live: LiveData;
  }
}
