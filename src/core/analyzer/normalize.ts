/** Normalization of a whole string: the tokenizer's folded words (fold.ts), joined by spaces. */
import { tokenize } from './tokenize';

/**
 * Normalizes a whole string (rules 1–6): its words, folded, joined by single spaces.
 * @example normalize('الطَّالِبُ فی ٢٠٢٣') // 'الطالب في 2023'
 */
export function normalize(text: string): string {
  return tokenize(text).map((t) => t.norm).join(' ');
}
