/**
 * Search-as-you-type: completions of the word being typed (from title words, Arabic-aware
 * because both sides are normalized: a prefix typed without hamza or with harakat completes
 * the same), and whole titles that match what is typed so far. Reads at most one completion
 * key and the term shards of the words; warm, it is a few map lookups.
 */
import { isStop, stem, tokenize, type Token } from '../analyzer/index';
import { frameOf } from './frames';
import { queryPieces } from './query-pieces';
import { readLayout, throughArabicLayout, throughLatinLayout } from './layout';
import { titlesAfter, type SuggestEntry } from '../format/layout';
import { idf } from './score';
import { readNames } from './names/index';
import { latinNames } from './names/spans';
import { houseStylePartners, synonymSpans } from './synonyms';
import { queryTokens } from '../settings/match';
import { DEFAULT_OPTIONS } from './options';
import { NO_SETTINGS } from '../settings/reader';
import type { SynonymTable } from '../settings/synonyms';
import type { Archive } from './archive';
import type { LoadedTerm } from './segment-terms';
import { escapeHtml, highlightAll, Matcher } from './snippet';
import { ReadStats } from './source';
import { topK } from './order';
import { finishedTypo, slipGroups, slipWords, typoCompletions, type TypoCompletions } from './suggest-typos';

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
  /**
   * The words typed so far as read, when a finished word no document holds was read as the word
   * it likeliest stands for (suggest-typos.ts): the titles are the reading's, and the completions
   * write it. As /search's didYouMean, for a search box to say whose titles it shows.
   */
  didYouMean?: string;
}

/** Completions of the last word that also narrow the title suggestions. */
const COMPLETIONS_FOR_TITLES = 3;

/**
 * With words typed before the last, its completions are weighed by what came before (see
 * {@link suggest}). Chosen on held-out titles (`npm run eval`, docs/relevance.md "Completions"):
 * on the fit half, 12 candidates get most of what 20 or 30 do (@1 within a point, @5 within two)
 * for fewer terms read (a cold reader's median read 1.6× that of completions by their titles
 * alone, 1.9× for 20); a prior of 0.25 or 0.5 is within noise. `before`: the weight of the titles
 * putting a completion right after the last word typed (the completion key's words before: no
 * read more), on a grid 0–8 (@1 +6 points on the fit half from 4 on); `followers`: the words
 * those titles put there that join the candidates, not fitted.
 */
export const CONTEXT = { candidates: 12, prior: 0.5, before: 6, followers: 12 };

export interface SuggestOptions {
  /** Candidates weighed by the words before (0: completions by their titles alone). */
  contextCandidates?: number;
  /** The weight of a completion's own title count against its titles with the words before. */
  contextPrior?: number;
  /**
   * The weight of the titles that put the completion right after the last word typed before it
   * (SuggestEntry's words before, since build revision 17; 0: not weighed, and no completion
   * comes in for them alone).
   */
  contextBefore?: number;
  /**
   * Typos read by the spelling model (default: true; suggest-typos.ts): the word being typed
   * also completes as its readings, and a finished word no document holds is read as its best.
   */
  typos?: boolean;
  /** Weighs big terms even where only their whole postings hold their titles (an archive built before revision 12). */
  weighBigTerms?: boolean;
  /** The titles that hold the words (default: true); false: completions only (a `prefix` search's). */
  titles?: boolean;
}

/**
 * Suggestions for a partly typed query. Latin names (Putin, boutin, 3abd el nasser) are read as
 * the archive writes them in Arabic, as /search reads them, once finished (a space after them):
 * a name's first letters read as some other word (trum as ترمي). The completions then write
 * the Arabic, and the titles are those of the Arabic words.
 *
 * Arabic typed with the keyboard on its Latin layout (`f,jd` for بوتي, layout.ts) is read back
 * through the Arabic layout: at once when the words finished read as words the archive writes
 * (`readLayout`, as /search reads a query); and a first word still being typed when its keys as
 * typed suggest nothing, its Arabic does, and it has {@link LAYOUT_PREFIX} letters. The
 * completions then write the Arabic: taking one puts it in the box. The other way round, a Latin
 * name typed with the keyboard on its Arabic layout (حعفهى for putin) whose Arabic suggests
 * nothing is read as the Latin, its finished names as the archive writes them.
 */
export async function suggest(index: Archive, q: string, limit: number, stats = new ReadStats(), o: SuggestOptions = {}, synonyms: SynonymTable = NO_SETTINGS.synonyms): Promise<SuggestResult> {
  const typed = beforeLastWord(q);
  const arabic = throughArabicLayout(q);
  // The editor's synonyms and the archive's house styles: a word's other spelling holds titles too.
  const table = index.synonymsWith(synonyms);
  // A query read through a layout is a guess already: its words are not also read as typos
  // (a Latin name's keys, kham, would complete as some Arabic word near what they type).
  const asLayout: SuggestOptions = { ...o, typos: false };
  // The words finished, split where the reader pressed space: keys such as , and [ type letters (و, ج).
  const finished = arabic === undefined ? '' : q.slice(0, /\s$/.test(q) ? q.length : q.search(/\S+$/)).trim();
  if (arabic !== undefined && finished !== '' && (await readLayout(index, finished, stats))) return suggestArabic(index, arabic, q, limit, stats, asLayout, table);
  const direct = await suggestTyped(index, q, typed, limit, stats, o, synonyms);
  if (found(direct)) return direct;
  if (arabic !== undefined) {
    if (finished !== '' || !oneWord(arabic)) return direct;
    const read = await suggestArabic(index, arabic, q, limit, stats, asLayout, table);
    return found(read) ? read : direct;
  }
  // A Latin name typed with the keyboard on its Arabic layout (حعفهى for putin), when its Arabic
  // suggests nothing: read as a Latin query, its finished names as /search reads them.
  const latin = throughLatinLayout(q);
  if (latin === undefined) return direct;
  const read = await suggestTyped(index, latin, beforeLastWord(latin), limit, stats, asLayout, synonyms);
  return found(read) ? { ...read, query: q } : direct;
}

/** What comes before the word being typed (the whole text when a space ends it). */
function beforeLastWord(text: string): string {
  const last = tokenize(text).at(-1);
  return last && last.end === text.length ? text.slice(0, last.start) : text;
}

/**
 * Fewest letters of a first word's Arabic, read through the layout while it is typed, for its
 * completions to be offered: Latin prefixes of two or three letters often begin Arabic words
 * (tr: فق), a reader typing English would see them (measured in docs/ranking.md).
 */
export const LAYOUT_PREFIX = 4;

/** One word (al-b, read شم-لا, is two) of {@link LAYOUT_PREFIX} letters or more. */
function oneWord(arabic: string): boolean {
  const tokens = tokenize(arabic);
  return tokens.length === 1 && tokens[0]!.norm.length >= LAYOUT_PREFIX;
}

function found(r: SuggestResult): boolean {
  return r.completions.length > 0 || r.titles.length > 0;
}

/** {@link suggest} for the query as typed: `typed` is what comes before the word being typed. */
async function suggestTyped(index: Archive, q: string, typed: string, limit: number, stats: ReadStats, o: SuggestOptions, synonyms: SynonymTable): Promise<SuggestResult> {
  if (!LATIN.test(typed)) return suggestArabic(index, q, q, limit, stats, o, index.synonymsWith(synonyms));
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
  return suggestArabic(index, read + q.slice(typed.length), q, limit, stats, o, index.synonymsWith(synonyms));
}

const LATIN = /[A-Za-z\u00c0-\u024f]/;
const ARABIC = /[\u0600-\u06ff]/;
/** A word the spelling model reads (as /search: Arabic from its first letter). */
const ARABIC_WORD = /^[\u0600-\u06ff]/;

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

async function suggestArabic(index: Archive, q: string, asked: string, limit: number, stats: ReadStats, o: SuggestOptions, table: SynonymTable = NO_SETTINGS.synonyms): Promise<SuggestResult> {
  const tokens = tokenize(q);
  const result: SuggestResult = { query: asked, completions: [], titles: [], index: index.version };
  if (tokens.length === 0) return result;
  const last = tokens[tokens.length - 1]!;
  const pieces = queryPieces(q, true);
  // No space after the last word: it is still being typed (not an operator, OR: no word).
  const typing = last.end === q.length && !pieces.find((p) => last.start >= p.start && last.end <= p.end)?.operator;
  // A news reader's frame (آخر أخبار …) is no word of a title; one closing the query only once typed.
  const frame = frameOf(q, tokens);
  // A word after a minus or NOT (-word, -"phrase", that phrase's quote open too) is left out of the
  // titles, not asked of them: it is no context for the word being typed either.
  const exclusions = pieces.filter((p) => p.excluded);
  const exclusion = (t: Token) => exclusions.findIndex((p) => t.start >= p.start && t.end <= p.end);
  const excluded = (t: Token) => exclusion(t) >= 0;
  // An operator is no word; the words OR joins (الصين OR روسيا) are one, titles holding either.
  const pieceOf = (t: Token) => pieces.findIndex((p) => t.start >= p.start && t.end <= p.end);
  const finished = (typing ? tokens.slice(frame.lead, -1) : tokens.slice(frame.lead, tokens.length - frame.trail)).filter((t) => !isStop(t.norm) && !pieces[pieceOf(t)]?.operator);
  const done = finished.filter((t) => !excluded(t));
  const left = finished.filter(excluded).map((t) => stem(t.norm));
  const typingExcluded = typing && excluded(last);
  /** The index in `done` of the word `t` is joined to by an OR before it, if any. */
  const joinedTo = (t: Token): number => {
    const p = pieceOf(t);
    if (!pieces[p]?.joined || tokens.find((u) => u.start >= pieces[p]!.start) !== t) return -1;
    const before = pieces[p - 2]!;
    const tokensBefore = tokens.filter((u) => u.start >= before.start && u.end <= before.end);
    return done.indexOf(tokensBefore.at(-1)!);
  };

  stats.start('load');
  let completions: SuggestEntry[] = [];
  let candidates: SuggestEntry[] = [];
  const contextual = typing && done.length > 0 ? (o.contextCandidates ?? CONTEXT.candidates) : 0;
  // The titles that put a completion right after the last word typed before it (its entry's
  // words before; a number is none: titles count no digits as a word before another).
  // (Within an excluded phrase being typed, its own word before: -"البحر الأ.)
  const before = finished.at(-1);
  const previous = before && exclusion(before) === (typing ? exclusion(last) : -1) && !(typing && joinedTo(last) >= 0) && !/^\d+$/.test(before.norm) ? stem(before.norm) : undefined;
  const following = previous === undefined ? undefined : (e: SuggestEntry) => titlesAfter(e[3], previous);
  let followers = 0;
  // Completions of the word being typed read as a typo (suggest-typos.ts): before or after its own.
  let typos: TypoCompletions = { before: [], after: [] };
  if (typing && last.norm.length >= 2) {
    const entries = await index.suggestions(last.norm, stats);
    const own = entries.filter((e) => e[0].startsWith(last.norm));
    if (o.typos !== false && last.norm.length >= DEFAULT_OPTIONS.spelling.minLength && ARABIC_WORD.test(last.norm)) {
      // Letters that begin no word may hold a typo in the key's own letters: the keys of their
      // shorter beginnings are read too (each its most used words), and of the letters with the
      // second and third swapped.
      const among = own.length > 0 ? entries : ((await shorterKeys(index, [last.norm], stats)).get(last.norm) ?? entries);
      typos = typoCompletions(last.norm, among, own.reduce((n, e) => n + Math.max(0, e[2]), 0), index.docCount, DEFAULT_OPTIONS.spelling.model, DEFAULT_OPTIONS.spelling.minLength, own.length > 0 ? [last.norm.slice(0, 2)] : slipGroups(last.norm));
    }
    candidates = own.slice(0, Math.max(limit, contextual));
    // The words titles put right after the word typed before, however rarely used (إيران تجا:
    // تجاهر, in one title): they join the candidates weighed, by those titles alone.
    if (contextual && following && (o.contextBefore ?? CONTEXT.before) > 0) {
      const extra = own.slice(candidates.length).filter((e) => following(e) > 0).sort((a, b) => following(b) - following(a)).slice(0, CONTEXT.followers);
      candidates = [...candidates.slice(0, contextual), ...extra, ...candidates.slice(contextual)];
      followers = extra.length;
    }
    completions = withTypos(candidates, typos, limit);
  }
  let head = q.slice(0, typing ? last.start : q.length);

  // The terms of the finished words, and of the likeliest completions: those weighed by the
  // finished words' titles, or the few that narrow the title suggestions.
  const doneGroups = done.map((t) => [stem(t.norm)]);
  const forTitles = (list: SuggestEntry[]) => (typing && !typingExcluded ? (list.length ? list.slice(0, COMPLETIONS_FOR_TITLES).map((c) => stem(c[0])) : [stem(last.norm)]) : []);
  // Every candidate is weighed by its title postings, a big term's from its titles' key. In an
  // archive written before those keys, a big term (postings of their own, tens of KB) is weighed
  // only when read anyway for the titles, unless `weighBigTerms`; the others keep their place by their titles.
  const readAnyway = new Set(forTitles(completions));
  const weighed = contextual ? candidates.slice(0, contextual).filter((c) => o.weighBigTerms || readAnyway.has(stem(c[0])) || !index.titlesDear(stem(c[0]))) : [];
  const wanted = [...doneGroups.flat(), ...forTitles(completions), ...weighed.map((c) => stem(c[0])), ...(o.titles === false ? [] : left)];
  const loaded = wanted.length ? await index.loadTitleTerms([...new Set(wanted)], stats) : new Map();
  // A finished word no document holds, read as the spelling model reads a typo (ماكرن: ماكرون;
  // suggest-typos.ts): its reading narrows the titles in its place, and the completions write it.
  if (o.typos !== false) {
    const { model, minLength } = DEFAULT_OPTIONS.spelling;
    const asked = done.flatMap((t, i) => (loaded.get(doneGroups[i]![0]!) == null && t.norm.length >= minLength && ARABIC_WORD.test(t.norm) ? [i] : []));
    const lists = asked.length ? await shorterKeys(index, asked.map((i) => done[i]!.norm), stats) : new Map<string, SuggestEntry[]>();
    const read = asked.flatMap((i) => {
      const entry = finishedTypo(done[i]!.norm, lists.get(done[i]!.norm) ?? [], index.docCount, model, minLength, slipGroups(done[i]!.norm));
      return entry ? [{ at: i, entry }] : [];
    });
    const missing = read.map((r) => stem(r.entry[0])).filter((t) => !loaded.has(t));
    if (missing.length) for (const [k, v] of await index.loadTitleTerms(missing, stats)) loaded.set(k, v);
    for (const { at, entry } of read.reverse()) {
      doneGroups[at] = [stem(entry[0])];
      head = head.slice(0, done[at]!.start) + entry[1] + head.slice(done[at]!.end);
    }
    if (read.length > 0) result.didYouMean = (head + q.slice(typing ? last.start : q.length)).replace(/\s+/g, ' ').trim();
  }
  stats.end('load');

  // A finished word no document holds (a Latin word left unread, a typo) narrows nothing: as
  // /search takes it, optional; it would otherwise leave no title.
  // (Words joined by OR: one group, the later's terms in the earlier's.)
  // (A OR B OR C: each joined to the first of its chain.)
  const root: number[] = [];
  done.forEach((t, i) => {
    const j = joinedTo(t);
    root[i] = j >= 0 ? root[j]! : i;
    if (root[i] !== i) doneGroups[root[i]!]!.push(...doneGroups[i]!.splice(0));
  });
  const heldGroups = doneGroups.filter((g) => g.some((t) => loaded.get(t) != null));
  // Each finished word's titles, for the weighing and for the title suggestions (made once).
  const heldLists = heldGroups.map((g) => titleList(index, loaded, g));
  if (contextual) {
    // A completion goes with what was typed before when titles hold it with those words: it is
    // ranked by log(1 + Σ_w titles holding it and w) + before × log(1 + titles putting it right
    // after the last) + prior × log(titles holding it), w over the finished words other than
    // itself (0 for a big term not read; for a completion in only for the titles putting it
    // after the last, those titles); then as before, by its titles.
    const prior = o.contextPrior ?? CONTEXT.prior;
    const beforeWeight = o.contextBefore ?? CONTEXT.before;
    const contexts = heldLists.map((l, i) => ({ docs: l.docs, term: heldGroups[i]![0]! }));
    const score = new Map<SuggestEntry, number>();
    const ranked = candidates.slice(0, contextual + followers);
    const weighedSet = new Set(weighed);
    const together = new Map<SuggestEntry, number>();
    // Each title posting of a completion's term, counted once per context holding its doc: a
    // run much longer than the context by seeking the context's docs in it, any other against
    // the context's docs marked as bits (once per context, when first needed).
    for (const { docs, term } of contexts) {
      let marked = false;
      try {
        for (const c of ranked) {
          // A word is not weighed by its own titles (الرئيس الر would complete as الرئيس again).
          if (!weighedSet.has(c) || stem(c[0]) === term) continue;
          let n = 0;
          for (const part of loaded.get(stem(c[0]))?.parts ?? []) {
            for (const slot of part.title?.slots ?? []) {
              if (!slot) continue;
              if (docs.length * SEEK_FEWER < slot.length) n += countCommon(docs, slot);
              else {
                if (!marked) DocMarks.mark(docs, index.docSpace);
                marked = true;
                n += countMarked(slot);
              }
            }
          }
          together.set(c, (together.get(c) ?? 0) + n);
        }
      } finally {
        if (marked) DocMarks.unmark(docs);
      }
    }
    for (const c of ranked) {
      const after = following?.(c) ?? 0;
      score.set(c, Math.log1p(together.get(c) ?? (weighedSet.has(c) ? 0 : after)) + beforeWeight * Math.log1p(after) + prior * Math.log(Math.max(1, c[2])));
    }
    completions = withTypos(ranked.sort((a, b) => score.get(b)! - score.get(a)! || b[2] - a[2]).concat(candidates.slice(contextual + followers)), typos, limit);
  }
  result.completions = completions.map(([, display, count]) => ({
    text: head + display,
    html: `${escapeHtml(head)}<mark>${escapeHtml(display)}</mark>`,
    count,
  }));

  if (o.titles === false) return result;
  // Titles: every finished word, and the word being typed as one of its likeliest completions.
  const lastTerms = forTitles(completions);
  // The word being typed after an OR: its completions join the word before the OR.
  const typedAfter = typing ? joinedTo(last) : -1;
  const orWith = typedAfter >= 0 && lastTerms.length ? heldGroups.indexOf(doneGroups[root[typedAfter]!]!) : -1;
  const groups = orWith >= 0 ? heldGroups.map((g, i) => (i === orWith ? [...g, ...lastTerms] : g)) : [...heldGroups, ...(lastTerms.length ? [lastTerms] : [])];
  if (groups.length === 0) return result;
  // A word's other house style (ترامب for ترمب) holds its titles too, as /search finds them: below
  // the word's own spelling (houseStyleWeight), and left out with it when the word is excluded.
  const partners = (terms: readonly string[]) => [...new Set(terms.flatMap((t) => houseStylePartners(t, table)))].filter((t) => !terms.includes(t));
  const others = groups.map(partners);
  const leftTerms = [...left, ...partners(left)];
  const missing = [...new Set([...lastTerms, ...others.flat(), ...leftTerms])].filter((t) => !loaded.has(t));
  if (missing.length) for (const [k, v] of await index.loadTitleTerms(missing, stats)) loaded.set(k, v);

  // Docs whose titles hold every group, each group's best title score summed in group order.
  let docs: Int32Array = new Int32Array(0);
  let summed: Float64Array = new Float64Array(0);
  groups.forEach((terms, wi) => {
    let list = wi === orWith ? titleList(index, loaded, terms) : (heldLists[wi] ?? titleList(index, loaded, terms));
    if (others[wi]!.some((t) => loaded.get(t) != null)) list = unionBest(list, titleList(index, loaded, others[wi]!), DEFAULT_OPTIONS.ranking.houseStyleWeight);
    if (wi === 0) ({ docs, score: summed } = list);
    else ({ docs, score: summed } = intersect(docs, summed, list.docs, list.score));
  });
  const leftOut = leftTerms.filter((t) => loaded.get(t) != null);
  if (leftOut.length) ({ docs, score: summed } = without(docs, summed, titleList(index, loaded, leftOut).docs));
  const top = topK(docs.length, limit, (a, b) => summed[b]! - summed[a]! || docs[b]! - docs[a]!).map((i) => ({ doc: docs[i]!, score: summed[i]! }));
  const cards = await index.titles(top.map((t) => t.doc), stats);
  const matcher = new Matcher(groups.map((g, wi) => [...g, ...others[wi]!]));
  result.titles = top.map(({ doc }) => {
    const card = cards.get(doc)!;
    return { id: card.id, title: card.title, titleHtml: highlightAll(card.title, matcher).html, ...(card.date ? { date: card.date } : {}) };
  });
  return result;
}

/**
 * For each word, the completions of every key its beginnings read (ال, الد, الدو … as far as a
 * crowded group is split: SegmentMeta.suggestSplit; its own key among them), as one list, most
 * used first: a word with a typo in its third letter is among the most used of its first two;
 * and those of the word with its second and third letters swapped (suggest-typos.ts
 * `slipWords`). One batch; a small archive's one key is read once.
 */
async function shorterKeys(index: Archive, words: string[], stats: ReadStats): Promise<Map<string, SuggestEntry[]>> {
  const beginnings = (w: string) => slipWords(w).flatMap((x) => Array.from({ length: x.length - 1 }, (_, k) => x.slice(0, k + 2)));
  const lists = await index.suggestionsOf([...new Set(words.flatMap(beginnings))], stats);
  return new Map(words.map((w) => [w, union(beginnings(w).map((b) => lists.get(b) ?? []))]));
}

/** Lists of completions as one, each word once, most used first. */
function union(lists: SuggestEntry[][]): SuggestEntry[] {
  const out = new Map<string, SuggestEntry>();
  for (const list of lists) for (const e of list) if (!out.has(e[0])) out.set(e[0], e);
  return [...out.values()].sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
}

/** The first `limit` of a word's own completions with its typo readings before and after them. */
function withTypos(own: SuggestEntry[], typos: TypoCompletions, limit: number): SuggestEntry[] {
  return [...typos.before, ...own, ...typos.after].slice(0, limit);
}

/** Live docs (ascending) whose titles hold one of `terms`, each with its best `idf × title impact` over them. */
export function titleList(index: Archive, loaded: Map<string, LoadedTerm | null>, terms: readonly string[]): { docs: Int32Array; score: Float64Array } {
  // Each title slot is a run of ascending docs, copied into one buffer; the runs are then merged
  // pairwise, a doc in two of them keeping its best score (as a map of doc to best would, in a
  // fraction of the time: a big term at a million articles has tens of thousands of title postings).
  let total = 0;
  for (const term of terms) for (const part of loaded.get(term)?.parts ?? []) total += part.title?.codes.length ?? 0;
  let docs = new Int32Array(total);
  let score = new Float64Array(total);
  // Where each run starts, and the end of the last.
  let starts: number[] = [];
  let n = 0;
  const tf = index.bm25.title;
  for (const term of terms) {
    const lt = loaded.get(term);
    if (!lt) continue;
    const f = idf(lt.df, index.docCount);
    for (const part of lt.parts) {
      const title = part.title;
      if (!title) continue;
      const codes = title.codes;
      let k = 0;
      for (const slot of title.slots) {
        if (!slot) continue;
        const from = n;
        for (let j = 0; j < slot.length; j++) {
          const d = slot[j]!;
          const impact = tf[codes[k++]!]!;
          if (index.isDead(d)) continue;
          docs[n] = d;
          score[n++] = f * impact;
        }
        if (n > from) starts.push(from);
      }
    }
  }
  starts.push(n);
  if (starts.length > 2) {
    let toDocs = new Int32Array(n);
    let toScore = new Float64Array(n);
    while (starts.length > 2) {
      const next: number[] = [];
      let m = 0;
      for (let r = 0; r + 1 < starts.length; r += 2) {
        next.push(m);
        // Runs r and r + 1 (the last run alone when their count is odd).
        const aEnd = starts[r + 1]!;
        const bEnd = r + 2 < starts.length ? starts[r + 2]! : aEnd;
        m = mergeBest(docs, score, starts[r]!, aEnd, aEnd, bEnd, toDocs, toScore, m);
      }
      next.push(m);
      starts = next;
      [docs, toDocs] = [toDocs, docs];
      [score, toScore] = [toScore, score];
      n = m;
    }
  }
  return { docs: docs.subarray(0, n), score: score.subarray(0, n) };
}

/** The docs (ascending, with their scores) not in `drop` (ascending). */
function without(docs: Int32Array, score: Float64Array, drop: Int32Array): { docs: Int32Array; score: Float64Array } {
  const keptDocs = new Int32Array(docs.length);
  const keptScore = new Float64Array(docs.length);
  let n = 0;
  for (let i = 0, j = 0; i < docs.length; i++) {
    while (j < drop.length && drop[j]! < docs[i]!) j++;
    if (j < drop.length && drop[j] === docs[i]) continue;
    keptDocs[n] = docs[i]!;
    keptScore[n++] = score[i]!;
  }
  return { docs: keptDocs.subarray(0, n), score: keptScore.subarray(0, n) };
}

/** Two lists of docs (ascending) as one, a doc in both keeping its larger score, the second's scores times `weight`. */
function unionBest(a: { docs: Int32Array; score: Float64Array }, b: { docs: Int32Array; score: Float64Array }, weight: number): { docs: Int32Array; score: Float64Array } {
  const n = a.docs.length + b.docs.length;
  const docs = new Int32Array(n);
  const score = new Float64Array(n);
  docs.set(a.docs);
  score.set(a.score);
  docs.set(b.docs, a.docs.length);
  for (let i = 0; i < b.score.length; i++) score[a.docs.length + i] = weight * b.score[i]!;
  const outDocs = new Int32Array(n);
  const outScore = new Float64Array(n);
  const end = mergeBest(docs, score, 0, a.docs.length, a.docs.length, n, outDocs, outScore, 0);
  return { docs: outDocs.subarray(0, end), score: outScore.subarray(0, end) };
}

/** Merges runs [a, aEnd) and [b, bEnd) of `docs` into `out` from `at`, a doc in both keeping the larger score; returns the end. */
function mergeBest(docs: Int32Array, score: Float64Array, a: number, aEnd: number, b: number, bEnd: number, outDocs: Int32Array, outScore: Float64Array, at: number): number {
  let i = a;
  let j = b;
  let n = at;
  while (i < aEnd && j < bEnd) {
    const x = docs[i]!;
    const y = docs[j]!;
    if (x < y) {
      outDocs[n] = x;
      outScore[n++] = score[i++]!;
    } else if (y < x) {
      outDocs[n] = y;
      outScore[n++] = score[j++]!;
    } else {
      outDocs[n] = x;
      outScore[n++] = Math.max(score[i++]!, score[j++]!);
    }
  }
  for (; i < aEnd; i++, n++) {
    outDocs[n] = docs[i]!;
    outScore[n] = score[i]!;
  }
  for (; j < bEnd; j++, n++) {
    outDocs[n] = docs[j]!;
    outScore[n] = score[j]!;
  }
  return n;
}

/** The docs of both ascending lists, each with its two scores summed (the first's plus the second's). */
function intersect(aDocs: Int32Array, aScore: Float64Array, bDocs: Int32Array, bScore: Float64Array): { docs: Int32Array; score: Float64Array } {
  const docs = new Int32Array(Math.min(aDocs.length, bDocs.length));
  const score = new Float64Array(docs.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < aDocs.length && j < bDocs.length; i++) {
    const d = aDocs[i]!;
    j = seek(bDocs, j, d);
    if (j < bDocs.length && bDocs[j] === d) {
      docs[n] = d;
      score[n++] = aScore[i]! + bScore[j]!;
    }
  }
  return { docs: docs.subarray(0, n), score: score.subarray(0, n) };
}

/**
 * A bit a doc, for the docs of one context at a time (see {@link DocMarks}): made by the first
 * weighed keystroke, grown to the archive's doc numbers (125 KB at a million articles), and
 * emptied after each use.
 */
let marks = new Uint32Array(0);

/** Marks an ascending list's docs, for {@link countMarked}; `unmark` empties them again. */
const DocMarks = {
  mark(list: Int32Array, space: number): void {
    if (marks.length * 32 < space) marks = new Uint32Array(Math.ceil(space / 32));
    for (let i = 0; i < list.length; i++) {
      const d = list[i]!;
      marks[d >>> 5] = marks[d >>> 5]! | (1 << (d & 31));
    }
  },
  unmark(list: Int32Array): void {
    for (let i = 0; i < list.length; i++) marks[list[i]! >>> 5] = 0;
  },
};

/**
 * A run is counted by seeking a context's docs in it when it is this many times longer (a seek
 * costs a few comparisons where a bit test costs one per doc of the run).
 */
const SEEK_FEWER = 8;

/** How many docs of `few` (ascending) an ascending run holds: each sought from the last found on. */
export function countCommon(few: ArrayLike<number>, run: ArrayLike<number>): number {
  let n = 0;
  let j = 0;
  for (let i = 0; i < few.length && j < run.length; i++) {
    const d = few[i]!;
    j = seek(run, j, d);
    if (j < run.length && run[j] === d) n++;
  }
  return n;
}

/** How many of a run's docs are marked. */
function countMarked(run: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < run.length; i++) {
    const d = run[i]!;
    if (d >>> 5 < marks.length && (marks[d >>> 5]! & (1 << (d & 31))) !== 0) n++;
  }
  return n;
}

/** The first position from `from` on whose doc is ≥ `d` in an ascending list (galloping, then bisecting). */
function seek(list: ArrayLike<number>, from: number, d: number): number {
  if (from >= list.length || list[from]! >= d) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < list.length && list[hi]! < d) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > list.length) hi = list.length;
  // list[lo] < d; the answer is in (lo, hi].
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < d) lo = mid;
    else hi = mid;
  }
  return hi;
}
