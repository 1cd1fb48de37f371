/** Quoted phrases: checked on the best candidates' text, words in order. */
import { codesToString, scanWords, withoutProclitics, type WordVisitor } from '../analyzer/index';
import type { Archive } from './archive';
import { keepWordIndex, knownWordIndex } from './hits';
import { signature, type Matcher } from './matcher';
import { indexWords, type WordIndex } from './snippet';
import type { ParsedQuery, PhraseWord } from './query';
import type { ReadStats } from './source';

/**
 * Keeps the candidates whose title or body holds every quoted phrase, words in order. A phrase
 * word matches a text word the way search does (stem, proclitic reading, correction: a dropped
 * ال, an attached و or a typo inside quotes still finds the phrase); stop words must be there.
 */
export async function checkPhrases<T extends { doc: number }>(index: Archive, ranked: T[], query: ParsedQuery, matcher: Matcher, stats: ReadStats): Promise<T[]> {
  const docs = await index.docs(ranked.map((c) => c.doc), stats);
  // Stop words count inside phrases: a text word may be one when it holds its letter pairs.
  const stops = [...new Set(query.phrases.flatMap((p) => p.flatMap((w) => ('norm' in w ? [w.norm] : []))))];
  const stopSignatures = Int32Array.from(stops, (n) => signature(Array.from(n, (c) => c.charCodeAt(0)), n.length));
  const stopLengths = Int32Array.from(stops, (n) => n.length);
  // Only the phrases' own words need be read: a query's other words (a stray letter or digit
  // among them would let every word through) do not decide a phrase.
  const mayMatch = matcher.mayMatchOf(new Set(query.phrases.flatMap((p) => p.flatMap((w) => ('word' in w ? [w.word] : [])))));
  return ranked.filter((c) => {
    const a = docs.get(c.doc)!;
    const title = phraseWords(a.title, mayMatch, stopSignatures, stopLengths);
    let body: (string | null)[] | undefined;
    const bodyWords = (): (string | null)[] => {
      // From the body's word index when a query made one: only the words whose signature may be
      // a phrase word's are read again. Else the scan makes it, kept with the article for the
      // next query's phrases and snippets.
      const known = knownWordIndex(a, 'body');
      if (known && !known.truncated) return indexedPhraseWords(known, mayMatch, stopSignatures, stopLengths);
      const text = a.body.join('\n');
      const out: (string | null)[] = [];
      const built = indexWords(text, (i, sig, codes, length) => {
        out[i] = mayBePhraseWord(sig, length, mayMatch, stopSignatures, stopLengths) ? codesToString(codes, length) : null;
      });
      if (!built) return phraseWords(text, mayMatch, stopSignatures, stopLengths);
      keepWordIndex(index, c.doc, a, 'body', built);
      return out;
    };
    return query.phrases.every((p) => containsPhrase(title, p, matcher) || containsPhrase((body ??= bodyWords()), p, matcher));
  });
}

/** {@link phraseWords} over a text's word index (every word of it: not truncated). */
function indexedPhraseWords(ix: WordIndex, mayMatch: (sig: number) => boolean, stopSignatures: Int32Array, stopLengths: Int32Array): (string | null)[] {
  const { count, signatures, starts, ends, text } = ix;
  const out = new Array<string | null>(count).fill(null);
  let norm = '';
  let normLength = 0;
  const visit: WordVisitor = (_start, _end, codes, length) => {
    norm = codesToString(codes, length);
    normLength = length;
  };
  for (let i = 0; i < count; i++) {
    const sig = signatures[i]!;
    if (mayMatch(sig)) {
      scanWords(text, visit, starts[i]!, ends[i]!);
      out[i] = norm;
      continue;
    }
    for (let k = 0; k < stopSignatures.length; k++) {
      const stop = stopSignatures[k]!;
      const l = stopLengths[k]!;
      if ((sig & stop) !== stop) continue;
      // The index keeps no lengths, but a signature bounds them: only a one-letter word has no
      // letter pair, and a two-letter word has one (the stop word's, then).
      if (l === 1 ? sig !== 0 : l === 2 && sig !== stop) continue;
      scanWords(text, visit, starts[i]!, ends[i]!);
      if (normLength === l || (l >= 3 && normLength === l + 1)) {
        out[i] = norm;
        break;
      }
    }
  }
  return out;
}

/**
 * A text's words as a phrase check reads them: the normalized word where it may be a phrase
 * word (its letter-pair signature holds a query stem's or a phrase stop word's), else null, so
 * that most words of an article are never made into strings nor stemmed. A stop word of L
 * letters is the word itself or a proclitic before it when 3 letters remain (containsPhrase):
 * only a word of L letters, or of L + 1 when L is 3 or more, may be it.
 */
function phraseWords(text: string, mayMatch: (sig: number) => boolean, stopSignatures: Int32Array, stopLengths: Int32Array): (string | null)[] {
  const out: (string | null)[] = [];
  scanWords(text, (_start, _end, codes, length) => {
    out.push(mayBePhraseWord(signature(codes, length), length, mayMatch, stopSignatures, stopLengths) ? codesToString(codes, length) : null);
  });
  return out;
}

/** Whether a word of this signature and length may be a phrase word (see phraseWords). */
function mayBePhraseWord(sig: number, length: number, mayMatch: (sig: number) => boolean, stopSignatures: Int32Array, stopLengths: Int32Array): boolean {
  if (mayMatch(sig)) return true;
  for (let k = 0; k < stopSignatures.length; k++) {
    const l = stopLengths[k]!;
    if ((sig & stopSignatures[k]!) === stopSignatures[k] && (length === l || (l >= 3 && length === l + 1))) return true;
  }
  return false;
}

function containsPhrase(norms: (string | null)[], phrase: PhraseWord[], matcher: Matcher): boolean {
  const same = (norm: string | null, w: PhraseWord) => norm !== null && ('norm' in w ? norm === w.norm || withoutProclitics(norm)[0] === w.norm : matcher.match(norm) === w.word);
  outer: for (let i = 0; i + phrase.length <= norms.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (!same(norms[i + j] ?? null, phrase[j]!)) continue outer;
    return true;
  }
  return false;
}
