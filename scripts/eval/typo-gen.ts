/**
 * The typo benchmark's words and typos: words drawn from the news titles across frequency bands
 * (document counts over the corpus), and one typo of each kind per word made by a seeded
 * generator, so that every run draws the same set. The words are split in two halves by a
 * seeded hash: the spelling model is fitted on one and reported on the other.
 */
import { normalize, isStopWord } from '../../src/core/analyzer/index';
import { keysNextTo } from '../../src/core/search/keyboard';
import { SOUND_ALIKE, substitutionKinds } from '../../src/core/search/spell-model';
import type { EvalDoc } from './data';
import { hashSeed, mulberry32, pick, type Rng } from './variants';

export const TYPO_KINDS = ['dropped', 'doubled', 'swap', 'neighbour', 'hamza', 'taMarbuta', 'article'] as const;
/**
 * Kinds added since the benchmark's first runs, reported apart from the headline (which keeps
 * the issue's kinds, comparable from run to run): letters speech merges (spell-model.ts,
 * SOUND_ALIKE), and any other letter typed for the right one (`substituted`: neither next to it
 * on the keyboard, nor alike in sound, nor a hamza seat or ta marbuta; a phone's layout, a slip
 * of memory). Without the last, the fit had no case of the edit the model prices as
 * `cost.substituted`, and priced it at the top of its range. Their cases come after all the
 * others, kind after kind, so earlier runs' outcomes line up.
 */
export const EXTRA_TYPO_KINDS = ['sound', 'substituted'] as const;
export type TypoKind = (typeof TYPO_KINDS)[number] | (typeof EXTRA_TYPO_KINDS)[number];

/** Frequency bands (documents holding the word) the typo words are drawn from, equally. */
export const BANDS: readonly [number, number][] = [[5, 20], [21, 200], [201, 2000]];
/** The band of correctly spelt rare words typed alone (must not be replaced). */
export const RARE_BAND: [number, number] = [1, 3];

export interface DrawnWord {
  /** As the titles most often write it (hamza, ة and all). */
  surface: string;
  norm: string;
  df: number;
  band: string;
  /** 'fit' or 'report'. */
  half: 'fit' | 'report';
}

export interface TypoCase {
  word: DrawnWord;
  kind: TypoKind;
  typo: string;
}

const ARABIC_WORD = /^[\u0621-\u064a]+$/;
const HARAKAT = /[\u064b-\u065f\u0670\u0640]/g;

/** Arabic words of a text as written, harakat and tatweel removed. */
export function arabicWords(text: string): string[] {
  return (text.replace(HARAKAT, '').match(/[\u0621-\u064a]+/g) ?? []).filter((w) => ARABIC_WORD.test(w));
}

/** Per normalized word: documents holding it, and its commonest written form in titles. */
export function corpusWords(docs: EvalDoc[]): { df: Map<string, number>; titleForm: Map<string, string> } {
  const df = new Map<string, number>();
  const forms = new Map<string, Map<string, number>>();
  for (const d of docs) {
    const seen = new Set<string>();
    for (const w of arabicWords(`${d.title} ${d.body}`)) seen.add(normalize(w));
    for (const n of seen) df.set(n, (df.get(n) ?? 0) + 1);
    for (const w of arabicWords(d.title)) {
      const n = normalize(w);
      let f = forms.get(n);
      if (!f) forms.set(n, (f = new Map()));
      f.set(w, (f.get(w) ?? 0) + 1);
    }
  }
  const titleForm = new Map<string, string>();
  for (const [n, f] of forms) titleForm.set(n, [...f].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]);
  return { df, titleForm };
}

function half(seed: number, norm: string): 'fit' | 'report' {
  return hashSeed(seed, 'half', norm) % 2 === 0 ? 'fit' : 'report';
}

/** Which title words a draw takes (normalized): the headline's, of 5+ letters, or the short ones. */
export type WordLength = 'long' | 'short';

/**
 * Short words: 4 letters, the article not among them (ال and two letters is a word of two). The
 * speller reads them since 2026-12-05 (Lucene's minQueryLength, 4); the headline's words stay
 * those of 5+ letters, so that its figures compare from run to run, and these are reported apart.
 */
function ofLength(n: string, length: WordLength): boolean {
  return length === 'long' ? n.length >= 5 : n.length === 4 && !n.startsWith('ال');
}

/** `perBand` title words per band (5+ letters, or 4: `length`), not stop words, drawn with a seeded shuffle. */
export function drawWords(docs: EvalDoc[], bands: readonly [number, number][], perBand: number, seed: number, words = corpusWords(docs), length: WordLength = 'long'): DrawnWord[] {
  const pool = [...words.titleForm.keys()].filter((n) => ofLength(n, length) && !isStopWord(n)).sort();
  const out: DrawnWord[] = [];
  for (const [lo, hi] of bands) {
    const inBand = pool.filter((n) => { const df = words.df.get(n) ?? 0; return df >= lo && df <= hi; });
    // The headline's draw keeps its first hash, so that its words are those of every run before.
    const rng = mulberry32(length === 'long' ? hashSeed(seed, 'band', lo, hi) : hashSeed(seed, 'band', lo, hi, length));
    for (let i = 0; i < Math.min(perBand, inBand.length); i++) {
      const j = i + Math.floor(rng() * (inBand.length - i));
      [inBand[i], inBand[j]] = [inBand[j]!, inBand[i]!];
      const norm = inBand[i]!;
      out.push({ surface: words.titleForm.get(norm)!, norm, df: words.df.get(norm)!, band: `${lo}–${hi}`, half: half(seed, norm) });
    }
  }
  return out;
}

/** Each letter's sound-alike letters (both ways round). */
const SOUND_FORMS: Record<string, string[]> = {};
for (const [a, b] of SOUND_ALIKE) {
  (SOUND_FORMS[a] ??= []).push(b);
  (SOUND_FORMS[b] ??= []).push(a);
}

const HAMZA_FORMS: Record<string, string[]> = { 'أ': ['ء', 'ا'], 'إ': ['ء', 'ا'], 'آ': ['ء', 'ا'], 'ؤ': ['ئ', 'ء'], 'ئ': ['ؤ', 'ء'], 'ء': ['ئ', 'ؤ', 'أ'] };

/** The letters a substitution may put in place of another (and replace): the alphabet, bare. */
const SUBSTITUTES = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';

/** Where a typo may go: never the first letter of the word (after ال), nor inside ال. */
function start(w: string): number {
  return w.startsWith('ال') && w.length >= 5 ? 3 : 1;
}

/**
 * One typo of `kind` in `word` (as written), or undefined when the word gives the kind nothing
 * to do, or when the typo, normalized, is the word itself (ة for ه, أ for ا: not a typo to the
 * analyzer).
 */
export function makeTypo(word: string, kind: TypoKind, rng: Rng): string | undefined {
  const c = [...word];
  const s = start(word);
  const at = (from: number, to = c.length) => (to > from ? from + Math.floor(rng() * (to - from)) : -1);
  let out: string[] | undefined;
  if (kind === 'dropped') {
    const i = at(s);
    if (i >= 0) out = c.filter((_, k) => k !== i);
  } else if (kind === 'doubled') {
    const i = at(s);
    if (i >= 0) out = [...c.slice(0, i + 1), c[i]!, ...c.slice(i + 1)];
  } else if (kind === 'swap') {
    const options = [...Array(c.length - 1).keys()].filter((i) => i >= s && c[i] !== c[i + 1]);
    if (options.length) {
      const i = pick(rng, options);
      out = [...c];
      [out[i], out[i + 1]] = [c[i + 1]!, c[i]!];
    }
  } else if (kind === 'neighbour') {
    const options = [...Array(c.length).keys()].filter((i) => i >= s && keysNextTo(normalize(c[i]!)).length > 0);
    if (options.length) {
      const i = pick(rng, options);
      out = [...c];
      out[i] = pick(rng, keysNextTo(normalize(c[i]!)));
    }
  } else if (kind === 'hamza') {
    const options = [...Array(c.length).keys()].filter((i) => HAMZA_FORMS[c[i]!]);
    const i = options.length ? pick(rng, options) : -1;
    if (i >= 0) {
      out = [...c];
      out[i] = pick(rng, HAMZA_FORMS[c[i]!]!.filter((x) => normalize(x) !== normalize(c[i]!)));
    }
  } else if (kind === 'taMarbuta') {
    const last = c[c.length - 1];
    if (last === 'ة' || last === 'ه') out = [...c.slice(0, -1), 'ت'];
    else if (last === 'ت') out = [...c.slice(0, -1), 'ة'];
  } else if (kind === 'sound') {
    const options = [...Array(c.length).keys()].filter((i) => i >= s && SOUND_FORMS[c[i]!]);
    if (options.length) {
      const i = pick(rng, options);
      out = [...c];
      out[i] = pick(rng, SOUND_FORMS[c[i]!]!);
    }
  } else if (kind === 'substituted') {
    const other = (x: string) => [...SUBSTITUTES].filter((y) => normalize(y) !== normalize(x) && substitutionKinds(normalize(x), normalize(y))[0] === 'substituted');
    const options = [...Array(c.length).keys()].filter((i) => i >= s && SUBSTITUTES.includes(c[i]!));
    if (options.length) {
      const i = pick(rng, options);
      out = [...c];
      out[i] = pick(rng, other(c[i]!));
    }
  } else if (kind === 'article') {
    if (word.startsWith('ال') && c.length >= 5) {
      const how = pick(rng, ['drop', 'swap', 'key'] as const);
      if (how === 'drop') out = ['ا', ...c.slice(2)];
      else if (how === 'swap') out = ['ا', c[2]!, 'ل', ...c.slice(3)];
      else out = ['ا', pick(rng, keysNextTo('ل')), ...c.slice(2)];
    }
  }
  const typo = out?.join('');
  return typo && normalize(typo) !== normalize(word) ? typo : undefined;
}

/** One typo of each kind per word (those the word gives something to do): the kinds, then the extra ones. */
export function typoCases(words: DrawnWord[], seed: number): TypoCase[] {
  const of = (kinds: readonly TypoKind[]) => words.flatMap((word) => kinds.flatMap((kind) => {
    const typo = makeTypo(word.surface, kind, mulberry32(hashSeed(seed, 'typo', word.norm, kind)));
    return typo ? [{ word, kind, typo }] : [];
  }));
  return [...of(TYPO_KINDS), ...EXTRA_TYPO_KINDS.flatMap((kind) => of([kind]))];
}
