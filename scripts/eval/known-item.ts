/**
 * The known-item test's queries: a seeded sample of news titles, each asked as the whole title
 * and as its first four content words, clean and rewritten by every variant; and the
 * person-name typo check.
 */
import type { EvalDoc } from './data';
import { luceneNormalize, STOP_WORDS } from './lucene-bm25';
import { hashSeed, mulberry32, typoWord, VARIANTS, type Rng } from './variants';

export type QueryKind = 'title' | 'first4';
export const QUERY_KINDS: readonly QueryKind[] = ['title', 'first4'];

export interface KnownItem {
  target: string;
  title: string;
  /** Query per kind, clean. */
  clean: Record<QueryKind, string>;
}

export interface KnownItemQuery {
  target: string;
  kind: QueryKind;
  /** 'clean' or a variant name. */
  variant: string;
  q: string;
  /** False when the variant had nothing to rewrite in this query (it equals the clean one). */
  changed: boolean;
}

/** Stop words compared in normalized form, so أن and ان are both stop words whatever the title writes. */
const NORMALIZED_STOPS = new Set([...STOP_WORDS].map(luceneNormalize));

/** Words of a text as written (harakat and tatweel kept), without the punctuation around them. */
function surfaceWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}\u0640]*/gu) ?? [];
}

function isContentWord(word: string): boolean {
  const norm = luceneNormalize(word.toLowerCase());
  if (/^\p{N}+$/u.test(norm)) return true;
  return norm.length >= 2 && !NORMALIZED_STOPS.has(norm);
}

export function contentWords(title: string): string[] {
  return surfaceWords(title).filter(isContentWord);
}

function titleKey(title: string): string {
  return surfaceWords(title).map((w) => luceneNormalize(w.toLowerCase())).join(' ');
}

/**
 * `size` news articles (ids `ant…`) drawn with a seeded shuffle, among those whose title has 4+
 * content words and is not shared by another document (a duplicated title has no single right answer).
 */
export function sampleKnownItems(docs: EvalDoc[], size: number, seed: number, titleFilter: (title: string) => boolean = () => true): KnownItem[] {
  const titleCount = new Map<string, number>();
  for (const d of docs) {
    const k = titleKey(d.title);
    titleCount.set(k, (titleCount.get(k) ?? 0) + 1);
  }
  const pool = docs.filter((d) => d.id.startsWith('ant') && contentWords(d.title).length >= 4 && titleCount.get(titleKey(d.title)) === 1 && titleFilter(d.title.trim()));
  const rng = mulberry32(seed);
  // Partial Fisher–Yates: the first `size` places are a uniform sample.
  const order = pool.map((_, i) => i);
  const n = Math.min(size, order.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, n).map((i) => {
    const d = pool[i]!;
    return { target: d.id, title: d.title, clean: { title: d.title.trim(), first4: contentWords(d.title).slice(0, 4).join(' ') } };
  });
}

/**
 * The sample, plus up to `extra` more titles for each rewriting that few titles give it
 * anything to do (a hamza before waw, a compound name, an accusative's alef): drawn among the
 * titles it changes. `words` (normalized words and their documents) is what the tanween
 * rewriting asks, as in {@link knownItemQueries}.
 */
export function sampleWithRareVariants(docs: EvalDoc[], size: number, extra: number, seed: number, words: ReadonlyMap<string, number>): { items: KnownItem[]; added: Record<string, number> } {
  const items = sampleKnownItems(docs, size, seed);
  const chosen = new Set(items.map((i) => i.target));
  const added: Record<string, number> = {};
  for (const v of VARIANTS.filter((v) => v.rare)) {
    const more = sampleKnownItems(docs, extra, seed, (title) => v.apply(title, mulberry32(seed), words) !== title).filter((i) => !chosen.has(i.target));
    for (const i of more) chosen.add(i.target);
    items.push(...more);
    added[v.name] = more.length;
  }
  return { items, added };
}

/**
 * The items whose first four content words begin another document's title too («سيدي بوزيد :
 * تعطل الدروس …» twice): searched by those four words, two titles hold them alike, and which
 * comes first says nothing of the ranking (a peer's insertion order picks it as well as any).
 */
export function sharedFirstFour(docs: EvalDoc[], items: KnownItem[]): Set<string> {
  const key = (title: string) => contentWords(title).slice(0, 4).map((w) => luceneNormalize(w.toLowerCase())).join(' ');
  const count = new Map<string, number>();
  for (const d of docs) {
    const k = key(d.title);
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return new Set(items.filter((i) => (count.get(key(i.title)) ?? 0) > 1).map((i) => i.target));
}

/** Every query of the test: per item and kind, the clean query and each variant. */
export function knownItemQueries(items: KnownItem[], seed: number, words?: ReadonlyMap<string, number>): KnownItemQuery[] {
  const out: KnownItemQuery[] = [];
  for (const item of items) {
    for (const kind of QUERY_KINDS) {
      const clean = item.clean[kind];
      out.push({ target: item.target, kind, variant: 'clean', q: clean, changed: false });
      for (const v of VARIANTS) {
        const q = v.apply(clean, mulberry32(hashSeed(seed, item.target, kind, v.name)), words);
        out.push({ target: item.target, kind, variant: v.name, q, changed: q !== clean });
      }
    }
  }
  return out;
}

/** Well-known people of 2013–2018 news, as single words of 5+ letters (typo tolerance starts at 5). */
export const PERSON_NAMES: readonly string[] = [
  'ترامب', 'بوتين', 'ماكرون', 'أردوغان', 'نتنياهو', 'السيسي', 'ميركل', 'روحاني',
  'سلمان', 'خامنئي', 'لافروف', 'تيلرسون', 'السبسي', 'الغنوشي', 'الحريري', 'بومبيو',
];

export interface PersonTypo {
  name: string;
  typo: string;
}

/** `perName` distinct one-edit misspellings of each name. */
export function personTypos(seed: number, perName = 3): PersonTypo[] {
  const out: PersonTypo[] = [];
  for (const name of PERSON_NAMES) {
    const seen = new Set<string>([name]);
    const rng: Rng = mulberry32(hashSeed(seed, 'person', name));
    for (let tries = 0; tries < 50 && seen.size <= perName; tries++) {
      const t = typoWord(name, rng);
      if (seen.has(t)) continue;
      seen.add(t);
      out.push({ name, typo: t });
    }
  }
  return out;
}
