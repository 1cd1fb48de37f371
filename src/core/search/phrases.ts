/** Quoted phrases: checked on the best candidates' text, words in order. */
import { codesToString, scanWords, withoutProclitics } from '../analyzer/index';
import type { Archive } from './archive';
import { signature, type Matcher } from './matcher';
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
  return ranked.filter((c) => {
    const a = docs.get(c.doc)!;
    const title = phraseWords(a.title, matcher, stopSignatures, stopLengths);
    let body: (string | null)[] | undefined;
    return query.phrases.every((p) => containsPhrase(title, p, matcher) || containsPhrase((body ??= phraseWords(a.body.join('\n'), matcher, stopSignatures, stopLengths)), p, matcher));
  });
}

/**
 * A text's words as a phrase check reads them: the normalized word where it may be a phrase
 * word (its letter-pair signature holds a query stem's or a phrase stop word's), else null, so
 * that most words of an article are never made into strings nor stemmed. A stop word of L
 * letters is the word itself or a proclitic before it when 3 letters remain (containsPhrase):
 * only a word of L letters, or of L + 1 when L is 3 or more, may be it.
 */
function phraseWords(text: string, matcher: Matcher, stopSignatures: Int32Array, stopLengths: Int32Array): (string | null)[] {
  const out: (string | null)[] = [];
  scanWords(text, (_start, _end, codes, length) => {
    const sig = signature(codes, length);
    let may = matcher.mayMatch(sig);
    for (let k = 0; !may && k < stopSignatures.length; k++) {
      const l = stopLengths[k]!;
      may = (sig & stopSignatures[k]!) === stopSignatures[k] && (length === l || (l >= 3 && length === l + 1));
    }
    out.push(may ? codesToString(codes, length) : null);
  });
  return out;
}

function containsPhrase(norms: (string | null)[], phrase: PhraseWord[], matcher: Matcher): boolean {
  const same = (norm: string | null, w: PhraseWord) => norm !== null && ('norm' in w ? norm === w.norm || withoutProclitics(norm)[0] === w.norm : matcher.match(norm) === w.word);
  outer: for (let i = 0; i + phrase.length <= norms.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (!same(norms[i + j] ?? null, phrase[j]!)) continue outer;
    return true;
  }
  return false;
}
