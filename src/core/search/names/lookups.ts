/**
 * Which lists of the archive's vocabulary a Latin name's readings can be in, from its likeliest
 * spellings: the typo lexicon's lists by first letter and length, and the completions of
 * two-letter prefixes (title words, among them the words of two or three letters the lexicon
 * leaves out). All of a query's names are read in one batch.
 */
import { COMPLETION_LIST_CHARS, fitItems, lexiconCosts } from '../budget';
import type { LexiconKey } from '../spell';
import type { SearchOptions } from '../options';
import { spellings } from './align';
import { UNWRITTEN } from './letters';
import type { LatinName, NamePart } from './spans';

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

/** The lists to read for one name: each variant's parts', likeliest first. */
function nameKeys(name: LatinName, o: SearchOptions): { key: string; chars: number; value: LexiconKey | string }[] {
  const out: { key: string; chars: number; value: LexiconKey | string }[] = [];
  for (const p of name.variants.flat()) {
    const l = partLookups(p, o);
    out.push(...lexiconCosts(l.lexicon, 'x:'), ...l.prefixes.map((x) => ({ key: `g:${x}`, chars: COMPLETION_LIST_CHARS, value: x })));
  }
  return out;
}

/**
 * Everything to read for the names of a query, in one batch: the first names in query order
 * whose lists fit in `room` characters (budget.ts); `kept` are those names.
 */
export function nameLookups(names: LatinName[], o: SearchOptions, room = Infinity): NameLookups & { kept: LatinName[]; cut: boolean } {
  const fit = fitItems(names, (n) => nameKeys(n, o), room);
  const lexicon: LexiconKey[] = [];
  const prefixes: string[] = [];
  for (const v of fit.keys.values()) if (typeof v === 'string') prefixes.push(v); else lexicon.push(v);
  return { lexicon, prefixes, terms: [...new Set(fit.kept.map((n) => n.typed))], kept: fit.kept, cut: fit.cut };
}
