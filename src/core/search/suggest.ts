/**
 * Search-as-you-type: completions of the word being typed (from title words, Arabic-aware
 * because both sides are normalized: a prefix typed without hamza or with harakat completes
 * the same), and whole titles that match what is typed so far. Reads at most one completion
 * key and the term shards of the words; warm, it is a few map lookups.
 */
import { isStop, stem, tokenize } from '../analyzer/index';
import type { SuggestEntry } from '../format/layout';
import { idf } from './score';
import { readNames } from './names/index';
import { latinNames } from './names/spans';
import { synonymSpans } from './synonyms';
import { queryTokens } from '../settings/match';
import { DEFAULT_OPTIONS } from './options';
import { NO_SETTINGS } from '../settings/reader';
import type { SynonymTable } from '../settings/synonyms';
import type { Archive } from './archive';
import type { LoadedTerm } from './segment-terms';
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

/**
 * With words typed before the last, its completions are weighed by what came before (see
 * {@link suggest}). Chosen on held-out titles (`npm run eval`, docs/relevance.md "Completions"):
 * on the fit half, 12 candidates get most of what 20 or 30 do (@1 within a point, @5 within two)
 * for fewer terms read (a cold reader's median read 1.6× that of completions by their titles
 * alone, 1.9× for 20); a prior of 0.25 or 0.5 is within noise.
 */
export const CONTEXT = { candidates: 12, prior: 0.5 };

export interface SuggestOptions {
  /** Candidates weighed by the words before (0: completions by their titles alone). */
  contextCandidates?: number;
  /** The weight of a completion's own title count against its titles with the words before. */
  contextPrior?: number;
}

/**
 * Suggestions for a partly typed query. Latin names (Putin, boutin, 3abd el nasser) are read as
 * the archive writes them in Arabic, as /search reads them, once finished (a space after them):
 * a name's first letters read as some other word (trum as ترمي). The completions then write
 * the Arabic, and the titles are those of the Arabic words.
 */
export async function suggest(index: Archive, q: string, limit: number, stats = new ReadStats(), o: SuggestOptions = {}, synonyms: SynonymTable = NO_SETTINGS.synonyms): Promise<SuggestResult> {
  const last = tokenize(q).at(-1);
  const typed = last && last.end === q.length ? q.slice(0, last.start) : q;
  if (!LATIN.test(typed)) return suggestArabic(index, q, q, limit, stats, o);
  // A Latin spelling the editor's synonyms give an Arabic member (Putin, بوتين) is that member;
  // the other Latin names are read.
  const finished = arabicSynonyms(typed, synonyms);
  let read = finished;
  if (latinNames(finished, synonyms).length) {
    stats.start('load');
    const named = await readNames(index, finished, synonyms, stats, DEFAULT_OPTIONS);
    stats.end('load');
    if (named?.read.length) read = named.q;
  }
  return suggestArabic(index, read + q.slice(typed.length), q, limit, stats, o);
}

const LATIN = /[A-Za-z\u00c0-\u024f]/;
const ARABIC = /[\u0600-\u06ff]/;

/** The text with each Latin span a synonym entry matches written as the entry's first Arabic phrase. */
function arabicSynonyms(text: string, synonyms: SynonymTable): string {
  if (synonyms.size === 0) return text;
  const tokens = queryTokens(text);
  let out = '';
  let at = 0;
  for (const [from, to, rule] of synonymSpans(tokens, synonyms).sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    const start = tokens[from]!.start;
    const end = tokens[to - 1]!.end;
    const arabic = rule.to.find((p) => ARABIC.test(p.text));
    if (start < at || !arabic || !LATIN.test(text.slice(start, end))) continue;
    out += text.slice(at, start) + arabic.text;
    at = end;
  }
  return out + text.slice(at);
}

async function suggestArabic(index: Archive, q: string, asked: string, limit: number, stats: ReadStats, o: SuggestOptions): Promise<SuggestResult> {
  const tokens = tokenize(q);
  const result: SuggestResult = { query: asked, completions: [], titles: [], index: index.version };
  if (tokens.length === 0) return result;
  const last = tokens[tokens.length - 1]!;
  const typing = last.end === q.length; // no space after it: the word is still being typed
  const done = (typing ? tokens.slice(0, -1) : tokens).filter((t) => !isStop(t.norm));

  stats.start('load');
  let completions: SuggestEntry[] = [];
  let candidates: SuggestEntry[] = [];
  const contextual = typing && done.length > 0 ? (o.contextCandidates ?? CONTEXT.candidates) : 0;
  if (typing && last.norm.length >= 2) {
    const entries = await index.suggestions(last.norm, stats);
    candidates = entries.filter((e) => e[0].startsWith(last.norm)).slice(0, Math.max(limit, contextual));
    completions = candidates.slice(0, limit);
  }
  const head = q.slice(0, typing ? last.start : q.length);

  // The terms of the finished words, and of the likeliest completions: those weighed by the
  // finished words' titles, or the few that narrow the title suggestions.
  const doneGroups = done.map((t) => [stem(t.norm)]);
  const forTitles = (list: SuggestEntry[]) => (typing ? (list.length ? list.slice(0, COMPLETIONS_FOR_TITLES).map((c) => stem(c[0])) : [stem(last.norm)]) : []);
  // A big term (a large archive's commonest words: postings of their own, tens of KB) is weighed
  // only when read anyway for the titles; the others keep their place by their titles.
  const readAnyway = new Set(forTitles(completions));
  const weighed = contextual ? candidates.slice(0, contextual).filter((c) => readAnyway.has(stem(c[0])) || !index.isBigTerm(stem(c[0]))) : [];
  const wanted = [...doneGroups.flat(), ...forTitles(completions), ...weighed.map((c) => stem(c[0]))];
  const loaded = wanted.length ? await index.loadTitleTerms([...new Set(wanted)], stats) : new Map();
  stats.end('load');

  // A finished word no document holds (a Latin word left unread, a typo) narrows nothing: as
  // /search takes it, optional; it would otherwise leave no title.
  const heldGroups = doneGroups.filter((g) => loaded.get(g[0]!) != null);
  if (contextual) {
    // A completion goes with what was typed before when titles hold it with those words: it is
    // ranked by log(1 + Σ_w titles holding it and w) + prior × log(titles holding it), w over
    // the finished words (0 for a big term not read); then as before, by its titles.
    const prior = o.contextPrior ?? CONTEXT.prior;
    const contexts = heldGroups.map((g) => titleDocs(index, loaded, [g]));
    const score = new Map<SuggestEntry, number>();
    const ranked = candidates.slice(0, contextual);
    const weighedSet = new Set(weighed);
    for (const c of ranked) {
      let together = 0;
      if (weighedSet.has(c) && contexts.length) {
        // Each title posting of the completion's term, counted once per context holding its doc.
        for (const part of loaded.get(stem(c[0]))?.parts ?? []) {
          for (const slot of part.title?.slots ?? []) for (const d of slot ?? []) for (const docs of contexts) if (docs.has(d)) together++;
        }
      }
      score.set(c, Math.log1p(together) + prior * Math.log(Math.max(1, c[2])));
    }
    completions = ranked.sort((a, b) => score.get(b)! - score.get(a)! || b[2] - a[2]).concat(candidates.slice(contextual)).slice(0, limit);
  }
  result.completions = completions.map(([, display, count]) => ({
    text: head + display,
    html: `${escapeHtml(head)}<mark>${escapeHtml(display)}</mark>`,
    count,
  }));

  // Titles: every finished word, and the word being typed as one of its likeliest completions.
  const lastTerms = forTitles(completions);
  const groups = [...heldGroups, ...(lastTerms.length ? [lastTerms] : [])];
  if (groups.length === 0) return result;
  const missing = lastTerms.filter((t) => !loaded.has(t));
  if (missing.length) for (const [k, v] of await index.loadTitleTerms(missing, stats)) loaded.set(k, v);

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
  const cards = await index.titles(top.map((t) => t.doc), stats);
  const matcher = new Matcher(groups);
  result.titles = top.map(({ doc }) => {
    const card = cards.get(doc)!;
    return { id: card.id, title: card.title, titleHtml: highlightAll(card.title, matcher).html, ...(card.date ? { date: card.date } : {}) };
  });
  return result;
}

/** The live docs whose titles hold a term of every group. */
function titleDocs(index: Archive, loaded: Map<string, LoadedTerm | null>, groups: string[][]): Set<number> {
  let out: Set<number> | undefined;
  for (const terms of groups) {
    const docs = new Set<number>();
    for (const term of terms) {
      for (const part of loaded.get(term)?.parts ?? []) {
        for (const slot of part.title?.slots ?? []) for (const d of slot ?? []) if ((!out || out.has(d)) && !index.isDead(d)) docs.add(d);
      }
    }
    out = docs;
  }
  return out ?? new Set();
}
