/**
 * Word lists summed over an archive's segments: the typo lexicon (`[word, df]` per first
 * letter and length) and the completions (`[norm, display, count]` per two-letter prefix).
 */
import { bareWord } from '../analyzer/index';
import { lexiconList, type LexiconList } from '../format/codec';
import { beforePairs, beforeText, type SuggestEntry } from '../format/layout';

/** A lexicon list with no words. */
export const NO_WORDS: LexiconList = lexiconList([]);

/**
 * The lexicon lists of the wanted keys (`first/length`), each segment's lists added up: a word
 * counts when in 2+ docs; most used first, then by word.
 */
export function mergeLexicon(wantedKeys: string[], lists: LexiconList[]): LexiconList[] {
  const merged = new Map(wantedKeys.map((k) => [k, new Map<string, number>()]));
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const word = list.word(i);
      const m = merged.get(lexiconKey(word));
      if (m) m.set(word, (m.get(word) ?? 0) + list.df[i]!);
    }
  }
  return wantedKeys.map((k) => lexiconList([...merged.get(k)!].filter(([, df]) => df >= 2).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))));
}

/** Completions of a prefix over segments: counts add up (the words before each too), the display form of the biggest count wins. */
export function mergeSuggestions(prefix: string, lists: SuggestEntry[][]): SuggestEntry[] {
  const merged = new Map<string, { display: string; best: number; count: number; before?: Map<string, number> }>();
  for (const list of lists) {
    for (const [norm, display, count, before] of list) {
      if (!norm.startsWith(prefix)) continue;
      let m = merged.get(norm);
      if (!m) merged.set(norm, (m = { display, best: count, count: 0 }));
      else if (count > m.best) {
        m.best = count;
        m.display = display;
      }
      m.count += count;
      for (const [b, n] of beforePairs(before)) (m.before ??= new Map()).set(b, (m.before.get(b) ?? 0) + n);
    }
  }
  return [...merged]
    .filter(([, m]) => m.count > 0)
    .map(([norm, m]): SuggestEntry => {
      const before = [...(m.before ?? [])].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      return before.length ? [norm, m.display, m.count, beforeText(before)] : [norm, m.display, m.count];
    })
    .sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
}

/** The lexicon key of a normalized word: first letter and length without a leading ال. */
export function lexiconKey(word: string): string {
  const bare = bareWord(word);
  return `${bare[0]}/${bare.length}`;
}
