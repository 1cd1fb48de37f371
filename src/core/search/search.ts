/**
 * The search pipeline, read top to bottom: (with `prefix`, the word being typed completed as
 * /suggest completes it, its next completions standing in for it) → Arabic typed on the Latin
 * layout read back, else Latin
 * names read in Arabic → plan (a news reader's frame read off; and the editor's
 * synonyms and rules the query triggers) → read the terms (and, for words that may be misspelt,
 * the typo lexicon) → spell → synonyms → match → (context typos → match) → hidden and boosted
 * results, filters and facets → top k (tiers) → phrases → re-rank the top on its text → pinned
 * results → hits and did-you-mean. Each stage is a function of values in its own module; every
 * read goes through the query's {@link QueryRun}, which batches it (steps.ts holds the steps).
 */
import { NO_SETTINGS, type EditorSettings } from '../settings/reader';
import type { Archive } from './archive';
import { editorPlan } from './editor';
import { readLayout, throughLatinLayout } from './layout';
import { readNames, withLatinSpellings } from './names/index';
import { DEFAULT_OPTIONS, type SearchOptions } from './options';
import { planQuery, relaxPhrases, type QueryPlan } from './plan';
import { parseQuery, stopWordsOf } from './query';
import { queryPieces } from './query-pieces';
import { isQuestion } from './question';
import { QueryRun } from './query-run';
import { ReadStats } from './source';
import { suggest } from './suggest';
import { normalize, stem } from '../analyzer/index';
import { hasSpelling } from '../format/layout';
import { compileSynonyms, withHouseStyles } from '../settings/synonyms';
import { browseWithout, contextTypos, matcherOf, matchWords, phrases, pin, readWords, rerankTop, respond, select } from './steps';
import type { SearchParams, SearchResult } from './types';

export type { Facets, Hit, SearchParams, SearchResult, SortOrder } from './types';

/**
 * Runs a search. A query whose quoted phrases (or quoted words) match nothing is run again with
 * their words as plain words, as a reader pasting a misremembered quote expects, and the
 * response says so (`relaxed: ["phrase"]`); one that still finds nothing, with its misspelt
 * words' best readings (`corrected`, `didYouMean`). `editorSettings` are the editor's synonyms
 * and rules; the archive's house styles join the synonyms.
 */
export async function search(index: Archive, params: SearchParams, stats = new ReadStats(), o: SearchOptions = DEFAULT_OPTIONS, editorSettings: EditorSettings = NO_SETTINGS): Promise<SearchResult> {
  const { prefix, ...whole } = params;
  const completed = prefix ? await completion(index, whole, stats, editorSettings, o.ranking.prefixCompletions) : undefined;
  if (completed) {
    // The other completions stand in for the likeliest, below it, as an editor's synonyms do
    // (by relevance only: newest first, their docs would come among the likeliest's).
    const also = completed.others.length && whole.sort === 'relevance' ? compileSynonyms([{ line: 0, kind: 'oneWay', from: [completed.word], to: completed.others }]) : undefined;
    const settings = also ? { ...editorSettings, synonyms: withHouseStyles(editorSettings.synonyms, also) } : editorSettings;
    const found = await searchAs(index, { ...whole, q: completed.q }, stats, prefixRanked(o, completed.q), settings, true, completed.typing);
    if (found.total > 0) return completed.q === params.q ? { ...found, query: params.q } : { ...found, query: params.q, completed: completed.q };
  }
  return searchAs(index, whole, stats, o, editorSettings, true);
}

/** The options a completed query is searched with: the prefix ranking's weights, unless it is a question (RankingOptions.prefix). */
function prefixRanked(o: SearchOptions, q: string): SearchOptions {
  const weights = o.ranking.prefix;
  return weights && !isQuestion(q) ? { ...o, ranking: { ...o.ranking, ...weights } } : o;
}

/**
 * The last word is one /suggest can complete: no quoted phrase in the query (its words are
 * searched in order, as typed), not excluded (`-`, `NOT` before it), no operator (`OR`), and
 * no space after it. Its keys may be punctuation: on the Latin layout `,` types و and `[` ج
 * (`f,jd` for بوتي).
 */
function completable(q: string): boolean {
  const last = queryPieces(q).at(-1);
  return !/["«»“”]/.test(q) && last !== undefined && last.end === q.length && !last.excluded && !last.operator && /[\p{L}\p{N}]/u.test(q.slice(last.start, last.end));
}

/**
 * The query with its last word completed, as /suggest's first completion writes it (its
 * readings of a typo and of a keyboard layout included), and the last words of the next
 * `count` − 1 completions: a search box that searches as the reader types shows the hits of
 * the query the reader is likeliest typing, not of a word's first letters (`وزير الخا`,
 * searched as typed, is read as the typo الخاص), and the docs of the other completions below
 * them (the word the reader types is the first completion about half the time). On headlines
 * typed up to the third letter of their second word, the article is first for 49 % of them
 * against 9 % as typed (docs/relevance.md, "Headlines as the reader types"). Undefined when the
 * last word cannot be completed ({@link completable}), nothing completes it, or it completes to
 * itself alone.
 */
async function completion(index: Archive, params: SearchParams, stats: ReadStats, editorSettings: EditorSettings, count: number): Promise<{ q: string; word: string; others: string[]; typing?: QueryPlan['typing'] } | undefined> {
  if (params.correct === false || !completable(params.q)) return undefined;
  const texts = (await suggest(index, params.q, Math.max(1, Math.min(10, count)), stats, { titles: false }, editorSettings.synonyms)).completions.map((c) => c.text.trim());
  const text = texts[0];
  if (!text || (text === params.q && texts.length === 1)) return undefined;
  const lastWord = (t: string) => t.split(/\s+/).at(-1)!;
  const out = { q: text, word: lastWord(text), others: texts.slice(1).map(lastWord) };
  const letters = normalize(lastWord(params.q));
  // A continuation of the letters typed: they also match, in the texts re-ranked, any word they
  // begin (one the completions missed: وزير الت for وزير التجارة when التونسية comes first).
  if (normalize(text).startsWith(normalize(params.q))) return { ...out, typing: { letters, term: stem(normalize(out.word)) } };
  // Not a continuation of the letters typed: a reading of a typo in them (بويت → بوتين), or of
  // a keyboard layout. /suggest weighs a word by the titles that hold it; a word some article
  // holds as typed is searched as typed, as /search leaves such a word (فلاديميير, in one
  // article's body, is not read as فلاديمير).
  const last = parseQuery(params.q).words.at(-1);
  if (!last?.stems[0]) return out;
  const term = (await index.loadTerms([last.stems[0]], stats)).get(last.stems[0]);
  return hasSpelling(term?.spellings, last.norm) ? undefined : out;
}

/**
 * {@link search}; `layouts`: a query may be read through the other keyboard layout (the query
 * read so is searched with it false: one reading, never a reading of a reading, so a query that
 * finds nothing for its filters is not read back and forth).
 */
async function searchAs(index: Archive, params: SearchParams, stats: ReadStats, o: SearchOptions, editorSettings: EditorSettings, layouts: boolean, typing?: QueryPlan['typing']): Promise<SearchResult> {
  // The archive's house styles (ترامب, ترمب) are searched as the editor's synonyms are.
  const synonyms = o.ranking.houseStyleWeight > 0 ? index.synonymsWith(editorSettings.synonyms) : editorSettings.synonyms;
  const settings = synonyms === editorSettings.synonyms ? editorSettings : { ...editorSettings, synonyms };
  // Arabic typed on the Latin layout (f,jdk for بوتين) is searched as the Arabic; else a Latin
  // name as the archive writes it in Arabic (neither with correct=false: as typed).
  stats.start('load');
  const layout = params.correct === false || !layouts ? undefined : await readLayout(index, params.q, stats);
  if (layout) {
    stats.end('load');
    const read = await searchAs(index, { ...params, q: layout.q }, stats, o, editorSettings, false);
    // The hits are the Arabic's, or those of its own correction (a typo in it): that is what
    // didYouMean names. A reading only offered for it is not what was searched.
    return { ...read, query: params.q, didYouMean: read.corrected ? read.didYouMean : layout.q, corrected: true };
  }
  const named = params.correct === false ? undefined : await readNames(index, params.q, settings.synonyms, stats, o);
  stats.end('load');
  const planned = named ? planQuery({ ...params, q: named.q }, withLatinSpellings(parseQuery(named.q), named)) : planQuery(params);
  const plan = typing && !named ? { ...planned, typing } : planned;
  const editor = editorPlan(plan, params.q, named, settings, o);
  const first = new QueryRun(index, plan, editor, stats, o);
  // Nothing asked but what to leave out: the newest articles without it.
  const q0 = plan.query;
  if (q0.words.length === 0 && q0.phrases.length === 0 && (q0.excluded.length > 0 || q0.excludedPhrases.length > 0)) return browseWithout(first);
  let result = await run(first);
  let tried = plan;
  let lexiconKeys = first.lexiconKeys;
  if (result.total === 0 && plan.query.required.length > 0) {
    tried = relaxPhrases(plan);
    const relaxed = new QueryRun(index, tried, editor, stats, o);
    const loose = await run(relaxed);
    lexiconKeys += relaxed.lexiconKeys;
    if (loose.total > 0) result = phraseRelaxed(loose);
  }
  if (result.total === 0 && plan.correct && lexiconKeys > 0) {
    // Nothing found as typed: each word the spelling model reads is searched as its best
    // reading, however much likelier the model found the word as typed (خامكئي, which no
    // article holds, as خامنئي): any reading within the edit limits beats no answer. The
    // words looked up in the typo lexicon do not depend on the model's margins, and readings
    // come only from its lists: when no pass asked for one, this pass would find nothing
    // either (a query of emoji, digits and Latin gibberish), and is not run.
    const read = await run(new QueryRun(index, tried, editor, stats, readingsAnyway(o)));
    if (read.total > 0) result = tried === plan ? read : phraseRelaxed(read);
  }
  if (result.total === 0 && plan.correct && !named && layouts && plan.query.words.length > 0) {
    // Still nothing, for words that are not all stop words: a Latin word typed with the keyboard
    // on its Arabic layout (هحاخىث for iphone) is searched as the Latin, read as the archive
    // writes it (names/).
    const latin = throughLatinLayout(params.q);
    const read = latin === undefined ? undefined : await searchAs(index, { ...params, q: latin }, stats, o, editorSettings, false);
    if (read && read.total > 0) return { ...read, query: params.q, didYouMean: read.corrected ? read.didYouMean : latin, corrected: true };
  }
  if (named?.capped) result = { ...result, capped: [...new Set([...(result.capped ?? []), 'names'])] };
  // Nothing to search but stop words (من هو، في): the answer says so, not a silent nothing.
  const q = plan.query;
  if (result.total === 0 && q.words.length === 0 && q.excluded.length === 0 && q.excludedPhrases.length === 0) {
    const ignored = stopWordsOf(params.q);
    if (ignored.length > 0) result = { ...result, ignored };
  }
  return named ? { ...result, query: params.q } : result;
}

/** A result found with the quoted phrases searched as words: it says so (`relaxed`), before what else was relaxed. */
function phraseRelaxed(result: SearchResult): SearchResult {
  return { ...result, relaxed: ['phrase', ...(result.relaxed ?? [])] };
}

/** The options with the spelling model's margins lowered to nothing: its best reading replaces each word it reads. */
function readingsAnyway(o: SearchOptions): SearchOptions {
  return { ...o, spelling: { ...o.spelling, model: { ...o.spelling.model, replace: -Infinity, offer: -Infinity } } };
}

/** One pass of the pipeline over a plan. */
async function run(r: QueryRun): Promise<SearchResult> {
  const read = await r.timed('load', () => readWords(r));
  const first = await r.timed('match', () => matchWords(r, read));
  const { words, found } = await contextTypos(r, read, first);
  const matcher = matcherOf(words, r.plan.typing);
  const chosen = await select(r, words, found);
  const selected = await r.timed('phrases', () => phrases(r, chosen, matcher));
  const { ranked, texts } = await rerankTop(r, words, selected, matcher);
  const page = pin(r, selected, ranked);
  return respond(r, words, page, texts, matcher);
}
