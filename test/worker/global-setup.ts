/**
 * Builds the test indexes once, in Node, with the real build script, and hands their KV
 * entries to the tests running inside workerd (the pool does not read wrangler's local state):
 * the seeds, and a sample of the ANT news corpus.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines } from '../corpus';
import type { TestProject } from 'vitest/node';
import { buildIndex } from '../../src/build/build-index';

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
  const sample = join(dir, 'sample.jsonl');
  await sampleCorpus(sample, CORPUS_SAMPLE);
  await buildIndex({ inputs: [sample], outDir: join(dir, 'sample') });
  project.provide('sampleIndex', readBulk(join(dir, 'sample')));
  project.provide('sampleArticles', readFileSync(sample, 'utf8').trim().split('\n').slice(0, 200));
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    seedIndex: KvEntry[];
    sampleIndex: KvEntry[];
    /** The first 200 JSONL rows of the sample, for tests that need to know the articles. */
    sampleArticles: string[];
  }
}
