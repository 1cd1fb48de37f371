/** Quoted phrases: checked on the best candidates' text, words in order. */
import { tokenize, withoutProclitics } from '../analyzer/index';
import type { Archive } from './archive';
import type { Matcher } from './matcher';
import type { ParsedQuery, PhraseWord } from './query';
import type { ReadStats } from './source';

/**
 * Keeps the candidates whose title or body holds every quoted phrase, words in order. A phrase
 * word matches a text word the way search does (stem, proclitic reading, correction: a dropped
 * ال, an attached و or a typo inside quotes still finds the phrase); stop words must be there.
 */
export async function checkPhrases<T extends { doc: number }>(index: Archive, ranked: T[], query: ParsedQuery, matcher: Matcher, stats: ReadStats): Promise<T[]> {
  const docs = await index.docs(ranked.map((c) => c.doc), stats);
  return ranked.filter((c) => {
    const a = docs.get(c.doc)!;
    const texts = [tokenize(a.title), tokenize(a.body.join('\n'))];
    return query.phrases.every((p) => texts.some((tokens) => containsPhrase(tokens.map((t) => t.norm), p, matcher)));
  });
}

function containsPhrase(norms: string[], phrase: PhraseWord[], matcher: Matcher): boolean {
  const same = (norm: string, w: PhraseWord) => ('norm' in w ? norm === w.norm || withoutProclitics(norm)[0] === w.norm : matcher.match(norm) === w.word);
  outer: for (let i = 0; i + phrase.length <= norms.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (!same(norms[i + j]!, phrase[j]!)) continue outer;
    return true;
  }
  return false;
}
