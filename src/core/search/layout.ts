/**
 * Arabic typed with the keyboard left on its Latin layout: the keys of «بوتين» on the Arabic PC
 * keyboard ("Arabic (101)", as keyboard.ts) type `f,jdk` when the system is set to English, and
 * «السيسي» `hgsdsd`. A reader who does this sees Latin gibberish in the box and searches it; it
 * matches nothing, or Latin words it was never meant as. So a query typed wholly in the
 * characters of those keys is read back through the layout, and searched so when every word
 * it gives (stop words aside) is a word the archive writes as spelt, and its Latin words are not
 * (fewer than half as many held as typed): the answer is then that of the Arabic, with
 * `didYouMean` giving it and `corrected: true`, as for a typo (`correct=false` searches the
 * Latin as typed).
 *
 * The evidence asked is the words' own: a string of Latin keys read on the Arabic layout is
 * rarely a word, and several such words that all are, never by chance. A real Latin query
 * («trump iran», «FIFA», «iPhone») reads as letters no article writes («فقعةح هقشى»), or is a
 * word the archive holds as typed, and is left to the Latin names (names/).
 */
import { isLexiconWord, isStop, stems, tokenize } from '../analyzer/index';
import { hasSpelling } from '../format/layout';
import type { Archive } from './archive';
import { ReadStats } from './source';

/** What each key of the Latin (US) layout types on the Arabic (101) layout, unshifted. */
const KEYS: Readonly<Record<string, string>> = {
  q: 'ض', w: 'ص', e: 'ث', r: 'ق', t: 'ف', y: 'غ', u: 'ع', i: 'ه', o: 'خ', p: 'ح', '[': 'ج', ']': 'د',
  a: 'ش', s: 'س', d: 'ي', f: 'ب', g: 'ل', h: 'ا', j: 'ت', k: 'ن', l: 'م', ';': 'ك', "'": 'ط',
  z: 'ئ', x: 'ء', c: 'ؤ', v: 'ر', b: 'لا', n: 'ى', m: 'ة', ',': 'و', '.': 'ز', '/': 'ظ', '`': 'ذ',
};

/**
 * Shifted keys that type a letter: the hamza seats (H أ, Y إ, N آ, and G لأ, T لإ, B لآ). The
 * other shifted keys type vowel marks and punctuation, which a reader does not type in a query,
 * and which would read a Latin name's capital as a mark dropped (Sochi as خؤاه, a word some
 * article writes): a query with them is not read.
 */
const SHIFTED: Readonly<Record<string, string>> = { H: 'أ', Y: 'إ', N: 'آ', G: 'لأ', T: 'لإ', B: 'لآ' };

const LATIN_LETTER = /[A-Za-z]/;

/** Spaces, digits and the marks both layouts type alike (" ! : ( ) - ?): they stand as typed. */
const AS_TYPED = /[\s0-9"!:()\-?]/;

/**
 * Fewest letters of the longest word read, for a reading to count: a Latin word of three letters
 * often reads as some Arabic word (of the 3,000 commonest Latin words of the corpus, the few read
 * were such: ric as قهؤ), so «مصر» alone (lwv) is not read, and «السيسي مصر» is.
 */
const MIN_LETTERS = 4;

/**
 * The Arabic a query's keys type on the Arabic layout, or undefined when it is not wholly typed
 * on those keys (a character of no key, an Arabic letter) or has no Latin letter. All capitals
 * (caps lock on) are read as the keys unshifted; otherwise a capital is its shifted key's
 * letter ({@link SHIFTED}), or the query is not read.
 */
export function throughArabicLayout(q: string): string | undefined {
  if (!LATIN_LETTER.test(q)) return undefined;
  const capsLock = !/[a-z]/.test(q);
  let out = '';
  for (const ch of q) {
    const key = capsLock ? ch.toLowerCase() : ch;
    const arabic = KEYS[key] ?? SHIFTED[key];
    if (arabic !== undefined) out += arabic;
    else if (AS_TYPED.test(ch)) out += ch;
    else return undefined;
  }
  return out;
}

/** The Latin key of each letter the Arabic layout types ({@link KEYS} the other way; the hamza seats by their keys). */
const LATIN_OF: ReadonlyMap<string, string> = new Map([
  ...Object.entries(KEYS).filter(([, arabic]) => arabic.length === 1).map(([key, arabic]): [string, string] => [arabic, key]),
  ['أ', 'h'], ['إ', 'y'], ['آ', 'n'],
]);
/** The لا key's ligatures, typed as one key: b (لا, لآ), g (لأ), t (لإ). */
const LIGATURE_OF: Readonly<Record<string, string>> = { ا: 'b', آ: 'b', أ: 'g', إ: 't' };

/**
 * The Latin a query's Arabic letters type on the Latin layout: a Latin word typed with the
 * keyboard left on its Arabic layout (هحاخىث for iphone, حعفهى for putin). Undefined when the
 * query has a Latin letter, no Arabic one, a character of no key, or a word whose keys are not all
 * letters. ل before ا is the لا key (b).
 */
export function throughLatinLayout(q: string): string | undefined {
  if (LATIN_LETTER.test(q) || !/[\u0621-\u064a]/.test(q)) return undefined;
  const chars = [...q];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const ligature = c === 'ل' ? LIGATURE_OF[chars[i + 1] ?? ''] : undefined;
    if (ligature !== undefined) {
      out += ligature;
      i++;
      continue;
    }
    const key = LATIN_OF.get(c);
    if (key !== undefined) out += key;
    else if (AS_TYPED.test(c)) out += c;
    else return undefined;
  }
  // A Latin word is letters: a key of و د ج ك ط ز ظ ذ inside one (`,` `]` `[` `;` …) says the
  // Arabic was meant (لونغفيلد would be g,kytdg]).
  // And, as the other way ({@link MIN_LETTERS}), one word of 4 letters or more: على is ugn.
  const words = out.split(/\s+/);
  return words.every((w) => [...w].every((c) => /[a-z]/.test(c) || AS_TYPED.test(c))) && words.some((w) => (w.match(/[a-z]/g)?.length ?? 0) >= MIN_LETTERS) ? out : undefined;
}

/** What reading a query through the Arabic layout gives: the Arabic to search. */
export interface LayoutReading {
  q: string;
}


/**
 * The query read through the Arabic layout, when the archive writes every word it gives, and
 * holds fewer than half as many of its Latin words as typed (one batch of term reads); undefined
 * otherwise.
 */
export async function readLayout(index: Archive, q: string, stats: ReadStats): Promise<LayoutReading | undefined> {
  const arabic = throughArabicLayout(q);
  if (arabic === undefined) return undefined;
  const words = tokenize(arabic).map((t) => t.norm).filter((n) => !isStop(n) && /^[\u0600-\u06ff]/.test(n));
  if (words.length === 0 || Math.max(...words.map((w) => w.length)) < MIN_LETTERS) return undefined;
  // The chunks that could be Latin words as typed: letters only (f,jdk is no word, and its f
  // alone, held by some article as the F of F-16, says nothing), three or more (uk, عن typed on
  // the Latin layout, is the UK too).
  const latin = q.split(/\s+/).filter((c) => /^[A-Za-z]{3,}$/.test(c)).map((c) => c.toLowerCase());
  const terms = [...new Set([...words, ...latin].map((n) => stems(n)[0]!))];
  // Counted apart from the query's work budget (ReadStats.used): a Latin query that is no
  // layout slip leaves its names (names/) all the room they had; the reads are still reported.
  const probe = new ReadStats();
  const loaded = await index.loadTerms(terms, probe);
  stats.reads += probe.reads;
  stats.keys += probe.keys;
  stats.bytes += probe.bytes;
  // A word the lexicon keeps (4 letters or more, or with the article) is known by its spelling;
  // a shorter one by its stem's documents (مصر).
  const written = (n: string) => {
    const term = loaded.get(stems(n)[0]!);
    return isLexiconWord(n) ? hasSpelling(term?.spellings, n) : (term?.df ?? 0) > 0;
  };
  // As spelt, not behind a proclitic: «el tarji» reads «ثم فشقته», and ف + شقته is a word.
  if (!words.every(written)) return undefined;
  // Latin words the archive holds as typed weigh against the reading: it must have twice as many.
  const heldLatin = latin.filter((n) => (loaded.get(stems(n)[0]!)?.df ?? 0) > 0).length;
  if (heldLatin * 2 >= words.length) return undefined;
  return { q: arabic.replace(/\s+/g, ' ').trim() };
}
