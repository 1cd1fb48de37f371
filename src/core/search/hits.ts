/**
 * The page: each hit with its highlighted title and best snippet, from the article's text (a
 * word index of which is kept beside the cached article), and the "did you mean" of a query
 * whose typos were read, written as the best results write it.
 */
import { normalize } from '../analyzer/index';
import type { Article } from '../article';
import type { Archive, LoadedTerm } from './archive';
import type { Matcher } from './matcher';
import type { SearchOptions } from './options';
import { hasDoc } from './postings';
import type { ParsedQuery } from './query';
import { surface } from './rerank/surface';
import type { RerankText } from './rerank';
import { findHits, highlightAll, snippet, type FindOptions, type Highlighted, type TextHits, type WordIndex } from './snippet';
import type { ReadStats } from './source';
import type { Correction, Hit, Ranked } from './types';

/**
 * Word indexes of cached articles' titles and bodies, built by the first query that reads an
 * article, charged to the reader's cache with it and dropped with it.
 */
const wordIndexes = new WeakMap<Article, { title?: WordIndex; body?: WordIndex }>();

/** The query's words in an article's title or body: from its word index when an earlier query built one. */
export function hitsIn(index: Archive, doc: number, a: Article, field: 'title' | 'body', matcher: Matcher, options: FindOptions = {}): TextHits {
  const entry = indexesOf(a);
  const known = entry[field];
  if (known) return findHits(known, matcher, options);
  return findHits(a[field], matcher, options, (built) => keep(index, doc, entry, field, built));
}

/** The word index an earlier query built of an article's field, if any. */
export function knownWordIndex(a: Article, field: 'title' | 'body'): WordIndex | undefined {
  return wordIndexes.get(a)?.[field];
}

/** Keeps a word index of an article's field made elsewhere (the phrase check's scan), charged to the cache with the article. */
export function keepWordIndex(index: Archive, doc: number, a: Article, field: 'title' | 'body', built: WordIndex): void {
  keep(index, doc, indexesOf(a), field, built);
}

function indexesOf(a: Article): { title?: WordIndex; body?: WordIndex } {
  let entry = wordIndexes.get(a);
  if (!entry) wordIndexes.set(a, (entry = {}));
  return entry;
}

function keep(index: Archive, doc: number, entry: { title?: WordIndex; body?: WordIndex }, field: 'title' | 'body', built: WordIndex): void {
  entry[field] = built;
  // Three Int32Arrays, and the joined text when the body came in paragraphs.
  index.chargeDoc(doc, 12 * built.count + (field === 'body' ? 2 * built.text.length : 0) + 200);
}

/** A hit for the page; `found` are the article's matches when the re-ranking already has them. */
export function toHit(index: Archive, r: Ranked, a: Article, matcher: Matcher, found?: RerankText): Hit {
  const title = highlightAll(found?.title ?? hitsIn(index, r.doc, a, 'title', matcher), matcher);
  const snip: Highlighted = snippet(found?.body ?? hitsIn(index, r.doc, a, 'body', matcher, { words: matcher.words }));
  return {
    id: a.id,
    title: a.title,
    titleHtml: title.html,
    ...(a.date ? { date: a.date } : {}),
    ...(a.sources[0] ? { source: a.sources[0] } : {}),
    sources: a.sources,
    ...(a.category ? { category: a.category } : {}),
    ...(a.url ? { url: a.url } : {}),
    score: Math.round(r.score * 1e4) / 1e4,
    snippet: snip.html,
    snippetText: snip.text,
    matches: { title: title.marks, snippet: snip.marks },
  };
}

/** What the response says of the corrections: the query as corrected, and whether its hits are that query's. */
export interface DidYouMean {
  didYouMean?: string;
  corrected?: boolean;
}

/** {@link DidYouMean}, and the query words it names (`unmatched` leaves them out). */
export interface Offered {
  answer: DidYouMean;
  words: Set<number>;
}

/**
 * The corrections offered, as the best results write them. Of a word's readings, the one the
 * best result has (كرة السة: السلة, not the commoner السنة). A correction found in context is
 * offered only when it made the best result (the spelling model kept only readings likelier
 * than the word as typed). Any other is offered when it took a word's place, when the query
 * found few results as typed, or when the model holds it likelier than the word as typed by
 * `didYouMeanMargin` (fitted): ماركون, three articles and its stem's brands, offers ماكرون.
 */
export async function didYouMean(index: Archive, query: ParsedQuery, q: string, corrections: Correction[], loaded: Map<string, LoadedTerm | null>, ranked: Ranked[], page: Ranked[], exactTotal: number, articles: Map<number, Article>, matcher: Matcher, o: SearchOptions, stats: ReadStats): Promise<Offered> {
  const top = ranked[0]?.doc;
  const inTop = new Map(corrections.map((c) => [c, c.readings.find((r) => top !== undefined && hasDoc(loaded.get(r.stem), top))]));
  const eligible = corrections.filter((c) => !c.context || inTop.get(c) !== undefined);
  const named = eligible.some((c) => c.mode === 'auto' || c.context) || exactTotal < o.spelling.didYouMeanBelow;
  // Otherwise the readings the model holds likely enough, the others' words left as typed.
  const offered = named ? eligible : eligible.filter((c) => Math.max(...c.readings.map((r) => r.margin ?? -Infinity)) > o.spelling.didYouMeanMargin);
  if (offered.length === 0) return { answer: {}, words: new Set() };
  const shownDocs = page.slice(0, o.spelling.writtenFormDocs).map((c) => c.doc);
  const norms = offered.map((c) => inTop.get(c)?.word ?? c.to);
  const found = norms.map((norm) => writtenForm(index, norm, shownDocs, articles, matcher));
  // A reading no result shown writes: as the titles write it most (the completions' spellings).
  const titles = found.includes(undefined) ? await titleSpellings(index, norms.filter((_, i) => found[i] === undefined), stats) : undefined;
  let out = q;
  offered.forEach((c, i) => (out = out.replace(query.words[c.word]!.text, found[i] ?? titles?.get(norms[i]!) ?? norms[i]!)));
  const words = new Set(offered.map((c) => c.word));
  return { answer: offered.some((c) => c.mode === 'auto') ? { didYouMean: out, corrected: true } : { didYouMean: out }, words };
}

/**
 * A reading as the archive writes it (أ, ة, ى and all, harakat aside), found among the query's
 * words in the best results' text (already read for the page); undefined if none has it bare.
 * The lexicon holds words normalized: الجزاير is shown الجزائر.
 */
function writtenForm(index: Archive, norm: string, docs: number[], articles: Map<number, Article>, matcher: Matcher): string | undefined {
  for (const doc of docs) {
    const a = articles.get(doc);
    if (!a) continue;
    for (const field of ['title', 'body'] as const) {
      const found = hitsIn(index, doc, a, field, matcher);
      for (const h of found.hits) {
        const written = found.text.slice(h.start, h.end);
        if (normalize(written) === norm) return surface(written, false);
      }
    }
  }
  return undefined;
}

/**
 * Words as the titles write them most (ة, أ and all), from the completions' lists (one key for
 * the words of a first two letters): الذهبيه, a reading no result shown writes, is الذهبية. A
 * word no list keeps is left out.
 */
async function titleSpellings(index: Archive, norms: string[], stats: ReadStats): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = norms.filter((n) => n.length >= 2);
  if (wanted.length === 0) return out;
  const lists = await index.suggestionsOf(wanted, stats);
  for (const norm of wanted) {
    const entry = lists.get(norm)?.find((e) => e[0] === norm);
    if (entry && normalize(entry[1]) === norm) out.set(norm, entry[1]);
  }
  return out;
}
