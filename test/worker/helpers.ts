import { env, exports } from 'cloudflare:workers';
import { inject } from 'vitest';

/** Writes a prebuilt index (built by global-setup with the real build script) into this file's KV. */
export async function loadIndex(name: 'seedIndex' | 'hostileIndex' | 'sampleIndex'): Promise<void> {
  const entries = inject(name);
  // The manifest switch comes last, as in a real deploy.
  for (let i = 0; i < entries.length; i += 200) {
    await Promise.all(entries.slice(i, i + 200).filter((e) => e.key !== 'manifest').map((e) => env.INDEX.put(e.key, e.value)));
  }
  for (const e of entries) if (e.key === 'manifest') await env.INDEX.put(e.key, e.value);
}

/** Loads the seed index. */
export function loadSeedIndex(): Promise<void> {
  return loadIndex('seedIndex');
}

/** Calls the Worker inside workerd, as a client would. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`http://bahth.test${path}`, init));
}

/** Calls the Worker and parses the JSON body. */
export async function getJson<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(path, init);
  return { status: res.status, body: (await res.json()) as T, res };
}

/** `/search?q=…` with the query encoded. */
export const q = (s: string, extra = ''): string => `/search?q=${encodeURIComponent(s)}${extra}`;

export interface Hit {
  id: string;
  title: string;
  titleHtml: string;
  snippet: string;
  snippetText: string;
  score: number;
  date?: string;
  source?: string;
  category?: string;
  matches: { title: [number, number][]; snippet: [number, number][] };
}

export interface Result {
  query: string;
  total: number;
  hits: Hit[];
  index: string;
  facets?: { source: Record<string, number>; category: Record<string, number>; year: Record<string, number> };
  didYouMean?: string;
  completed?: string;
  corrected?: boolean;
  unmatched?: string[];
  ignored?: string[];
  without?: string[];
  sort?: string;
  unmatchedFilters?: { source?: string[]; category?: string[] };
  framing?: string[];
  capped?: string[];
  relaxed?: string[];
}

export interface Suggestions {
  completions: { text: string; html: string; count: number }[];
  titles: { id: string; title: string; titleHtml: string }[];
}
