/**
 * The spelling model: one noisy channel. A typed word `w` is read as the known word `c` that
 * makes `P(c) × P(w | c)` largest, the word as typed being one of the candidates (with no
 * edit). `P(c)` is how common `c` is (its documents, to a fitted power); `P(w | c)` prices each
 * edit that turns `c` into `w` by its kind (a letter left out, doubled, two swapped, a
 * neighbouring key, a hamza seat or a ta marbuta confused, letters that sound alike in speech
 * confused, a slip in ال …). The margin of the
 * best reading over the word as typed, in nats, decides: above `replace` the reading takes the
 * word's place; above `offer` it is offered (`didYouMean`) and counts below the word as typed;
 * otherwise the word stands. Every number is fitted (`npm run eval -- --fit`) and
 * ships in fitted.ts; none is tuned by hand.
 */
import { neighbouringKeys } from './keyboard';

/** The edit kinds the channel prices separately. */
export const EDIT_KINDS = ['dropped', 'doubled', 'inserted', 'swap', 'neighbour', 'hamza', 'taMarbuta', 'sound', 'substituted', 'article'] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

export interface SpellModel {
  /** Power of a word's documents in its prior (0–2). */
  prior: number;
  /** Cost of each edit kind, in nats (−log of its probability against no edit; 0–15). */
  cost: Readonly<Record<EditKind, number>>;
  /**
   * The share of the archive's documents a word it lacks as typed counts as (0–1e-4): its prior
   * as a candidate of its own (a reader may type a real word the archive does not hold, and
   * that chance does not grow with the archive). Lower: unknown words are corrected more readily.
   */
  unseen: number;
  /**
   * Share of the documents of a typed word's stem counted as the word's own (0–1): a form the
   * archive writes rarely but whose stem is common (a plural, a suffix) is less likely a typo.
   */
  stemShare: number;
  /**
   * Share of the documents of a typed word's proclitic-free reading (TypedWord.behindDf)
   * counted as the word's own (0–1): a word with a conjunction or preposition written onto it
   * (وسيؤول: و + سيؤول) is a form of a word the archive writes, even where no article writes it
   * with that letter.
   */
  proclitic: number;
  /**
   * Nats the word as typed gains when it has {@link SHORT_WORD} letters or fewer (0–10): a short
   * word is one edit from many known words (a letter changed in a 4-letter word often makes
   * another), so a reading one edit away says less that it was a typo than it does of a long one.
   */
  short: number;
  /** Margin (nats) above which the best reading replaces the word as typed (`corrected`). */
  replace: number;
  /** Margin (nats) above which the best reading is offered and counts below the word as typed. */
  offer: number;
  /** Nats a reading gains when documents with the query's other words hold it (real-word typos). */
  context: number;
  /**
   * Weight of the query's other words in choosing among a corrected word's readings (0–8):
   * nats per nat of a reading's lift, `log P(others | reading) − log P(others)` under a
   * bag-of-words model of its documents (spell-context.ts `weighReadings`). At 1 the prior
   * `P(c)` becomes `P(c | others)`: Bayes with the other words as independent evidence.
   */
  cooccur: number;
}

/** Hamza seats and alef forms confused (normalized: أ إ آ → ا, ؤ → و, ئ ى → ي). */
const HAMZA = new Set(['ءا', 'اء', 'ءو', 'وء', 'ءي', 'يء', 'وي', 'يو', 'اي', 'يا']);
/** Ta marbuta (normalized to ه) written as ت, and the reverse. */
const TA = new Set(['هت', 'ته']);

/**
 * Letters written for one another because speech merges them: the interdentals and the sounds
 * they become in spoken Arabic (ث ت س, ذ د ز, ظ ض ز), and the emphatics and their plain
 * counterparts (ص س, ض د, ط ت). Both ways round.
 */
export const SOUND_ALIKE: readonly [string, string][] = [['ث', 'ت'], ['ث', 'س'], ['ذ', 'د'], ['ذ', 'ز'], ['ظ', 'ض'], ['ظ', 'ز'], ['ص', 'س'], ['ض', 'د'], ['ط', 'ت']];
const SOUND = new Set(SOUND_ALIKE.flatMap(([a, b]) => [a + b, b + a]));

/**
 * The edit kinds one (normalized) letter typed for another can be priced as: a hamza seat, a ta
 * marbuta, neighbouring keys, letters alike in sound, or none of these (`substituted`).
 */
export function substitutionKinds(intended: string, typed: string): readonly EditKind[] {
  const pair = intended + typed;
  if (HAMZA.has(pair)) return KINDS.hamza;
  if (TA.has(pair)) return KINDS.taMarbuta;
  const near = neighbouringKeys(intended, typed);
  const sound = SOUND.has(pair);
  return near && sound ? KINDS.both : near ? KINDS.neighbour : sound ? KINDS.sound : KINDS.substituted;
}

/** The answers of {@link substitutionKinds}, made once (the edit distance asks for every pair of letters). */
const KINDS = {
  hamza: Object.freeze(['hamza'] as EditKind[]),
  taMarbuta: Object.freeze(['taMarbuta'] as EditKind[]),
  neighbour: Object.freeze(['neighbour'] as EditKind[]),
  sound: Object.freeze(['sound'] as EditKind[]),
  both: Object.freeze(['neighbour', 'sound'] as EditKind[]),
  substituted: Object.freeze(['substituted'] as EditKind[]),
};

/**
 * The cost of typing `typed` for `intended` (both normalized): the cheapest sequence of edits
 * (a weighted Damerau–Levenshtein distance), edits inside an intended article ال priced as a
 * slip in ال, and the whole article typed or left out as one such slip.
 */
export function channelCost(typed: string, intended: string, cost: SpellModel['cost']): number {
  const direct = editCost(typed, intended, cost);
  const ta = typed.startsWith('ال');
  const ia = intended.startsWith('ال');
  if (ta === ia) return direct;
  return Math.min(direct, cost.article + editCost(ta ? typed.slice(2) : typed, ia ? intended.slice(2) : intended, cost));
}

/** The kinds of {@link substitutionKinds} by index, for the table below. */
const KIND_ORDER = [KINDS.hamza, KINDS.taMarbuta, KINDS.neighbour, KINDS.sound, KINDS.both, KINDS.substituted];
/**
 * The kind (index in KIND_ORDER) of a letter typed for another, by their character codes from
 * U+0600 (the letters of normalized Arabic): -1 until first asked. The edit distance asks for
 * every pair of a candidate's letters, so no string is made per pair.
 */
const PAIR_KIND = new Int8Array(256 * 256).fill(-1);

function pairKind(intended: number, typed: number): number {
  const a = intended - 0x600;
  const b = typed - 0x600;
  const inTable = a >= 0 && a < 256 && b >= 0 && b < 256;
  if (inTable) {
    const known = PAIR_KIND[a * 256 + b]!;
    if (known >= 0) return known;
  }
  const kind = KIND_ORDER.indexOf(substitutionKinds(String.fromCharCode(intended), String.fromCharCode(typed)) as (typeof KIND_ORDER)[number]);
  if (inTable) PAIR_KIND[a * 256 + b] = kind;
  return kind;
}

/** The distance matrix, kept between calls (grown as needed). */
let matrix = new Float64Array(256);
/** Each kind's price under the costs last asked for (see substitution). */
const kindCost = new Float64Array(KIND_ORDER.length);
let pricedFor: SpellModel['cost'] | undefined;

function editCost(t: string, c: string, cost: SpellModel['cost']): number {
  const n = c.length;
  const m = t.length;
  const art = c.startsWith('ال') ? 2 : 0;
  const w = m + 1;
  if (matrix.length < (n + 1) * w) matrix = new Float64Array(2 * (n + 1) * w);
  const d = matrix;
  d[0] = 0;
  if (pricedFor !== cost) {
    // A substitution's price: a hamza seat's or ta marbuta's own; otherwise the cheapest of its
    // kinds, never dearer than any substitution (a pair may be neighbours and alike in sound).
    kindCost[0] = cost.hamza;
    kindCost[1] = cost.taMarbuta;
    kindCost[2] = Math.min(cost.substituted, cost.neighbour);
    kindCost[3] = Math.min(cost.substituted, cost.sound);
    kindCost[4] = Math.min(cost.substituted, cost.neighbour, cost.sound);
    kindCost[5] = cost.substituted;
    pricedFor = cost;
  }
  for (let i = 0; i <= n; i++) {
    const ci = i > 0 ? c.charCodeAt(i - 1) : -1;
    for (let j = 0; j <= m; j++) {
      if (i === 0 && j === 0) continue;
      let best = Infinity;
      if (i > 0) best = d[(i - 1) * w + j]! + (i - 1 < art ? cost.article : cost.dropped);
      if (j > 0) {
        const x = t.charCodeAt(j - 1);
        const doubled = (j > 1 && t.charCodeAt(j - 2) === x) || (j < m && t.charCodeAt(j) === x);
        best = Math.min(best, d[i * w + j - 1]! + (i < art && i > 0 ? cost.article : doubled ? cost.doubled : cost.inserted));
        if (i > 0) {
          const same = ci === x;
          best = Math.min(best, d[(i - 1) * w + j - 1]! + (same ? 0 : i - 1 < art ? cost.article : substitution(pairKind(ci, x), i === n && j === m, cost)));
          if (!same && i > 1 && j > 1 && ci === t.charCodeAt(j - 2) && c.charCodeAt(i - 2) === x) {
            best = Math.min(best, d[(i - 2) * w + j - 2]! + (i - 2 < art ? cost.article : cost.swap));
          }
        }
      }
      d[i * w + j] = best;
    }
  }
  return d[n * w + m]!;
}

/**
 * A substitution's price by its kind: a ta marbuta confused (ه for ت, or ت for ه) is one only
 * at the end of both words, where the letter is written; inside a word ت for ه is a letter
 * like any other (يتدفون is not يهدفون with a ta marbuta misplaced).
 */
function substitution(kind: number, final: boolean, cost: SpellModel['cost']): number {
  return kind === 1 && !final ? cost.substituted : kindCost[kind]!;
}

/** What the model knows of a typed word. */
export interface TypedWord {
  norm: string;
  /** Documents holding the word as typed (0: none). */
  df: number;
  /** Documents holding its stem (any form). */
  stemDf: number;
  /**
   * The fewest documents known to hold its proclitic-free reading (سيؤول for وسيؤول) as typed: a
   * spelling in use's floor, 1 for a rarer one, 0 when no article writes a reading.
   */
  behindDf: number;
  /** Documents in the archive. */
  docCount: number;
}

/** A reading the model scores: a known word and its documents. */
export interface ReadingIn {
  word: string;
  df: number;
  /** Documents with the query's other words hold it. */
  inContext?: boolean;
}

/** Letters (normalized, the article counted) up to which a typed word is short (see SpellModel.short). */
export const SHORT_WORD = 4;

/**
 * The log prior of the word as typed (its documents, or its stem's share, or its proclitic-free
 * reading's share, or the unseen floor; a short word's gain).
 */
export function typedPrior(w: TypedWord, m: SpellModel): number {
  return m.prior * Math.log(Math.max(w.df, m.stemShare * w.stemDf, m.proclitic * w.behindDf, m.unseen * w.docCount)) + (w.norm.length <= SHORT_WORD ? m.short : 0);
}

/** The margin of a reading over the word as typed, in nats: > 0 when the reading is likelier. */
export function margin(w: TypedWord, r: ReadingIn, m: SpellModel, prior = typedPrior(w, m)): number {
  return m.prior * Math.log(r.df) - channelCost(w.norm, r.word, m.cost) + (r.inContext ? m.context : 0) - prior;
}

export type Verdict = 'replace' | 'offer' | 'keep';

/** What a margin decides. */
export function verdict(x: number, m: SpellModel): Verdict {
  return x > m.replace ? 'replace' : x > m.offer ? 'offer' : 'keep';
}

/**
 * Readings scored and sorted, likeliest first, each with its margin: what the model makes of a
 * typed word's candidates.
 */
export function rankReadings<R extends ReadingIn>(w: TypedWord, readings: R[], m: SpellModel): (R & { margin: number })[] {
  const prior = typedPrior(w, m);
  return readings.map((r) => ({ ...r, margin: margin(w, r, m, prior) })).sort((a, b) => b.margin - a.margin || b.df - a.df);
}
