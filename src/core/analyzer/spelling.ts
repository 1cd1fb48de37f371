/**
 * Spellings of one word that readers and writers use interchangeably, for the query side:
 * the word as typed is also looked up as these respellings, and what they find counts as the
 * word itself (not as a typo).
 */
import { normalize } from './normalize';

/** Hamza and its seats: ء alone, on alef, on waw, on yeh. */
const SEATS = ['\u0621', '\u0623', '\u0624', '\u0626'];
/**
 * Seats a hamza is respelt on: not yeh, which folds to ي and meets other words (رؤوس read as
 * رئوس is ريوس, the footballer Reus). A query typed مسئول still finds مسؤول; one typed مسؤول
 * finds the Egyptian مسئول only as a typo.
 */
const TARGETS = ['\u0621', '\u0623', '\u0624'];
/** The letter after position `i`, harakat and tatweel skipped (مسؤُول). */
function nextLetter(chars: string[], i: number): string | undefined {
  for (let k = i + 1; k < chars.length; k++) if (normalize(chars[k]!) !== '') return chars[k];
  return undefined;
}

/** Respellings made per word at most (two hamzas give up to 15 combinations). */
const MAX_RESPELLINGS = 8;

/**
 * The word respelt with its hamza on each other seat, normalized, where the seat is a matter
 * of house style: before a waw. Egyptian print writes مسئول, شئون, رءوس, يقرءون where Levantine
 * and Gulf print write مسؤول, شؤون, رؤوس, يقرؤون (and some يقرأون), and both reach the
 * archive; the letter folds (ؤ → و, ئ → ي) keep them apart, so the query asks for each.
 * Elsewhere a hamza's seat is fixed by the vowels around it and a respelling folds onto
 * another word (ذئب → ذوب, سؤال → سيال), so it is left alone; so is a leading أ (an alef,
 * folded already) and a word typed without its hamza (مسوول: nothing says where one was).
 * @example hamzaRespellings('مسئول') // ['مسءول', 'مساول', 'مسوول']
 * @example hamzaRespellings('مسؤول') // ['مسءول', 'مساول']
 */
export function hamzaRespellings(word: string): string[] {
  // What it needs, looked for before the word is split: a seat after the first letter, and a waw.
  if (word.indexOf('\u0648') < 0 || !SEATS.some((seat) => word.indexOf(seat, 1) > 0)) return [];
  const chars = [...word];
  const at = chars.flatMap((c, i) => (i > 0 && SEATS.includes(c) && nextLetter(chars, i) === '\u0648' ? [i] : [])).slice(0, 2);
  if (at.length === 0) return [];
  const own = normalize(word);
  const out = new Set<string>();
  const fill = (k: number): void => {
    if (out.size >= MAX_RESPELLINGS) return;
    if (k === at.length) {
      const norm = normalize(chars.join(''));
      if (norm !== own && !norm.includes(' ')) out.add(norm);
      return;
    }
    const keep = chars[at[k]!]!;
    for (const seat of new Set([keep, ...TARGETS])) {
      chars[at[k]!] = seat;
      fill(k + 1);
    }
    chars[at[k]!] = keep;
  };
  fill(0);
  return [...out];
}
