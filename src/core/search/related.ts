/**
 * Related stories (more like this): the article's most distinctive words, its title's weighted
 * above its body's, searched for as one query over the live archive, read in one batch like a
 * search's words, then scored by the search's own matching (BM25, coverage). The best candidates'
 * texts are read to tell the same story told again (same-story.ts): a republication of the
 * article itself is left out, and one of another related story is grouped under it. Among
 * near-tied stories the newest comes first.
 *
 * Computed per request from the postings, not stored with the article at build time: a story
 * published today is related to yesterday's at once, a deleted one is gone at once, and a build
 * or publish does no extra work (docs/related.md has the measurements behind the choice).
 *
 * @example await related(archive, doc, article, 5, stats) // { stories: [...], sameStory: [...] }
 */
import { ALT_MARK, analyze } from '../analyzer/index';
import type { Article } from '../article';
import type { Archive } from './archive';
import { match, type MatchFilters } from './match';
import { DEFAULT_OPTIONS, type SearchOptions } from './options';
import { best, orderOf } from './order';
import { sameStory, storyPrint, type SameStoryOptions, type StoryPrint } from './same-story';
import type { ReadStats } from './source';
import { behindProclitic } from './terms';
import type { TermGroups } from './types';

/** How related stories are found (docs/related.md). */
export interface RelatedOptions {
  /**
   * Words of the article searched for. Each costs a term shard on a cold read (about 30 KB on the
   * corpus), so this bounds the bytes; at most 12 (the matcher keeps one bit per word).
   */
  terms: number;
  /** Weight of a title occurrence against a body one, when picking and weighing the words. */
  titleBoost: number;
  /** Candidates read beyond `limit`, to fill the list when some tell the same story. */
  slack: number;
  /** Stories scoring within this ratio of the one above them count as tied: the newest first (0–1). */
  tie: number;
  sameStory: Readonly<SameStoryOptions>;
}

/** The options related() uses unless given others. */
export const DEFAULT_RELATED: Readonly<RelatedOptions> = Object.freeze({
  terms: 5,
  titleBoost: 2,
  slack: 3,
  tie: 0.9,
  sameStory: Object.freeze({ shingle: 3, words: 200, resemblance: 0.4, containment: 0.8, minShingles: 50 }),
});

/** A word of the article, as searched for. */
export interface DistinctiveTerm {
  /** Its plain stem (an index term). */
  term: string;
  /** Occurrences, a title's counting `titleBoost`. */
  count: number;
}

/** An article of the archive, and how like the article it scored. */
export interface StoryRef {
  doc: number;
  article: Article;
  score: number;
}

export interface RelatedStory extends StoryRef {
  /** The same story from other sources (or again), grouped under it. */
  sameStory: StoryRef[];
}

export interface Related {
  stories: RelatedStory[];
  /** The article's own story told again elsewhere: left out of `stories`. */
  sameStory: StoryRef[];
}

/**
 * Words of a body that choose its distinctive terms: the first 5,000, where a story says what
 * it is about (a news article is a few hundred; a 1.4 MB one took 290 ms to read whole, on every
 * request for its page or its related stories).
 */
export const DISTINCTIVE_WORDS = 5000;

/**
 * The article's words most likely to say what it is about, from its text alone (nothing is read):
 * the most frequent, a title's occurrence counting `titleBoost`, then title words, then longer
 * words. A word behind a proclitic counts as the word it holds when the article also writes that
 * word bare (وبوتين as بوتين where بوتين is written too), as the archive's frequencies decide it
 * for a query. Choosing by document frequency instead would need every word's shard first, and
 * measured worse: the rarest words of an article are often names and typos that say little of its
 * subject (docs/related.md).
 */
export function distinctiveTerms(a: Pick<Article, 'title' | 'body'>, o: Readonly<RelatedOptions> = DEFAULT_RELATED): DistinctiveTerm[] {
  const title = analyze(a.title);
  const body = analyze(a.body.join('\n'), DISTINCTIVE_WORDS);
  const bare = new Set([...title, ...body].map((t) => t.stems[0]!));
  const counts = new Map<string, { count: number; title: number; length: number; first: number }>();
  let at = 0;
  const add = (stems: string[], norm: string, weight: number, inTitle: boolean) => {
    at++;
    const term = stems.slice(1).find((s) => bare.has(s)) ?? stems[0]!;
    if (term.length < 2) return;
    let e = counts.get(term);
    if (!e) counts.set(term, (e = { count: 0, title: 0, length: norm.length, first: at }));
    e.count += weight;
    if (inTitle) e.title++;
  };
  for (const t of title) add(t.stems, t.norm, o.titleBoost, true);
  for (const t of body) add(t.stems, t.norm, 1, false);
  return [...counts]
    .sort(([, x], [, y]) => y.count - x.count || y.title - x.title || y.length - x.length || x.first - y.first)
    .slice(0, Math.min(12, o.terms))
    .map(([term, e]) => ({ term, count: e.count }));
}

/**
 * The stories most like an article (`doc`, live): `limit` of them, best first, newest first among
 * near-ties; never the article, nor the same story told again. Reads the words' term shards (one
 * batch) and the best candidates' texts (one batch). `words` replaces the article's own
 * distinctive terms (to compare ways of choosing them).
 */
export async function related(index: Archive, doc: number, article: Article, limit: number, stats: ReadStats, o: Readonly<RelatedOptions> = DEFAULT_RELATED, search: SearchOptions = DEFAULT_OPTIONS, words = distinctiveTerms(article, o)): Promise<Related> {
  if (words.length === 0 || limit <= 0) return { stories: [], sameStory: [] };

  stats.start('load');
  // A marked reading (~بوت, the word behind a proclitic) lives in its plain stem's shard: free.
  // A big term's tier B (single occurrences in long bodies, build/tiers.ts) is not read: such
  // postings score least, and a story that has the word only so is not about it.
  const loaded = await index.loadTerms(words.flatMap((w) => [w.term, ALT_MARK + w.term]), stats);
  stats.end('load');

  stats.start('match');
  const groups: TermGroups = words.map((w) => {
    const weight = 1 + Math.log(w.count);
    const group: TermGroups[number] = [{ term: w.term, weight, kind: 'plain' }];
    if (behindProclitic(w.term, loaded)) group.push({ term: ALT_MARK + w.term, weight: weight * search.ranking.altWeight, kind: 'alt' });
    return group;
  });
  const filters: MatchFilters = { excluded: new Set([doc]), requiredMask: 0, naming: 0, joined: 0 };
  const { cands } = match(index, groups, loaded, filters, 0, search);
  const ranked = best(cands, limit + o.slack, orderOf(cands, 'relevance'));
  stats.end('match');

  const texts = await index.docs(ranked.map((r) => r.doc), stats);
  stats.start('rank');
  const own = storyPrint(article, o.sameStory);
  const out: Related = { stories: [], sameStory: [] };
  const prints: StoryPrint[] = [];
  for (const r of ranked) {
    const ref = { doc: r.doc, article: texts.get(r.doc)!, score: r.score };
    const print = storyPrint(ref.article, o.sameStory);
    if (sameStory(own, print, o.sameStory)) {
      out.sameStory.push(ref);
      continue;
    }
    const twin = prints.findIndex((p) => sameStory(p, print, o.sameStory));
    if (twin >= 0) out.stories[twin]!.sameStory.push(ref);
    else {
      out.stories.push({ ...ref, sameStory: [] });
      prints.push(print);
    }
  }
  out.stories = newestAmongTies(index, out.stories, o.tie).slice(0, limit);
  stats.end('rank');
  return out;
}

/**
 * Stories in score order, each run of near-tied ones (scoring at least `tie` times the run's
 * first) newest first: by day, then doc number, as the search's date order.
 */
export function newestAmongTies<T extends { doc: number; score: number }>(index: Pick<Archive, 'dayOf'>, stories: T[], tie: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < stories.length; ) {
    let j = i + 1;
    while (j < stories.length && stories[j]!.score >= tie * stories[i]!.score) j++;
    out.push(...stories.slice(i, j).sort((a, b) => index.dayOf(b.doc) - index.dayOf(a.doc) || b.doc - a.doc));
    i = j;
  }
  return out;
}
