/**
 * Whether two articles tell the same story: the same text republished by another outlet (an
 * agency story on two sites), a brief and the full story, an update under the same title. Told
 * from the texts' word shingles (Broder's resemblance and containment), so it needs the articles,
 * not the index: the related stage reads its candidates' texts anyway, to show them.
 */
import { normalize, tokenize } from '../analyzer/index';
import type { Article } from '../article';

/** When two texts count as the same story. */
export interface SameStoryOptions {
  /** Words per shingle. */
  shingle: number;
  /**
   * Words of the text compared (title and body, from the start): a story's identity is in its
   * opening; what pages append (teasers of other stories) is not compared.
   */
  words: number;
  /** Shared shingles over all the shingles of both texts (Jaccard) at or above this: the same text (0–1). */
  resemblance: number;
  /** Shared shingles over the shorter text's at or above this: one text holds the other (0–1)... */
  containment: number;
  /** ... when the shorter has at least this many shingles (a two-line teaser is no story of its own). */
  minShingles: number;
}

/** A text reduced to what the comparison needs. */
export interface StoryPrint {
  /** Normalized title. */
  title: string;
  /** Hashes of the text's word shingles. */
  shingles: Set<number>;
}

/** Title and body as shingle hashes (FNV-1a over the normalized words). */
export function storyPrint(a: Pick<Article, 'title' | 'body'>, o: SameStoryOptions): StoryPrint {
  const words = tokenize(`${a.title}\n${a.body.join('\n')}`, o.words).map((t) => t.norm);
  const shingles = new Set<number>();
  for (let i = 0; i + o.shingle <= words.length; i++) {
    let h = 0x811c9dc5;
    for (let k = i; k < i + o.shingle; k++) {
      const w = words[k]!;
      for (let c = 0; c < w.length; c++) h = Math.imul(h ^ w.charCodeAt(c), 0x01000193);
      h = Math.imul(h ^ 0x20, 0x01000193);
    }
    shingles.add(h >>> 0);
  }
  return { title: normalize(a.title), shingles };
}

/**
 * True when two prints tell the same story: the same title, or texts that mostly coincide.
 *
 * @example sameStory(storyPrint(afp, o), storyPrint(afpOnAnotherSite, o), o) // true
 */
export function sameStory(a: StoryPrint, b: StoryPrint, o: SameStoryOptions): boolean {
  if (a.title !== '' && a.title === b.title) return true;
  const [small, large] = a.shingles.size <= b.shingles.size ? [a.shingles, b.shingles] : [b.shingles, a.shingles];
  if (small.size === 0) return false;
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  if (shared / (small.size + large.size - shared) >= o.resemblance) return true;
  return small.size >= o.minShingles && shared / small.size >= o.containment;
}
