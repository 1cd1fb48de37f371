import { normalize } from './normalize';

/**
 * Arabic function words ignored for matching (they still count inside quoted phrases).
 * Written as people spell them and normalized once at load, so the list and the text always
 * agree (arabic.md rule 7). Based on the kinds of words in Lucene's Arabic list: particles,
 * prepositions, pronouns, demonstratives, relatives, question words and auxiliaries, plus
 * question words written glued (ماهي, ماهو, ماسم for ما اسم) and a dangling article (ال), as
 * people type them.
 */
const RAW = `
من إلى الى إلي على علي عن في فى مع منذ حتى حين بين عند عبر نحو لدى لدي دون ضد خلال حول قبل بعد أمام امام
تحت فوق لدى عدة ضمن عليه عليها عليهم لها له لهم لهن منه منها منهم فيه فيها فيهم عنه عنها بها به بهم
و ف ثم أو او أم ام بل لكن ولكن لكنه لكنها إلا الا غير سوى
أن إن ان أنه انه أنها انها إنه إنها لأن لان كأن كي لكي لو لولا إذ إذا اذا إذن اذن لما كلما بينما حيث
ما ماذا لماذا متى متي أين اين كيف كم هل أي اي أية اية أيها ايها
لا لم لن ليس ليست قد لقد سوف
هو هي هم هن هما نحن أنا انا أنت انت أنتم انتم أنتن
هذا هذه هذان هاتان هؤلاء ذلك ذلكم تلك أولئك اولئك هناك هنا هنالك
الذي التي اللذان اللتان الذين اللاتي اللواتي اللائي
كان كانت كانوا يكون تكون يكن تكن كن أصبح اصبح أصبحت ظل صار ليسوا
كل كلا بعض جميع أيضا ايضا فقط مثل إلي وقد وفي ومن وعلى ولا وما وهو وهي وهذا وهذه وكان وكانت وأن وان وإن فإن فان
يا أما اما إما اما
ماهي ماهو ماهى ماهم مالذي ماالذي ماسم مااسم ال
`;

/** The stop list, normalized. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  RAW.split(/\s+/).filter(Boolean).map((w) => normalize(w)),
);

/** True when a normalized word is a stop word. */
export function isStopWord(normalizedWord: string): boolean {
  return STOP_WORDS.has(normalizedWord);
}
