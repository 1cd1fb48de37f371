/** Benchmark queries: 1–3 consecutive words of real article titles, drawn with a seeded RNG. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parseQuery } from '../../src/core/search/query';
import { mulberry32, pick } from './util';

export interface BenchQuery {
  q: string;
  /** Words as typed (1–3). */
  words: number;
  /** Words left after stop words are removed (what is looked up). */
  content: number;
}

/** Titles of a JSONL(.gz) corpus, in file order. */
export async function readTitles(file: string): Promise<string[]> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const titles: string[] = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { title?: unknown };
    if (typeof row.title === 'string' && row.title.trim()) titles.push(row.title);
  }
  return titles;
}

/** Words of a title: whitespace-separated, punctuation trimmed at the edges, pure punctuation dropped. */
export function titleWords(title: string): string[] {
  return title
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, '').replace(/[^\p{L}\p{N}\p{M}]+$/u, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** `count` queries: a random title, then 1–3 (uniform) consecutive words of it. */
export function makeQueries(titles: string[], count: number, seed: number): BenchQuery[] {
  const rng = mulberry32(seed);
  const out: BenchQuery[] = [];
  while (out.length < count) {
    const words = titleWords(titles[pick(rng, titles.length)]!);
    if (words.length === 0) continue;
    const k = Math.min(words.length, 1 + pick(rng, 3));
    const start = pick(rng, words.length - k + 1);
    const q = words.slice(start, start + k).join(' ');
    out.push({ q, words: k, content: parseQuery(q).words.length });
  }
  return out;
}
