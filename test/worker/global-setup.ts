/**
 * Builds the seed index once, in Node, with the real build script, and hands its KV entries to
 * the tests running inside workerd (the pool does not read wrangler's local state).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIndex } from '../../src/build/build-index';

export interface KvEntry {
  key: string;
  value: string;
}

/** Reads every bulk file of a built index, the switch last. */
export function readBulk(dist: string): KvEntry[] {
  const entries: KvEntry[] = [];
  for (const f of readdirSync(join(dist, 'kv')).sort()) entries.push(...(JSON.parse(readFileSync(join(dist, 'kv', f), 'utf8')) as KvEntry[]));
  entries.push(...(JSON.parse(readFileSync(join(dist, 'switch.json'), 'utf8')) as KvEntry[]));
  return entries;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-test-'));
  const dist = join(dir, 'dist');
  await buildIndex({ inputs: ['seeds'], outDir: dist });
  project.provide('seedIndex', readBulk(dist));
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    seedIndex: KvEntry[];
  }
}
