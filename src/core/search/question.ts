/**
 * Whether a query is a question («ما عاصمة سويسرا؟», «متى ولد خاشقجي», «في أي عام تأسست
 * الجامعة»), not a list of words to find (a headline's first words, a name). A question asks for
 * the passage that answers it: the head model's trees order a question's head when they are
 * fitted for questions only (HeadModel.questionsOnly; docs/ranking.md, item 5 of the ranking).
 *
 * A query is a question when it holds a question mark (Arabic ؟ or Latin ?), or when it opens
 * with an interrogative (ما، ماذا، متى، أين، كم، كيف، لماذا، هل، أي …, with و or ف before it,
 * or after a preposition: في أي، إلى متى، منذ متى، من أين), or with من before a pronoun or a
 * relative (من هو، من الذي), or with a request to name or give (اذكر، أعط). Written Arabic
 * marks questions by these words; the list is the language's, not any query's.
 */
import { normalize, tokenize } from '../analyzer/index';

const words = (xs: string[]) => new Set(xs.map(normalize));

/** Interrogatives that open a question (normalized: hamza seats folded, ى as ي). */
const INTERROGATIVES = words([
  'ما', 'ماذا', 'ماهو', 'ماهي', 'مالذي', 'منهو', 'منهي', 'متى', 'أين', 'كم', 'بكم', 'كيف', 'لماذا', 'لم', 'هل', 'أي', 'أية', 'لمن', 'مما', 'ممن', 'عما', 'عمن', 'بما', 'بمن', 'فيم', 'علام', 'إلام', 'اذكر', 'أعط',
]);

/**
 * من opens a question («من هو», «من الذي») as often as a headline («من القاهرة إلى دبي»): it
 * asks only before a pronoun or a relative, or with a question mark.
 */
const WHO_BEFORE = words(['هو', 'هي', 'هم', 'هن', 'الذي', 'التي', 'الذين', 'اللذان', 'اللتان', 'اللواتي', 'اللاتي', 'يكون', 'تكون', 'كان', 'كانت']);

/** Words a question may open with before its interrogative: في أي عام، إلى متى، منذ متى، من أين. */
const BEFORE = words(['في', 'إلى', 'الى', 'على', 'عن', 'من', 'منذ', 'حتى', 'مع', 'ل', 'ب']);

const WHO = words(['من']);

/** Interrogatives that may follow such a word. */
const AFTER = words(['أي', 'أية', 'متى', 'أين', 'ماذا', 'من', 'كم', 'ما']);

/** The query's first words as the analyzer reads them (normalized), numbers left out. */
function leadingWords(q: string, n: number): string[] {
  return tokenize(q, n + 4).map((t) => t.norm).filter((w) => /\p{L}/u.test(w)).slice(0, n);
}

/** A word or the same word after the conjunction و or ف (وما، فهل). */
function isIn(set: ReadonlySet<string>, w: string | undefined): boolean {
  if (w === undefined) return false;
  return set.has(w) || (w.length > 2 && (w[0] === 'و' || w[0] === 'ف') && set.has(w.slice(1)));
}

export function isQuestion(q: string): boolean {
  if (/[؟?]/.test(q)) return true;
  const [first, second] = leadingWords(q, 2);
  return isIn(INTERROGATIVES, first) || (isIn(WHO, first) && isIn(WHO_BEFORE, second)) || (isIn(BEFORE, first) && isIn(AFTER, second));
}
