/**
 * Names across scripts: a query word in Latin letters or Arabizi (Putin, Poutine, boutin,
 * 3abd el nasser) read as the archive's own Arabic word. Each Latin word is cut into pieces
 * (letters, digraphs, Arabizi digits: letters.ts) whose Arabic options make its likely
 * spellings; those say which lists of the archive's vocabulary to read (the typo lexicon, by
 * first letter and length, and for words of two or three letters, which the lexicon leaves
 * out, the completions of their first two letters); every word of those lists is then scored
 * by how cheaply it writes the Latin (align.ts) and how common it is, and the best reading
 * takes the Latin word's place in the query, which is then searched as if typed in Arabic.
 * No list of names is kept: the archive's vocabulary is the list. A Latin word the archive has
 * as typed (iPhone, FIFA where it writes them so) is searched as typed, unless its reading is
 * far more common; a word a synonym entry names keeps the reading the editor gave it.
 */
import { ALT_MARK, bareWord, normalize, stems } from '../../analyzer/index';
import type { SuggestEntry } from '../../format/layout';
import { queryTokens, type QueryToken } from '../../settings/match';
import type { SynonymTable } from '../../settings/synonyms';
import type { Archive } from '../archive';
import type { SearchOptions } from '../options';
import type { ReadStats } from '../source';
import type { LexiconKey, Lexicon } from '../spell';
import { synonymSpans } from '../synonyms';
import { behindProclitic, copyGroups, type Loaded } from '../terms';
import type { ParsedQuery } from '../query';
import type { Correction, TermGroups } from '../types';
import { readingCost, spellings } from './align';
import { latinLetters, piecesOf, readable, UNWRITTEN, type Pieces } from './letters';

/** How Latin words are read in Arabic (see {@link readNames}). */
export interface NameOptions {
  /** Weight of ln(documents) against the cost of a reading (how much being common counts). */
  dfWeight: number;
  /** A reading is kept when it costs at most this per Latin letter ... */
  costPerLetter: number;
  /** ... plus this. */
  costSlack: number;
  /** Cost of an article ال the Latin does not write (Sisi for السيسي), or writes where the Arabic has none. */
  articleCost: number;
  /** Lexicon lists read per Latin word at most, likeliest first. */
  maxLists: number;
  /** Completion lists (two-letter prefixes, for words of 2–3 letters) read per Latin word at most. */
  maxPrefixes: number;
  /** Lists whose likeliest spelling costs more than the best one's by this are not read. */
  listSlack: number;
  /** A Latin word the archive has in this many documents is searched as typed ... */
  knownDf: number;
  /** ... unless its reading is in this many times more; in more at all, the reading is searched too. */
  swamp: number;
  /** Other readings of a word searched too: those scoring within this of the best ... */
  altMargin: number;
  /** ... at most this many. */
  maxOthers: number;
  /** Weight of another reading at best, times e^(its score − the reading's): its odds against it (0–1). */
  otherWeight: number;
  /**
   * Articles per title of a word of the completions (which count titles), to weigh the short
   * words only they list against the lexicon's (which count articles).
   */
  titleDocs: number;
}

/** One word of a Latin name: its pieces and whether an article (al-, el-) comes before it. */
export interface NamePart {
  letters: string;
  pieces: Pieces;
  article: boolean;
  /** Cost added to its readings: the doubt of reading it so (an article glued to the name: essebsi). */
  doubt: number;
}

/** A span of the query read as one or more Arabic words (3abd el nasser is two spans: 3abd, el nasser). */
export interface LatinName {
  /** The query's text it replaces. */
  start: number;
  end: number;
  text: string;
  /**
   * Ways to read it, each as Arabic words: abdelaziz is two (عبد, العزيز); Abu Dhabi is two
   * (أبو, ظبي) or one (أبوظبي), as Arabic writes such names both ways.
   */
  variants: NamePart[][];
  /** The normalized word as typed (its term: a Latin word's stem is itself). */
  typed: string;
}

/** Latin words that never name anyone on their own. */
const FUNCTION_WORDS = new Set(['the', 'of', 'and', 'in', 'on', 'for', 'to', 'with', 'from', 'by', 'is', 'et', 'les', 'des', 'du']);
/** The article as Latin writes it apart (al-Sisi, el nasser). */
const ARTICLES = new Set(['al', 'el', 'il', 'ul']);
/** The article assimilated to a sun letter (ash-Sham, ar-Riyadh, as-Sisi): its consonant doubles the next word's first. */
const SUN_ARTICLES = /^(?:a|e)(t|th|d|dh|r|z|s|sh|n)$/;
/** First words of compound names (أبو, بن) as Latin writes them: the name is also tried as one word. */
const COMPOUND_HEADS = /^(?:abu|abou|abo|bou|bu|bin|ben|ibn)$/;
/** The article glued to a name, plain (elsisi, aljazeera) or assimilated (essebsi, ennahda: the consonant doubled). */
const GLUED_ARTICLE = /^(?:[ae]l(?=[a-z]{3})|[ae](?=(sh|th|dh|[tdrzsn])\1[a-z]{2}))/;
/** الله glued to the word before it (Nasrallah, Hezbollah). */
const GLUED_ALLAH = /^([a-z]{3,}?)[aeiou]?ll?ah?$/;

/** The Latin spans of a query the model reads, those a synonym entry covers left out. */
export function latinNames(q: string, synonyms: SynonymTable): LatinName[] {
  if (!/[A-Za-z\u00c0-\u024f]/.test(q)) return [];
  const tokens = queryTokens(q);
  const covered = new Set<number>();
  for (const [from, to] of synonymSpans(tokens, synonyms)) for (let i = from; i < to; i++) covered.add(i);
  const out: LatinName[] = [];
  const isLatin = (t: QueryToken | undefined, i: number) => t !== undefined && !covered.has(i) && readable(t.norm) && !FUNCTION_WORDS.has(latinLetters(t.norm));
  const span = (from: QueryToken, to: QueryToken, variants: NamePart[][], typed: string): LatinName => ({ start: from.start, end: to.end, text: q.slice(from.start, to.end), variants, typed });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isLatin(t, i)) continue;
    const letters = latinLetters(t.norm);
    const next = tokens[i + 1];
    const nextLetters = next && isLatin(next, i + 1) ? latinLetters(next.norm) : '';
    const sun = SUN_ARTICLES.exec(letters);
    if (nextLetters.length >= 2 && (ARTICLES.has(letters) || (sun && nextLetters.startsWith(sun[1]!)))) {
      // The article and the word after it: one Arabic word, ال and all.
      out.push(span(t, next!, [[part(nextLetters, true)]], next!.norm));
      i++;
      continue;
    }
    if (ARTICLES.has(letters) || letters.length < 2) continue;
    // عبد and the article glued to the name after it (abdelaziz, abdel fattah, abdullah).
    const abd = /^abd[aeiou]?l([a-z]*)$/.exec(letters);
    if (abd && letters.length > 4) {
      const rest = abd[1]!;
      if (rest.length >= 2) out.push(span(t, t, [[part('abd', false), part(rest, true)]], t.norm));
      else if (nextLetters.length >= 2) {
        out.push(span(t, next!, [[part('abd', false), part(nextLetters, true)]], t.norm));
        i++;
      }
      continue;
    }
    if (COMPOUND_HEADS.test(letters) && nextLetters.length >= 2 && !ARTICLES.has(nextLetters)) {
      out.push(span(t, next!, [[part(letters, false), part(nextLetters, false)], [part(letters + nextLetters, false)]], t.norm));
      i++;
      continue;
    }
    const variants = [[part(letters, false)]];
    const glued = GLUED_ARTICLE.exec(letters);
    if (glued) variants.push([part(letters.slice(glued[0].length), true, 0.5)]);
    const allah = GLUED_ALLAH.exec(letters);
    if (allah) variants.push([part(allah[1]!, false), part('lah', true)]);
    out.push(span(t, t, variants, t.norm));
  }
  return out;
}

function part(letters: string, article: boolean, doubt = 0): NamePart {
  return { letters, pieces: piecesOf(letters), article, doubt };
}

/** The lists to read for some Latin names, and their own terms (to tell a word the archive has in Latin). */
export interface NameLookups {
  lexicon: LexiconKey[];
  prefixes: string[];
  terms: string[];
}

/**
 * Which lists a part's readings can be in: the lexicon lists (first letter and length, the
 * article aside) of its likeliest spellings, one letter longer for a letter left unwritten; and
 * for spellings of two or three letters without the article, the completions of their first two.
 */
export function partLookups(p: NamePart, o: SearchOptions): { lexicon: LexiconKey[]; prefixes: string[] } {
  let known = lookupsOf.get(p);
  if (!known || known.o !== o) lookupsOf.set(p, (known = { o, lookups: findLookups(p, o) }));
  return known.lookups;
}

/** Each part's lookups, made once (the reading of a part asks again which lists are its own). */
const lookupsOf = new WeakMap<NamePart, { o: SearchOptions; lookups: { lexicon: LexiconKey[]; prefixes: string[] } }>();

function findLookups(p: NamePart, o: SearchOptions): { lexicon: LexiconKey[]; prefixes: string[] } {
  const n = o.names;
  const all = spellings(p.pieces);
  if (all.length === 0) return { lexicon: [], prefixes: [] };
  const least = all[0]![1];
  const keyCost = new Map<string, number>();
  const prefixCost = new Map<string, number>();
  const note = (m: Map<string, number>, k: string, c: number) => { if (c <= least + n.listSlack && c < (m.get(k) ?? Infinity)) m.set(k, c); };
  const unwritten = Math.min(...Object.values(UNWRITTEN));
  for (const [s, c] of all) {
    if (s.length >= 3 || p.article) {
      note(keyCost, `${s[0]}/${s.length}`, c);
      note(keyCost, `${s[0]}/${s.length + 1}`, c + unwritten);
    }
    // A word of 4 letters with the article (الله) is listed whole.
    if (p.article && s.length === 2) note(keyCost, `ا/4`, c);
    if (s.length >= 2) {
      if (!p.article) note(prefixCost, s.slice(0, 2), c);
      note(prefixCost, 'ال', c + (p.article ? 0 : n.articleCost));
    }
  }
  const cheapest = (m: Map<string, number>, k: number) => [...m].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([key]) => key);
  return {
    lexicon: cheapest(keyCost, n.maxLists).map((k) => ({ first: k.slice(0, k.indexOf('/')), length: Number(k.slice(k.indexOf('/') + 1)) })),
    prefixes: cheapest(prefixCost, n.maxPrefixes),
  };
}

/** Everything to read for the names of a query, in one batch. */
export function nameLookups(names: LatinName[], o: SearchOptions): NameLookups {
  const lexicon = new Map<string, LexiconKey>();
  const prefixes = new Set<string>();
  for (const name of names) {
    for (const p of name.variants.flat()) {
      const l = partLookups(p, o);
      for (const k of l.lexicon) lexicon.set(`${k.first}/${k.length}`, k);
      for (const x of l.prefixes) prefixes.add(x);
    }
  }
  return { lexicon: [...lexicon.values()], prefixes: [...prefixes], terms: [...new Set(names.map((n) => n.typed))] };
}

/** The Arabic word a Latin part is read as. */
export interface Reading {
  /** Normalized, as the archive's vocabulary has it. */
  word: string;
  df: number;
  cost: number;
}

/**
 * The readings of a part among the words of the lists read, best first: the least cost less
 * `dfWeight × ln(documents)`, within the cost a word of its length may have; the best, and
 * those of other stems scoring within `altMargin` of it. A list is sorted by documents, most
 * first, so the scan of it stops once no rarer word could make the cut.
 */
export function partReadings(p: NamePart, lexicon: Lexicon, completions: Map<string, SuggestEntry[]>, o: SearchOptions): Reading[] {
  const n = o.names;
  const max = n.costPerLetter * p.letters.length + n.costSlack - p.doubt;
  const article = { typed: p.article, cost: n.articleCost };
  const keys = partLookups(p, o);
  const wantedKeys = new Set(keys.lexicon.map((k) => `${k.first}/${k.length}`));
  const found: (Reading & { score: number })[] = [];
  let top = -Infinity;
  // Most words of a list have a letter no piece can write: that test skips them.
  const writable = lettersOf(p);
  const consider = (word: string, df: number): boolean => {
    const prior = n.dfWeight * Math.log(Math.max(1, df)) - p.doubt;
    const bar = top - n.altMargin;
    // Even a reading of cost 0 would not make the cut: the rest of the list is rarer.
    if (prior < bar) return false;
    for (let i = 0; i < word.length; i++) if (writable[word.charCodeAt(i) - 0x600] !== 1) return true;
    const cost = readingCost(p.pieces, word, article, Math.min(max, prior - bar));
    if (cost === Infinity) return true;
    const score = prior - cost;
    found.push({ word, df, cost: cost + p.doubt, score });
    if (score > top) top = score;
    return true;
  };
  for (const list of lexicon) {
    if (list.length === 0 || !wantedKeys.has(keyOfList(list))) continue;
    for (const [word, df] of list) if (!consider(word, df)) break;
  }
  // Completions count titles: a name is in about `titleDocs` times as many articles. A word
  // the lexicon lists too is counted as the commoner says.
  const seen = new Set(found.map((r) => r.word));
  for (const prefix of keys.prefixes) for (const [word, , count] of completions.get(prefix) ?? []) if (!seen.has(word) && !consider(word, count * n.titleDocs)) break;
  const stemsSeen = new Set<string>();
  const out: Reading[] = found
    .filter((r) => r.score >= top - n.altMargin)
    .sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : 1))
    .filter((r) => { const st = stems(r.word)[0]!; return !stemsSeen.has(st) && stemsSeen.add(st); })
    .slice(0, 1 + n.maxOthers)
    .map(({ word, df, cost }) => ({ word, df, cost }));
  if (out.length === 0) return out;
  // The archive's commonest spelling of the reading (the same letters but its long vowels and
  // hamza, which writers of a foreign name put in or leave out: تشيلسي, تشلسي) is the reading.
  const best = out[0]!;
  const skeleton = skeletonOf(best.word);
  if (!skeleton) return out;
  let common: Reading | undefined;
  const note = (word: string, df: number) => {
    if (df <= (common ?? best).df || word === best.word || skeletonOf(word) !== skeleton) return;
    const cost = readingCost(p.pieces, word, article, max);
    if (cost < Infinity) common = { word, df, cost: cost + p.doubt };
  };
  for (const list of lexicon) if (list.length > 0 && wantedKeys.has(keyOfList(list))) for (const [word, df] of list) { if (df <= best.df) break; note(word, df); }
  for (const prefix of keys.prefixes) for (const [word, , count] of completions.get(prefix) ?? []) note(word, count * n.titleDocs);
  if (!common) return out;
  const stem = stems(common.word)[0]!;
  return [common, ...out.filter((r) => stems(r.word)[0] !== stem)].slice(0, 1 + n.maxOthers);
}

/**
 * A word's letters but the article and the long vowels and hamza inside it (not its first or
 * last letter: ليبي and ليبيا are two words): what its spellings share. Too short to tell a
 * name (three letters or fewer: نابل, نبيل), none.
 */
function skeletonOf(word: string): string | undefined {
  const bare = bareWord(word);
  const out = bare.length < 3 ? bare : bare[0]! + bare.slice(1, -1).replace(/[اويء]/g, '') + bare[bare.length - 1]!;
  return out.length >= 4 ? out : undefined;
}

/** The letters a part can be written with (1 by code point − 0x600): its pieces', those Latin leaves unwritten, the article's. */
function lettersOf(p: NamePart): Uint8Array {
  const out = new Uint8Array(256);
  const add = (letters: string) => { for (let i = 0; i < letters.length; i++) out[(letters.charCodeAt(i) - 0x600) & 255] = 1; };
  add(`ال${Object.keys(UNWRITTEN).join('')}`);
  for (const options of p.pieces) for (const [arabic] of options) add(arabic);
  return out;
}

/** The best reading of a part, if any. */
export function bestReading(p: NamePart, lexicon: Lexicon, completions: Map<string, SuggestEntry[]>, o: SearchOptions): Reading | undefined {
  return partReadings(p, lexicon, completions, o)[0];
}

/** The lexicon key of a list (its words share first letter and length, the article aside). */
function keyOfList(list: [string, number][]): string {
  const w = list[0]![0];
  const bare = w.startsWith('ال') && w.length >= 5 ? w.slice(2) : w;
  return `${bare[0]}/${bare.length}`;
}

/**
 * A Latin name read in Arabic: its words, and whether they take its place (`replace`) or a
 * Latin word the archive has too is searched beside its commoner reading, as one word in two
 * spellings (`both`: Facebook and فيسبوك).
 */
export interface ReadName {
  name: LatinName;
  readings: Reading[];
  /** Other readings of each word, close behind (searched too, weighted below the reading). */
  others: Reading[][];
  mode: 'replace' | 'both';
}

/**
 * The names read: each in its likeliest variant whose every word has a reading (a variant is
 * as likely as its least likely word). A Latin word the archive has as typed (in `knownDf`
 * documents or more) keeps its place unless the reading is `swamp` times more common; a
 * one-word reading merely more common is searched beside it.
 */
export function readingsOf(names: LatinName[], loaded: Loaded, lexicon: Lexicon, completions: Map<string, SuggestEntry[]>, o: SearchOptions): ReadName[] {
  const out: ReadName[] = [];
  const score = (r: Reading) => o.names.dfWeight * Math.log(Math.max(1, r.df)) - r.cost;
  for (const name of names) {
    let best: { all: Reading[][]; score: number } | undefined;
    for (const variant of name.variants) {
      const all = variant.map((p) => partReadings(p, lexicon, completions, o));
      if (all.some((r) => r.length === 0)) continue;
      const weakest = Math.min(...all.map((r) => score(r[0]!)));
      if (!best || weakest > best.score) best = { all, score: weakest };
    }
    if (!best) continue;
    const readings = best.all.map((r) => r[0]!);
    const others = best.all.map((r) => r.slice(1));
    const typedDf = loaded.get(stems(name.typed)[0]!)?.df ?? 0;
    const least = Math.min(...readings.map((r) => r.df));
    if (typedDf < o.names.knownDf || least >= o.names.swamp * typedDf) out.push({ name, readings, others, mode: 'replace' });
    else if (least > typedDf && readings.length === 1) out.push({ name, readings, others: [[]], mode: 'both' });
  }
  return out;
}

/** The query with each name read replaced by its Arabic words. */
export function rewriteQuery(q: string, read: ReadName[]): string {
  let out = '';
  let at = 0;
  for (const r of [...read].sort((a, b) => a.name.start - b.name.start)) {
    out += q.slice(at, r.name.start) + r.readings.map((x) => x.word).join(' ');
    at = r.name.end;
  }
  return out + q.slice(at);
}

/** A query with its Latin names read in Arabic. */
export interface NamedQuery {
  /** The query to search. */
  q: string;
  read: ReadName[];
}

/**
 * Reads the Latin names of a query (one batch: their own terms, the lexicon lists and the
 * completions their readings may be in). Undefined when the query has none, or none is read.
 */
export async function readNames(index: Archive, q: string, synonyms: SynonymTable, stats: ReadStats, o: SearchOptions): Promise<NamedQuery | undefined> {
  const names = latinNames(q, synonyms);
  if (names.length === 0) return undefined;
  const lookups = nameLookups(names, o);
  const [loaded, lexicon, completions] = await Promise.all([
    index.loadTerms(lookups.terms, stats),
    index.lexicon(lookups.lexicon, stats),
    index.suggestionsOf(lookups.prefixes, stats),
  ]);
  const read = readingsOf(names, loaded, lexicon, completions, o);
  return read.length === 0 ? undefined : { q: rewriteQuery(q, read), read };
}

/**
 * The names read, as corrections of the query searched: each reading is one of its words,
 * which `didYouMean` then writes as the best results write it (Putin → بوتين).
 */
export function nameCorrections(named: NamedQuery | undefined, words: readonly { norm: string }[]): Correction[] {
  if (!named) return [];
  const out: Correction[] = [];
  for (const r of named.read.filter((x) => x.mode === 'replace')) {
    for (const reading of r.readings) {
      const norm = normalize(reading.word);
      const wi = words.findIndex((w) => w.norm === norm);
      if (wi < 0 || out.some((c) => c.word === wi)) continue;
      out.push({ word: wi, to: norm, readings: [{ word: norm, stem: stems(norm)[0]!, df: reading.df }], mode: 'auto' });
    }
  }
  return out;
}

/**
 * The parsed query searched, with the Latin spelling of each name read in `both` mode as
 * another spelling of its reading (a new query; the input is not changed).
 */
export function withLatinSpellings(query: ParsedQuery, named: NamedQuery): ParsedQuery {
  const both = named.read.filter((r) => r.mode === 'both');
  if (both.length === 0) return query;
  const words = query.words.map((w) => {
    const r = both.find((x) => normalize(x.readings[0]!.word) === w.norm);
    const latin = r && stems(r.name.typed)[0]!;
    return latin && !w.respellings.includes(latin) ? { ...w, respellings: [...w.respellings, latin] } : w;
  });
  return { ...query, words };
}

/** Another reading of a query word: its term and weight. */
export interface OtherReading {
  word: number;
  term: string;
  weight: number;
}

/** The other readings of the names read in `replace` mode, by the query word of their reading. */
export function otherReadings(named: NamedQuery | undefined, words: readonly { norm: string }[], o: SearchOptions): OtherReading[] {
  if (!named) return [];
  const out: OtherReading[] = [];
  for (const r of named.read.filter((x) => x.mode === 'replace')) {
    r.readings.forEach((reading, k) => {
      const wi = words.findIndex((w) => w.norm === normalize(reading.word));
      if (wi < 0) return;
      // Weighted by how much less likely the model finds it.
      const score = (x: Reading) => o.names.dfWeight * Math.log(Math.max(1, x.df)) - x.cost;
      for (const other of r.others[k] ?? []) out.push({ word: wi, term: stems(other.word)[0]!, weight: o.names.otherWeight * Math.exp(score(other) - score(reading)) });
    });
  }
  return out;
}

/** The groups with the other readings added (new groups; the input is not changed). */
export function withOtherReadings(input: TermGroups, others: OtherReading[], loaded: Loaded, o: SearchOptions): TermGroups {
  if (others.length === 0) return input;
  const groups = copyGroups(input);
  for (const r of others) {
    const g = groups[r.word]!;
    if ((loaded.get(r.term)?.df ?? 0) === 0 || g.some((t) => t.term === r.term)) continue;
    g.push({ term: r.term, weight: r.weight, kind: 'alt' });
    if (behindProclitic(r.term, loaded)) g.push({ term: ALT_MARK + r.term, weight: r.weight * o.ranking.altWeight, kind: 'alt' });
  }
  return groups;
}
