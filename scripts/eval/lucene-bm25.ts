/**
 * Baseline: plain BM25 with Lucene's ArabicAnalyzer, re-implemented here so the eval does not
 * depend on the code it measures. It follows Lucene (8+) as closely as a few lines allow:
 *
 *   StandardTokenizer → LowerCaseFilter → DecimalDigitFilter → StopFilter (the list as written,
 *   *before* normalization, as Lucene does) → ArabicNormalizationFilter → ArabicStemFilter (light10)
 *
 * and BM25Similarity (k1 1.2, b 0.75, idf ln(1 + (N − df + 0.5)/(df + 0.5)), document length
 * stored in Lucene's one-byte norm encoding). Title and body are indexed as one field; a query
 * is an OR of its analyzed terms.
 */

/** Lucene's ar/stopwords.txt (Jacques Savoy's list, cleaned 2009): not normalized, matched before normalization. */
const LUCENE_ARABIC_STOPWORDS = `
من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن ما وما كما فما عن مع
اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن التى التي الذى الذي الذين الى الي إلى إلي
على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم لن ولن هى هي هو وهى وهي وهو فهى فهي فهو انت أنت لك لها له هذه
هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان الآن خلال بعد قبل حتى
عند عندما لدى جميع
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(LUCENE_ARABIC_STOPWORDS.split(/\s+/).filter(Boolean));

// ---------------------------------------------------------------------------------------------
// Tokenizer (StandardTokenizer, simplified UAX#29 for the scripts in this corpus)
// ---------------------------------------------------------------------------------------------

/**
 * Word runs: letters, combining marks (harakat belong to their letter, UAX#29 "Extend"),
 * digits, connector punctuation and ZWNJ/ZWJ; a `.`, `,` or apostrophe between two digits, or
 * `.`/apostrophe between two letters, stays inside the word as UAX#29's MidNum/MidLetter do.
 */
const WORD = /[\p{L}\p{N}\p{Pc}][\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]*(?:(?:(?<=\p{N})[.,'](?=\p{N})|(?<=\p{L})['.’](?=\p{L}))[\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]+)*/gu;
const MAX_TOKEN_LENGTH = 255;

export function standardTokenize(text: string): string[] {
  return (text.match(WORD) ?? []).map((t) => t.slice(0, MAX_TOKEN_LENGTH));
}

/** DecimalDigitFilter: every Unicode decimal digit (٠-٩, ۰-۹ …) to 0-9. */
function foldDigits(token: string): string {
  return token.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    if (cp < 0x80) return d;
    // Nd digits come in runs of ten (or several tens) that start at zero.
    let run = 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(cp - run - 1))) run++;
    return String(run % 10);
  });
}

// ---------------------------------------------------------------------------------------------
// ArabicNormalizer and ArabicStemmer (light10), as in org.apache.lucene.analysis.ar
// ---------------------------------------------------------------------------------------------

/** ArabicNormalizer: tatweel and FATHATAN..SUKUN (U+064B–U+0652) removed; آ أ إ → ا; ى → ي; ة → ه. */
export function luceneNormalize(token: string): string {
  let out = '';
  for (const ch of token) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0640 || (cp >= 0x064b && cp <= 0x0652)) continue;
    if (cp === 0x0622 || cp === 0x0623 || cp === 0x0625) out += 'ا';
    else if (cp === 0x0649) out += 'ي';
    else if (cp === 0x0629) out += 'ه';
    else out += ch;
  }
  return out;
}

/** ArabicStemmer.prefixes, tried in this order; the first that fits is removed. */
const PREFIXES = ['ال', 'وال', 'بال', 'كال', 'فال', 'لل', 'و'];
/** ArabicStemmer.suffixes, each removed at most once, in this order. */
const SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ية', 'ه', 'ة', 'ي'];

/** light10: one prefix (و needs a word of 4+, the others leave 2+), then the suffixes (each leaves 2+). */
export function lightStem(word: string): string {
  let w = word;
  for (const p of PREFIXES) {
    const fits = p.length === 1 ? w.length >= 4 : w.length >= p.length + 2;
    if (fits && w.startsWith(p)) {
      w = w.slice(p.length);
      break;
    }
  }
  for (const s of SUFFIXES) {
    if (w.length >= s.length + 2 && w.endsWith(s)) w = w.slice(0, -s.length);
  }
  return w;
}

/** The terms Lucene's ArabicAnalyzer makes of a text. */
export function luceneArabicAnalyze(text: string): string[] {
  const out: string[] = [];
  for (const raw of standardTokenize(text)) {
    const token = foldDigits(raw.toLowerCase());
    if (STOP_WORDS.has(token)) continue;
    const norm = luceneNormalize(token);
    if (norm === '') continue;
    out.push(lightStem(norm));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lucene's one-byte length norm (SmallFloat.intToByte4 / byte4ToInt)
// ---------------------------------------------------------------------------------------------

function longToInt4(i: number): number {
  const numBits = 32 - Math.clz32(i); // lengths stay far below 2^32
  if (numBits < 4) return i;
  const shift = numBits - 4;
  let encoded = Math.floor(i / 2 ** shift) & 0x07;
  encoded |= (shift + 1) << 3;
  return encoded;
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

const NUM_FREE_VALUES = 255 - longToInt4(2 ** 31 - 1);

/** The document length BM25 sees after Lucene stores it in one byte (exact below 24, coarser above). */
export function quantizedLength(length: number): number {
  const b = length < NUM_FREE_VALUES ? length : NUM_FREE_VALUES + longToInt4(length - NUM_FREE_VALUES);
  return b < NUM_FREE_VALUES ? b : NUM_FREE_VALUES + int4ToLong(b - NUM_FREE_VALUES);
}

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

interface Postings {
  docs: Int32Array;
  tfs: Int32Array;
}

export interface Bm25Options {
  k1?: number;
  b?: number;
}

/** An in-memory BM25 index over one field (title + body). */
export class LuceneBm25 {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: Float64Array;
  private readonly avgdl: number;
  private readonly scores: Float64Array;
  private readonly k1: number;
  private readonly b: number;

  constructor(private readonly ids: string[], texts: Iterable<string>, options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    const building = new Map<string, number[]>();
    this.lengths = new Float64Array(ids.length);
    let doc = 0;
    let sum = 0;
    for (const text of texts) {
      const terms = luceneArabicAnalyze(text);
      sum += terms.length;
      this.lengths[doc] = quantizedLength(terms.length);
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = building.get(t);
        if (!list) building.set(t, (list = []));
        list.push(doc, n);
      }
      doc++;
    }
    // Lucene's avgdl is the exact mean (sumTotalTermFreq / docCount); only each doc's length is quantized.
    this.avgdl = doc ? sum / doc : 1;
    for (const [t, list] of building) {
      const docs = new Int32Array(list.length / 2);
      const tfs = new Int32Array(list.length / 2);
      for (let i = 0; i < docs.length; i++) {
        docs[i] = list[2 * i]!;
        tfs[i] = list[2 * i + 1]!;
      }
      this.postings.set(t, { docs, tfs });
    }
    this.scores = new Float64Array(ids.length);
  }

  /** Ids of the `limit` best documents for an OR query over the query's terms (ties: index order). */
  search(query: string, limit = 10): string[] {
    const n = this.ids.length;
    const touched: number[] = [];
    for (const term of luceneArabicAnalyze(query)) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i]!;
        const tf = p.tfs[i]!;
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[d]!) / this.avgdl);
        if (this.scores[d] === 0) touched.push(d);
        this.scores[d] = this.scores[d]! + idf * (tf / (tf + norm));
      }
    }
    const best = topByScore(touched, this.scores, limit);
    for (const d of touched) this.scores[d] = 0;
    return best.map((d) => this.ids[d]!);
  }
}

/** The `limit` docs of highest score, ties broken by lower doc number (Lucene's order). */
function topByScore(docs: number[], scores: Float64Array, limit: number): number[] {
  const better = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
  if (docs.length <= limit * 8) return docs.sort(better).slice(0, limit);
  // Keep a small sorted list: the result is short, the candidate list can be long.
  const top: number[] = [];
  for (const d of docs) {
    if (top.length === limit && better(d, top[limit - 1]!) >= 0) continue;
    let i = top.length;
    while (i > 0 && better(d, top[i - 1]!) < 0) i--;
    top.splice(i, 0, d);
    if (top.length > limit) top.pop();
  }
  return top;
}
