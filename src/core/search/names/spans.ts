/**
 * Which words of a query are Latin names, and how each may be written in Arabic words: a word
 * alone, the article written apart before it (al-Sisi, el nasser) or glued to it (essebsi),
 * عبد and the article glued to the name after it (abdelaziz, abdel fattah), الله glued to the
 * word before it (Nasrallah), and a compound name's head (Abu Dhabi) tried apart and as one.
 */
import { queryTokens, type QueryToken } from '../../settings/match';
import type { SynonymTable } from '../../settings/synonyms';
import { synonymSpans } from '../synonyms';
import { latinLetters, piecesOf, readable, type Pieces } from './letters';

/** One word of a Latin name: its pieces and whether an article (al-, el-) comes before it. */
export interface NamePart {
  letters: string;
  pieces: Pieces;
  article: boolean;
  /** Cost added to its readings: the doubt of reading it so (an article glued to the name: essebsi). */
  doubt: number;
}

/** A span of the query read as one or more Arabic words (3abd el nasser is two spans: 3abd, el nasser). */
export interface LatinName {
  /** The query's text it replaces. */
  start: number;
  end: number;
  text: string;
  /**
   * Ways to read it, each as Arabic words: abdelaziz is two (عبد, العزيز); Abu Dhabi is two
   * (أبو, ظبي) or one (أبوظبي), as Arabic writes such names both ways.
   */
  variants: NamePart[][];
  /** The normalized word as typed (its term: a Latin word's stem is itself). */
  typed: string;
}

/** Latin words that never name anyone on their own. */
const FUNCTION_WORDS = new Set(['the', 'of', 'and', 'in', 'on', 'for', 'to', 'with', 'from', 'by', 'is', 'et', 'les', 'des', 'du']);
/** The article as Latin writes it apart (al-Sisi, el nasser). */
const ARTICLES = new Set(['al', 'el', 'il', 'ul']);
/** The article assimilated to a sun letter (ash-Sham, ar-Riyadh, as-Sisi): its consonant doubles the next word's first. */
const SUN_ARTICLES = /^(?:a|e)(t|th|d|dh|r|z|s|sh|n)$/;
/** First words of compound names (أبو, بن) as Latin writes them: the name is also tried as one word. */
const COMPOUND_HEADS = /^(?:abu|abou|abo|bou|bu|bin|ben|ibn)$/;
/** The article glued to a name, plain (elsisi, aljazeera) or assimilated (essebsi, ennahda: the consonant doubled). */
const GLUED_ARTICLE = /^(?:[ae]l(?=[a-z]{3})|[ae](?=(sh|th|dh|[tdrzsn])\1[a-z]{2}))/;
/** الله glued to the word before it (Nasrallah, Hezbollah). */
const GLUED_ALLAH = /^([a-z]{3,}?)[aeiou]?ll?ah?$/;

/** The Latin spans of a query the model reads, those a synonym entry covers left out. */
export function latinNames(q: string, synonyms: SynonymTable): LatinName[] {
  if (!/[A-Za-z\u00c0-\u024f]/.test(q)) return [];
  const tokens = queryTokens(q);
  const covered = new Set<number>();
  for (const [from, to] of synonymSpans(tokens, synonyms)) for (let i = from; i < to; i++) covered.add(i);
  const out: LatinName[] = [];
  const isLatin = (t: QueryToken | undefined, i: number) => t !== undefined && !covered.has(i) && readable(t.norm) && !FUNCTION_WORDS.has(latinLetters(t.norm));
  const span = (from: QueryToken, to: QueryToken, variants: NamePart[][], typed: string): LatinName => ({ start: from.start, end: to.end, text: q.slice(from.start, to.end), variants, typed });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isLatin(t, i)) continue;
    const letters = latinLetters(t.norm);
    const next = tokens[i + 1];
    const nextLetters = next && isLatin(next, i + 1) ? latinLetters(next.norm) : '';
    const sun = SUN_ARTICLES.exec(letters);
    if (nextLetters.length >= 2 && (ARTICLES.has(letters) || (sun && nextLetters.startsWith(sun[1]!)))) {
      // The article and the word after it: one Arabic word, ال and all.
      out.push(span(t, next!, [[part(nextLetters, true)]], next!.norm));
      i++;
      continue;
    }
    if (ARTICLES.has(letters) || letters.length < 2) continue;
    // عبد and the article glued to the name after it (abdelaziz, abdel fattah, abdullah).
    const abd = /^abd[aeiou]?l([a-z]*)$/.exec(letters);
    if (abd && letters.length > 4) {
      const rest = abd[1]!;
      if (rest.length >= 2) out.push(span(t, t, [[part('abd', false), part(rest, true)]], t.norm));
      else if (nextLetters.length >= 2) {
        out.push(span(t, next!, [[part('abd', false), part(nextLetters, true)]], t.norm));
        i++;
      }
      continue;
    }
    if (COMPOUND_HEADS.test(letters) && nextLetters.length >= 2 && !ARTICLES.has(nextLetters)) {
      out.push(span(t, next!, [[part(letters, false), part(nextLetters, false)], [part(letters + nextLetters, false)]], t.norm));
      i++;
      continue;
    }
    const variants = [[part(letters, false)]];
    const glued = GLUED_ARTICLE.exec(letters);
    if (glued) variants.push([part(letters.slice(glued[0].length), true, 0.5)]);
    const allah = GLUED_ALLAH.exec(letters);
    if (allah) variants.push([part(allah[1]!, false), part('lah', true)]);
    out.push(span(t, t, variants, t.norm));
  }
  return out;
}

function part(letters: string, article: boolean, doubt = 0): NamePart {
  return { letters, pieces: piecesOf(letters), article, doubt };
}
