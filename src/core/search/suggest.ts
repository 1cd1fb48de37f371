/**
 * Search-as-you-type: completions of the word being typed (from title words, Arabic-aware
 * because both sides are normalized: a prefix typed without hamza or with harakat completes
 * the same), and whole titles that match what is typed so far. Reads at most one completion
 * key and the term shards of the words; warm, it is a few map lookups.
 */
import { isStop, stem, tokenize } from '../analyzer/index';
import type { SuggestEntry } from '../format/layout';
import { idf } from './score';
import type { Archive } from './archive';
import { escapeHtml, highlightAll, Matcher } from './snippet';
import { ReadStats } from './source';
import { topK } from './order';

export interface Completion {
  /** The whole query with the last word completed. */
  text: string;
  /** The same, HTML-escaped, the completed word in `<mark>`. */
  html: string;
  /** Titles that use the word. */
  count: number;
}

export interface TitleSuggestion {
  id: string;
  title: string;
  titleHtml: string;
  date?: string;
}

export interface SuggestResult {
  query: string;
  completions: Completion[];
  titles: TitleSuggestion[];
  index: string;
}

/** Completions of the last word that also narrow the title suggestions. */
const COMPLETIONS_FOR_TITLES = 3;

/** Suggestions for a partly typed query. */
export async function suggest(index: Archive, q: string, limit: number, stats = new ReadStats()): Promise<SuggestResult> {
  const tokens = tokenize(q);
  const result: SuggestResult = { query: q, completions: [], titles: [], index: index.version };
  if (tokens.length === 0) return result;
  const last = tokens[tokens.length - 1]!;
  const typing = last.end === q.length; // no space after it: the word is still being typed
  const done = (typing ? tokens.slice(0, -1) : tokens).filter((t) => !isStop(t.norm));

  stats.start('load');
  let completions: SuggestEntry[] = [];
  if (typing && last.norm.length >= 2) {
    const entries = await index.suggestions(last.norm, stats);
    completions = entries.filter((e) => e[0].startsWith(last.norm)).slice(0, limit);
  }
  const head = q.slice(0, typing ? last.start : q.length);
  result.completions = completions.map(([, display, count]) => ({
    text: head + display,
    html: `${escapeHtml(head)}<mark>${escapeHtml(display)}</mark>`,
    count,
  }));

  // Titles: every finished word, and the word being typed as one of its likeliest completions.
  const lastTerms = typing ? (completions.length ? completions.slice(0, COMPLETIONS_FOR_TITLES).map((c) => stem(c[0])) : [stem(last.norm)]) : [];
  const groups = [...done.map((t) => [stem(t.norm)]), ...(lastTerms.length ? [lastTerms] : [])];
  if (groups.length === 0) return result;
  const loaded = await index.loadTerms([...new Set(groups.flat())], stats);
  stats.end('load');

  const scores = new Map<number, { score: number; words: number }>();
  groups.forEach((terms, wi) => {
    const best = new Map<number, number>();
    for (const term of terms) {
      const lt = loaded.get(term);
      if (!lt) continue;
      const f = idf(lt.df, index.docCount);
      const tf = index.bm25.title;
      for (const part of lt.parts) {
        if (!part.title) continue;
        let k = 0;
        for (const slot of part.title.slots) {
          for (const d of slot ?? []) {
            const impact = tf[part.title.codes[k++]!]!;
            if (!index.isDead(d)) best.set(d, Math.max(best.get(d) ?? 0, f * impact));
          }
        }
      }
    }
    for (const [d, s] of best) {
      const cur = scores.get(d);
      if (cur) {
        cur.score += s;
        cur.words++;
      } else if (wi === 0) scores.set(d, { score: s, words: 1 });
    }
  });
  const matching = [...scores].filter(([, s]) => s.words === groups.length).map(([doc, s]) => ({ doc, score: s.score }));
  const top = topK(matching.length, limit, (a, b) => matching[b]!.score - matching[a]!.score || matching[b]!.doc - matching[a]!.doc).map((i) => matching[i]!);
  const cards = await index.cards(top.map((t) => t.doc), stats);
  const matcher = new Matcher(groups);
  result.titles = top.map(({ doc }) => {
    const card = cards.get(doc)!;
    return { id: card.id, title: card.title, titleHtml: highlightAll(card.title, matcher).html, ...(card.date ? { date: card.date } : {}) };
  });
  return result;
}
