/**
 * The editor's synonyms at query time, in two stages around the one read of the plan's terms:
 * which entries the query's words match (and the terms of their expansions, read with the
 * query's own), then the expansions added to the words they stand for, weighted below them.
 *
 * An expansion of one word is searched as that word (its stem, and behind a proclitic where the
 * archive writes it so); a compound name (أبو ظبي) as its one-word stem, as the index holds it;
 * one of several words as a term of its own that holds the docs having all of them, scored as
 * its rarest word. An expansion weighs `synonymWeight` of the words typed, shared among the k
 * query words of the phrase it stands for, and never more than they do: a rarer expansion's
 * weight is scaled down to their idf, so a doc found only through it scores below one that
 * holds the words typed as often. The archive's house styles (ترامب, ترمب) are entries too,
 * weighing `houseStyleWeight`.
 * A query no entry matches is searched exactly as without synonyms.
 */
import { ALT_MARK, compoundHead, compoundStems, isStop } from '../analyzer/index';
import { phraseAt, queryTokens, type QueryToken } from '../settings/match';
import type { SynonymPhrase, SynonymRule, SynonymTable } from '../settings/synonyms';
import type { LoadedTerm, TermPart } from './archive';
import type { SearchOptions } from './options';
import type { QueryPlan } from './plan';
import { hasDoc } from './postings';
import { idf } from './score';
import { behindProclitic, copyGroups, type Loaded } from './terms';
import type { TermGroups } from './types';

/** An entry found in the query: the query words it covers. */
export interface SynonymMatch {
  rule: SynonymRule;
  /** Indexes into the plan's query words (stop words of the phrase have none). */
  words: number[];
}

/** What the synonyms ask of the pipeline: the matches, and the terms their expansions need read. */
export interface SynonymPlan {
  matches: SynonymMatch[];
  terms: string[];
  /**
   * The other spellings of the excluded words by the archive's house styles (ترمب for -ترامب):
   * the same word, excluded with it. (An editor's synonym is another word: not excluded.)
   */
  excluded: string[];
}

/** Marks a term made of several words (no analyzed word has a space, so none can be mistaken for it). */
const ALL_OF = '\u0001';

/** How an expansion is searched: one term, or the docs that have every one of several. */
function expansionTerms(p: SynonymPhrase): { single: string } | { all: string[] } {
  const norms = p.norms.filter((n) => !isStop(n));
  if (norms.length === 2 && compoundHead(norms[0]!)) {
    const joined = compoundStems(norms[0]!, norms[1]!);
    if (joined) return { single: joined[0]! };
  }
  return p.words.length === 1 ? { single: p.words[0]! } : { all: [...new Set(p.words)] };
}

/** The key of the term of the docs holding all of `stems`. */
export function allOfKey(stems: string[]): string {
  return ALL_OF + stems.join(' ');
}

/**
 * Where entries match a query's words: `[from, to)` word spans with their entry, the longest
 * where several of one entry overlap (the query الإمارات العربية المتحدة is that member of its
 * group, not also الإمارات).
 */
export function synonymSpans(tokens: readonly QueryToken[], table: SynonymTable): [from: number, to: number, rule: SynonymRule][] {
  if (table.size === 0) return [];
  const found: [number, number, SynonymRule][] = [];
  tokens.forEach((t, at) => {
    for (const stem of new Set(t.stems)) for (const rule of table.byFirst.get(stem) ?? []) if (phraseAt(tokens, at, rule.from.stems)) found.push([at, at + rule.from.stems.length, rule]);
  });
  return found.filter(([from, to, rule]) => !found.some(([f, t, r]) => r.line === rule.line && f <= from && t >= to && t - f > to - from));
}

/** The stems the archive's house styles pair a word's stem with (ترمب for ترامب): the same word in another outlet's spelling. */
export function houseStylePartners(stem: string, table: SynonymTable): string[] {
  if (table.size === 0) return [];
  return (table.byFirst.get(stem) ?? [])
    .filter((rule) => rule.house && rule.from.stems.length === 1)
    .flatMap((rule) => rule.to.flatMap((p) => { const e = expansionTerms(p); return 'single' in e && e.single !== stem ? [e.single] : []; }));
}

/** The entries the plan's query matches, and the terms of their expansions to read. */
export function synonymsOf(plan: QueryPlan, table: SynonymTable): SynonymPlan {
  if (table.size === 0) return { matches: [], terms: [], excluded: [] };
  // (Not a spelling the query asks for itself: ترامب -ترمب is the articles that write ترامب.)
  const typed = new Set(plan.query.words.flatMap((w) => w.stems));
  const excluded = [...new Set(plan.query.excluded.flatMap((w) => [...new Set(w.stems)].flatMap((stem) => houseStylePartners(stem, table).filter((t) => !typed.has(t)))))];
  // Each read behind a proclitic too (لترمب), as the query's own words are.
  const excludedTerms = excluded.flatMap((t) => [t, ALT_MARK + t]);
  if (plan.query.words.length === 0) return { matches: [], terms: excludedTerms, excluded };
  const tokens = queryTokens(plan.params.q);
  const wordOf = new Map(plan.query.words.map((w, i) => [w.norm, i]));
  const matches: SynonymMatch[] = [];
  const terms = new Set<string>();
  for (const [from, to, rule] of synonymSpans(tokens, table)) {
    const words = [...new Set(tokens.slice(from, to).map((t) => wordOf.get(t.norm)).filter((w): w is number => w !== undefined))];
    if (words.length === 0) continue;
    matches.push({ rule, words });
    for (const p of rule.to) {
      const e = expansionTerms(p);
      if ('single' in e) terms.add(e.single).add(ALT_MARK + e.single);
      else for (const s of e.all) terms.add(s);
    }
  }
  for (const t of excludedTerms) terms.add(t);
  return { matches, terms: [...terms], excluded };
}

/**
 * What marks each query word's synonyms in a text (an article's page opened from a search, read
 * without the index): each expansion's stem, behind a proclitic too, or the words of one of
 * several; the archive's house styles are entries too (بوتن marked for بوتين, as the search found it).
 */
export function expansionWords(plan: QueryPlan, table: SynonymTable): string[][] {
  const out = plan.query.words.map((): string[] => []);
  if (table.size === 0) return out;
  for (const m of synonymsOf(plan, table).matches) {
    for (const p of m.rule.to) {
      const e = expansionTerms(p);
      const terms = 'single' in e ? [e.single, ALT_MARK + e.single] : e.all;
      for (const wi of m.words) out[wi]!.push(...terms);
    }
  }
  return out;
}

/**
 * The groups with every match's expansions added (new groups; the input is not changed), and
 * the terms of several words they use, to be added to the loaded terms.
 */
export function expandSynonyms(input: TermGroups, matches: SynonymMatch[], loaded: Loaded, docCount: number, o: SearchOptions): { groups: TermGroups; made: Map<string, LoadedTerm> } {
  const made = new Map<string, LoadedTerm>();
  if (matches.length === 0) return { groups: input, made };
  const groups = copyGroups(input);
  const add = (wi: number, term: string, weight: number) => {
    const g = groups[wi]!;
    const known = g.find((t) => t.term === term);
    if (!known) g.push({ term, weight, kind: 'alt' });
    else if (known.kind !== 'plain' && known.weight < weight) known.weight = weight;
  };
  const idfOf = (term: string) => idf(loaded.get(term)?.df ?? 0, docCount);
  for (const m of matches) {
    // What the words typed weigh (each word's plain stem): a rarer expansion is weighted down
    // to it, so that it never outscores them.
    const typed = m.words.reduce((sum, wi) => sum + idfOf(input[wi]![0]!.term), 0);
    for (const p of m.rule.to) {
      const e = expansionTerms(p);
      let term: string | undefined;
      let df = 0;
      if ('single' in e) {
        df = loaded.get(e.single)?.df ?? 0;
        term = e.single;
      } else {
        const key = allOfKey(e.all);
        const all = made.get(key) ?? allOf(e.all.map((s) => loaded.get(s)));
        if (all) made.set(key, all);
        df = all?.df ?? 0;
        term = key;
      }
      if (df === 0) continue;
      const weight = ((m.rule.house ? o.ranking.houseStyleWeight : o.ranking.synonymWeight) / m.words.length) * Math.min(1, typed / idf(df, docCount));
      for (const wi of m.words) {
        add(wi, term, weight);
        if ('single' in e && behindProclitic(e.single, loaded)) add(wi, ALT_MARK + e.single, weight * o.ranking.altWeight);
      }
    }
  }
  return { groups, made };
}

/** The query words' terms as highlighting reads them: a term of several words is its words. */
export function matcherGroups(groups: TermGroups): string[][] {
  return groups.map((g) => g.flatMap((t) => (t.term.startsWith(ALL_OF) ? t.term.slice(ALL_OF.length).split(' ') : [t.term])));
}

/**
 * The docs holding every one of some terms, as one term: the rarest term's postings (its tf,
 * title slots and title word counts) kept for the docs that have all the others anywhere.
 * Null when one of them is nowhere.
 */
export function allOf(terms: (LoadedTerm | null | undefined)[]): LoadedTerm | null {
  if (terms.some((t) => !t || t.parts.length === 0)) return null;
  const all = terms as LoadedTerm[];
  const rarest = all.reduce((a, b) => (b.df < a.df ? b : a));
  // Each of the rarest term's docs looked up in the others' postings (binary searches): no set
  // of a common word's docs is built.
  const others = all.filter((t) => t !== rarest);
  const keep = (d: number) => others.every((t) => hasDoc(t, d));
  const parts = rarest.parts.map((p) => keptPart(p, keep)).filter((p): p is TermPart => p !== undefined);
  const docs = new Set<number>();
  for (const p of parts) for (const f of [p.title, p.body]) for (const slot of f?.slots ?? []) for (const d of slot) docs.add(d);
  return docs.size === 0 ? null : { df: docs.size, parts };
}

/** A part's postings of the docs `keep` says yes to, with their codes, title word counts and attribute codes. */
function keptPart(p: TermPart, keep: (doc: number) => boolean): TermPart | undefined {
  // Attribute codes run over the title postings, then the body's.
  const title = keptField(p, p.title, 0, keep, p.titleWords);
  const body = keptField(p, p.body, p.title?.codes.length ?? 0, keep);
  if (!title && !body) return undefined;
  const out: TermPart = { attributeWidth: p.attributeWidth };
  if (title) {
    out.title = title.postings;
    out.titleWords = title.words;
  }
  if (body) out.body = body.postings;
  if (p.attributes !== undefined) out.attributes = (title?.attributes ?? '') + (body?.attributes ?? '');
  return out;
}

/** One field's kept postings; `first` is the index of its first posting among the part's attribute codes. */
function keptField(p: TermPart, f: TermPart['title'], first: number, keep: (doc: number) => boolean, titleWords?: Uint8Array) {
  if (!f) return undefined;
  const codes: number[] = [];
  const words: number[] = [];
  let attributes = '';
  const width = p.attributeWidth;
  let k = 0;
  const slots = f.slots.map((slot) => slot.filter((d) => {
    const i = k++;
    if (!keep(d)) return false;
    codes.push(f.codes[i]!);
    if (titleWords) words.push(titleWords[i]!);
    if (p.attributes !== undefined) attributes += p.attributes.slice((first + i) * width, (first + i + 1) * width);
    return true;
  }));
  return codes.length === 0 ? undefined : { postings: { slots, codes: Uint16Array.from(codes) }, words: Uint8Array.from(words), attributes };
}
