/**
 * The readings of Latin names among the words of the lists read: every word scored by how
 * cheaply it writes the Latin (align.ts) and how common it is; the best, the archive's
 * commonest spelling of it, and close runners-up. A Latin word the archive has as typed keeps
 * its place unless its reading is far more common.
 */
import type { LexiconList } from '../../format/codec';
import { bareWord, stems } from '../../analyzer/index';
import type { SuggestEntry } from '../../format/layout';
import type { SearchOptions } from '../options';
import type { Lexicon } from '../spell';
import type { Loaded } from '../terms';
import { readingCost } from './align';
import { UNWRITTEN } from './letters';
import { partLookups } from './lookups';
import type { LatinName, NamePart } from './spans';

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
  const keys = partLookups(p, o);
  const wantedKeys = new Set(keys.lexicon.map((k) => `${k.first}/${k.length}`));
  // The lists the key names. (The scan filters the lists as read again, on purpose: iterating
  // this filtered copy made V8 deoptimize the scan over and over, 71 times in 1,800 queries.)
  const lists = lexicon.filter((list) => list.length > 0 && wantedKeys.has(keyOfList(list)));
  // A part read before from these very lists (decoded values, never changed) reads the same:
  // the isolate's warm queries skip the alignments (a list read again is a new object, a new key).
  const key = `${idOf(o)} ${p.letters} ${p.article ? 1 : 0} ${p.doubt} ${lists.map(idOf).join(',')} ${keys.prefixes.map((x) => { const c = completions.get(x); return c ? idOf(c) : 0; }).join(',')}`;
  const known = memo.get(key);
  if (known) return known;
  const out = Object.freeze(scanReadings(p, keys, wantedKeys, lexicon, completions, o).map((r) => Object.freeze(r))) as Reading[];
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(key, out);
  return out;
}

/** Parts read, by part and the identities of the options and lists read from (see partReadings). */
const memo = new Map<string, Reading[]>();
const MEMO_ENTRIES = 512;
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(x: object): number {
  let id = ids.get(x);
  if (id === undefined) ids.set(x, (id = nextId++));
  return id;
}

function scanReadings(p: NamePart, keys: ReturnType<typeof partLookups>, wantedKeys: Set<string>, lexicon: Lexicon, completions: Map<string, SuggestEntry[]>, o: SearchOptions): Reading[] {
  const n = o.names;
  const max = n.costPerLetter * p.letters.length + n.costSlack - p.doubt;
  const article = { typed: p.article, cost: n.articleCost };
  const found: (Reading & { score: number })[] = [];
  let top = -Infinity;
  // Most words of a list have a letter no piece can write: that test skips them.
  const writable = lettersOf(p);
  // A word is `text` from `from` to `to`: a list's words are tested in place, and only one
  // that every piece could write is made a string.
  const consider = (text: string, from: number, to: number, df: number): boolean => {
    const prior = n.dfWeight * Math.log(Math.max(1, df)) - p.doubt;
    const bar = top - n.altMargin;
    // Even a reading of cost 0 would not make the cut: the rest of the list is rarer.
    if (prior < bar) return false;
    for (let i = from; i < to; i++) if (writable[text.charCodeAt(i) - 0x600] !== 1) return true;
    const word = from === 0 && to === text.length ? text : text.slice(from, to);
    const cost = readingCost(p.pieces, word, article, Math.min(max, prior - bar));
    if (cost === Infinity) return true;
    const score = prior - cost;
    found.push({ word, df, cost: cost + p.doubt, score });
    if (score > top) top = score;
    return true;
  };
  // The commonest `scanWords` of each list (a list is sorted by documents, most first).
  const scan = n.scanWords;
  for (const list of lexicon) {
    if (list.length === 0 || !wantedKeys.has(keyOfList(list))) continue;
    const end = Math.min(list.length, scan);
    const { text, starts } = list;
    for (let i = 0; i < end; i++) if (!consider(text, starts[i]!, starts[i + 1]! - 1, list.df[i]!)) break;
  }
  // Completions count titles: a name is in about `titleDocs` times as many articles. A word
  // the lexicon lists too is counted as the commoner says.
  const seen = new Set(found.map((r) => r.word));
  for (const prefix of keys.prefixes) {
    const list = completions.get(prefix) ?? [];
    const end = Math.min(list.length, scan);
    for (let i = 0; i < end; i++) {
      const [word, , count] = list[i]!;
      if (!seen.has(word) && !consider(word, 0, word.length, count * n.titleDocs)) break;
    }
  }
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
  for (const list of lexicon) {
    if (list.length === 0 || !wantedKeys.has(keyOfList(list))) continue;
    for (let i = 0; i < list.length && list.df[i]! > best.df; i++) note(list.word(i), list.df[i]!);
  }
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
function keyOfList(list: LexiconList): string {
  const w = list.word(0);
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
  /**
   * The Latin word as typed is in some article (fewer than `knownDf`, or swamped by the
   * reading): searched too, as another spelling of its reading, so that its articles are not lost.
   */
  keepTyped?: boolean;
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
    if (typedDf < o.names.knownDf || least >= o.names.swamp * typedDf) out.push({ name, readings, others, mode: 'replace', ...(typedDf > 0 && readings.length === 1 ? { keepTyped: true } : {}) });
    else if (least > typedDf && readings.length === 1) out.push({ name, readings, others: [[]], mode: 'both' });
  }
  return out;
}
