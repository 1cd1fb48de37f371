/**
 * The pipeline's steps (search.ts calls them in order). Each takes the query's reads
 * ({@link QueryRun}) and the values earlier steps returned, and returns its own; the stages
 * they call (spell, match, facets, order, tiers, phrases, rerank, hits) read nothing.
 */
import { ALT_MARK, isLexiconWord } from '../analyzer/index';
import { hasSpelling } from '../format/layout';
import { ARTICLE_CHARS } from './budget';
import { editorGroups, editorPlanFor } from './editor';
import { addFacets, facetsAndFilters, facetsOf, listNewest, unknownFilters } from './facets';
import { dayRange } from './days';
import { didYouMean, hitsIn, toHit } from './hits';
import { filtersOf, heldMask, match, namingWords, NearLists, nearMissesOf, strays, TITLE_ALL, TITLE_NAMED, withMostWords, wordUnits, type Matched, type MatchFilters } from './match';
import { HEAD_MIN_WORDS, hasTrees, headWords, reorderHead, SHARE_FEATURES, type HeadFeature, type HeadModel } from './head-model';
import { Matcher } from './matcher';
import { isQuestion } from './question';
import { best, orderOf } from './order';
import { checkPhrases } from './phrases';
import type { QueryPlan } from './plan';
import type { QueryRun } from './query-run';
import { activeFeatures, FEATURES, heldWords, rerank, rerankQuery, type RerankFeature, type RerankQuery, type RerankText } from './rerank';
import { hideAndBoost, pinResults } from './rules';
import { correctionTerms, correctTypos, lexiconLookups, replaceWords, settleCorrections } from './spell';
import { contextCorrections, contextLookups, contextReadings, fitReserves, weighReadings } from './spell-context';
import { matcherGroups } from './synonyms';
import { groupsOf, type Loaded } from './terms';
import { restBounds, topIsFinal, wholeFor } from './tiers';
import { outsiders, skipIsFinal, wordToSkip, type Skipped } from './word-skip';
import type { Candidates, Correction, Facets, NearMisses, Ranked, SearchResult, TermGroups } from './types';

/** What the query's words are searched as: their terms, and the typos corrected. */
export interface Words {
  groups: TermGroups;
  corrections: Correction[];
}

/**
 * Reads the plan's terms, corrects typos against the lexicon, reads the corrections' terms,
 * and adds the editor's synonyms and the names' other readings to the words.
 */
export async function readWords(r: QueryRun): Promise<Words> {
  const { index, plan, o } = r;
  await r.readPlanTerms();
  const lookups = lexiconLookups(plan, r.loaded, o.spelling, o.caps.typoWords, r.room);
  if (lookups.capped) r.capped.add('typo-words');
  const lexicon = await r.lexicon(lookups.keys);
  const spelled = correctTypos(plan, groupsOf(plan, r.loaded, index.docCount, o.ranking), r.loaded, lexicon, index.docCount, o);
  // Readings in reserve (for the other words to weigh) are read as the budget allows.
  const { corrections, cut } = fitReserves(spelled.corrections, r.loaded, index.termChars, r.room);
  if (spelled.capped || cut) r.capped.add('typo-candidates');
  // A word the model replaces is searched as its reading typed right (the plan takes it in the
  // word's place), its other readings beside it.
  const replaced = new Set(corrections.filter((c) => c.mode === 'auto').map((c) => c.word));
  if (replaced.size > 0) r.plan = replaceWords(plan, corrections);
  await r.readTerms([...new Set([...correctionTerms(spelled.groups, corrections, r.loaded), ...r.plan.terms.filter((t) => !r.loaded.has(t))])]);
  // A corrected query is not answered from tiers A (tiers.ts): its big terms are read whole.
  if (corrections.length > 0) await r.readRest();
  // The readings weighed by the other words may put another first: it takes the word's place.
  const weighed = weighReadings(spelled.groups, corrections, r.loaded, index.docCount, o);
  if ([...weighed.moved].some((wi) => replaced.has(wi))) {
    r.plan = replaceWords(plan, weighed.corrections);
    await r.readTerms(r.plan.terms.filter((t) => !r.loaded.has(t)));
    await r.readRest();
  }
  let groups = weighed.groups;
  if (replaced.size > 0) {
    const asRead = groupsOf(r.plan, r.loaded, index.docCount, o.ranking);
    groups = groups.map((g, wi) => (replaced.has(wi) ? [...asRead[wi]!, ...g.filter((t) => t.kind === 'typo')] : g));
  }
  const settled = settleCorrections(groups, r.loaded, weighed.corrections);
  // The synonyms, and a name's other readings, join the words they stand for: a replaced word's
  // those of its reading, as if typed right.
  const editor = replaced.size > 0 ? editorPlanFor(r.editor, plan, r.plan) : r.editor;
  if (editor !== r.editor) await r.readTerms(editor.synonyms.terms.filter((t) => !r.loaded.has(t)));
  const edited = editorGroups(editor, settled, r.plan.query.words, r.loaded, index.docCount, o);
  for (const [key, term] of edited.made) r.loaded.set(key, term);
  return { groups: edited.groups, corrections: edited.corrections };
}

/**
 * A query of exclusions alone (`-الصين`, `NOT "شي جين بينغ"`, stop words beside them): no word
 * to rank by, so the newest articles without them, within the filters, as `/articles` lists them
 * (newest first, score 0, the facets over every article listed) and not a silent nothing. An
 * excluded word leaves out what it would find searched (its readings and other spellings).
 */
export async function browseWithout(r: QueryRun): Promise<SearchResult> {
  const { index, plan, o } = r;
  const { params } = plan;
  const words = await r.timed('load', () => readWords(r));
  const filters = filtersOf(index, plan, r.loaded, words.corrections, words.groups, o, r.editor.synonyms.excluded);
  const listed = await r.timed('match', () =>
    listNewest(index, { offset: params.offset, limit: params.limit, days: dayRange(params.from, params.to), source: params.source, category: params.category, tag: params.tag, facets: params.facets, without: filters.excluded }, r.stats),
  );
  const matcher = matcherOf(words);
  const hits = await r.timed('snippets', async () => {
    await r.readArticles(listed.docs);
    return listed.docs.map((doc) => toHit(index, { doc, score: 0, exact: 1 }, r.articles.get(doc)!, matcher));
  });
  const without = [...plan.query.excluded.map((w) => w.text), ...plan.query.excludedPhrases.map((p) => p.map((w) => w.text).join(' '))];
  const result: SearchResult = { query: params.q, total: listed.total, offset: params.offset, limit: params.limit, sort: 'date', hits, without, index: index.version };
  if (listed.facets) result.facets = listed.facets;
  const unknown = unknownFilters(index, params);
  if (unknown) result.unmatchedFilters = unknown;
  if (r.capped.size) result.capped = [...r.capped];
  return result;
}

/** The matched docs, the filters they passed, and the near misses of a stray word. */
export interface Found {
  matched: Matched;
  filters: MatchFilters;
  near: NearMisses;
}

function matchNow(r: QueryRun, words: Words, filters: MatchFilters, near?: NearLists, skip = 0): Matched {
  // A search by date keeps the docs with the most words (withMostWords): it needs their word masks.
  return match(r.index, words.groups, r.loaded, filters, r.plan.params.recency, r.o, near, r.partial || r.plan.params.sort === 'date', skip);
}

/**
 * Scores the docs holding any of the words. A real word typed for another (الجزار for
 * الجزائر) shows as the one word no document holds with all the others: its near misses
 * are kept for the context step.
 */
export async function matchWords(r: QueryRun, words: Words): Promise<Found> {
  const { index, plan, o } = r;
  const filters = filtersOf(index, plan, r.loaded, words.corrections, words.groups, o, r.editor.synonyms.excluded);
  const q = plan.query;
  const asked = words.groups.length >= 2 && plan.correct && q.required.length === 0 && q.phrases.length === 0;
  // The near misses are noted as the words are matched, for when the words do not meet.
  const nearLists = () => (asked ? new NearLists(words.groups.length, o.caps.nearMissDocs) : undefined);
  // A common word may be scored on the other words' docs only (word-skip.ts; select checks the page).
  // With big terms' tiers B unread, the page is proved twice: by the skip's bound, raised by
  // what the other words' tiers B can add to a doc outside the gate, then by the tiers' (select).
  const skip = wordToSkip(index, plan, words.groups, r.loaded, o, r.editor.rules.triggered.rules.length > 0);
  let matched = matchNow(r, words, filters, nearLists(), skip);
  const strayOf = () => (asked ? strays(words.groups, r.loaded, matched.whole, o) : undefined);
  let stray = strayOf();
  if (stray && r.partial) {
    // Which docs hold every word is a question for whole postings.
    await r.readRest();
    matched = matchNow(r, words, filters, nearLists());
    stray = strayOf();
  }
  // Words that meet may still meet only through a form the reader did not type: a word no
  // document holds as typed (طيرين), matched by a stem other forms share (طير, of طيران).
  // Its near misses stand as its context, as a stray word's do.
  const formless = asked && !stray ? formlessWords(r, words) : [];
  if (matched.skipped && (stray || formless.length > 0)) {
    // Near misses are wanted: docs holding the skipped word without the others count too.
    // (The docs holding every word are all inside the skip's gate: `stray` is as without it.)
    matched = matchNow(r, words, filters, nearLists());
  }
  return { matched, filters, near: nearMissesOf(matched, words.groups.length, stray ?? [], stray ? undefined : formless) };
}

/**
 * The plan's words the archive holds in other forms but never as typed (and not corrected
 * already); only words whose spellings the index keeps (lexicon words) can be told so.
 */
function formlessWords(r: QueryRun, words: Words): number[] {
  return r.plan.query.words.flatMap((w, wi) => {
    if (!isLexiconWord(w.norm) || words.corrections.some((c) => c.word === wi)) return [];
    const own = r.loaded.get(w.stems[0]!);
    if (!own || own.df === 0 || hasSpelling(own.spellings, w.norm)) return [];
    return w.respellings.some((x) => (r.loaded.get(x)?.df ?? 0) > 0) ? [] : [wi];
  });
}

/** Reads a stray word as the known word its context suggests, and matches again if it is one. */
export async function contextTypos(r: QueryRun, words: Words, found: Found): Promise<{ words: Words; found: Found }> {
  const { plan, o } = r;
  const context = contextLookups(plan.query.words, found.near, words.corrections, o, r.room);
  if (context.cut) r.capped.add('typo-words');
  if (context.suspects.length === 0) return { words, found };
  const readings = await r.timed('load', async () => {
    const got = contextReadings(plan.query.words, words.groups, r.loaded, await r.lexicon(context.lookups), context.suspects, r.index.docCount, o);
    if (got.capped) r.capped.add('typo-candidates');
    await r.readTerms(got.terms);
    return got;
  });
  const fixed = contextCorrections(words.groups, r.loaded, found.near, readings, o);
  if (fixed.corrections.length === 0) return { words, found };
  const next = { groups: fixed.groups, corrections: [...words.corrections, ...fixed.corrections] };
  const filters = { ...found.filters, naming: namingWords(next.groups.length, next.corrections) };
  return { words: next, found: { ...found, filters, matched: await r.timed('match', () => matchNow(r, next, filters)) } };
}

/** The docs that passed the attribute filters, their facets, and the ranked top. */
export interface Selection {
  cands: Candidates;
  facets?: Facets;
  total: number;
  /** Best first, as many as the page and the re-ranking need. */
  ranked: Ranked[];
  /** Counts cover only the postings read (tiers A). */
  partial: boolean;
  /** By date, no doc holds every word: the docs listed hold the most of them (`relaxed: ["words"]`). */
  fewerWords: boolean;
  /** `total` and the facets are estimates: a quoted phrase was checked in some of the candidates only. */
  estimated?: boolean;
  rerank: { query: RerankQuery; features: RerankFeature[]; depth: number };
  /** The filters the docs were matched with (the head model matches its docs again with them). */
  filters: MatchFilters;
}

/** Applies the attribute filters, counts facets, and keeps the best k in the asked order. */
export async function select(r: QueryRun, words: Words, found: Found): Promise<Selection> {
  const { plan, o } = r;
  const { params, query } = plan;
  // By date, the docs holding the most of the words (every word, when some doc holds them all).
  // A word of one letter is none of them: a proclitic written apart (بـ"اللذيذة", لـ), or an
  // initial (أ ف ب), not a word the reader asks every article to hold.
  let fewerWords = false;
  if (params.sort === 'date') {
    const letters = query.words.reduce((m, w, i) => ([...w.norm].length === 1 ? m | (1 << i) : m), 0);
    const most = withMostWords(found.matched, wordUnits(heldMask(words.groups, r.loaded) & ~letters, query.either));
    found = { ...found, matched: most.matched };
    fewerWords = !most.every;
  }
  // The editor's hides and boosts act on every match, then the reader's filters and facets.
  const filtered = () => r.timed('filter', () => {
    const ruled = hideAndBoost(r.index, found.matched.cands, words.groups, r.loaded, r.editor.rules, r.ruleDocs, params.sort);
    for (const id of ruled.applied) r.rulesApplied.add(id);
    return facetsAndFilters(r.index, ruled.cands, words.groups, r.loaded, params, found.matched.skipped?.words);
  });
  let { cands, facets } = await filtered();
  const rq = rerankQuery(query, params.sort, found.matched.wordIdf, o.ranking, words.corrections);
  const features = params.sort === 'relevance' && query.phrases.length === 0 ? activeFeatures(rq, o.ranking) : [];
  const depth = features.length > 0 ? o.ranking.rerankDepth : 0;
  // Room for the pinned docs, which may be among the best and leave them.
  const k = Math.max(params.offset + params.limit + r.editor.rules.triggered.pins.length, depth);
  let ranked = await r.timed('rank', () => best(cands, k, orderOf(cands, params.sort)));
  let partial = false;
  // What tiers B left unread can add (the same for the skip's bound and the tiers' own).
  const unread = r.partial ? restBounds(r.index, words.groups, r.loaded) : undefined;
  // A page found with a word skipped is proved against what a doc outside the gate can score;
  // if it is not, the query is matched again with every word on every doc.
  const proveSkip = async (): Promise<void> => {
    const skipped = found.matched.skipped;
    if (!skipped) return;
    // A doc outside the gate (no tier-A posting of the other words) may hold them in tiers B.
    let bound = skipped.bound;
    if (r.partial) unread!.ceilings.forEach((c, w) => { if ((skipped.words & (1 << w)) === 0) bound += c * skipped.factor; });
    if (skipIsFinal(ranked, k, bound)) {
      partial = true;
      return;
    }
    const rescued = r.partial ? undefined : await r.timed('match', () => rescueSkip(r, words, found, ranked, k, skipped));
    if (rescued) {
      ranked = rescued;
      partial = true;
      return;
    }
    found = { ...found, matched: await r.timed('match', () => matchNow(r, words, found.filters)) };
    ({ cands, facets } = await filtered());
    ranked = await r.timed('rank', () => best(cands, k, orderOf(cands, params.sort)));
  };
  await proveSkip();
  if (unread) {
    if (topIsFinal(found.matched, ranked, k, unread, params.recency)) {
      // The page is these docs whatever tiers B hold: their articles (read for snippets
      // anyway) complete their scores.
      ranked = await r.timed('rank', async () => {
        const docs = ranked.map((c) => c.doc);
        await r.readArticles(docs);
        const whole = match(r.index, words.groups, wholeFor(r.loaded, docs, r.articles), found.filters, params.recency, o).cands;
        return best(whole, k, orderOf(whole, params.sort));
      });
      partial = true;
    } else {
      // Matched again on every tier, the common word skipped again where it can be (the
      // counts are then exact unless the skip is proved anew).
      await r.timed('load', () => r.readRest());
      partial = false;
      const skip = wordToSkip(r.index, plan, words.groups, r.loaded, o, r.editor.rules.triggered.rules.length > 0);
      found = { ...found, matched: await r.timed('match', () => matchNow(r, words, found.filters, undefined, skip)) };
      ({ cands, facets } = await filtered());
      ranked = await r.timed('rank', () => best(cands, k, orderOf(cands, params.sort)));
      await proveSkip();
    }
  }
  return { cands, facets, total: cands.count, ranked, partial, fewerWords, rerank: { query: rq, features, depth }, filters: found.filters };
}

/**
 * A page found with words skipped that failed its proof, completed without matching again: the
 * docs outside the gate that might pass it (word-skip.ts `outsiders`) are scored with every word,
 * with the page's own docs, and the best `k` of them kept: the page whole matching would give
 * (the gate's other docs score below its last; the outsiders left out sum below what it needs).
 * Undefined when the page is not full of exact matches or too many postings might pass.
 */
function rescueSkip(r: QueryRun, words: Words, found: Found, ranked: Ranked[], k: number, skipped: Skipped): Ranked[] | undefined {
  const { o, plan } = r;
  const params = plan.params;
  if (o.caps.skipRescue <= 0 || k <= 0 || ranked.length < k || ranked.some((x) => x.exact === 0)) return undefined;
  // A skipped doc's score is its raw sum times at most `factor`; a hair below, for the sums' rounding.
  const need = (ranked[k - 1]!.score / skipped.factor) * (1 - 1e-6);
  const docs = outsiders(r.index, words.groups, r.loaded, skipped.words, need, o, o.caps.skipRescue);
  if (!docs) return undefined;
  // The outsiders come from the skipped words' postings, whose codes the page's filters did not learn.
  if (params.source?.length || params.category?.length) r.index.learnAttributes(words.groups.flatMap((g) => g.map((t) => r.loaded.get(t.term))));
  const restricted = wholeFor(r.loaded, [...docs, ...ranked.map((x) => x.doc)], r.articles);
  const cands = facetsAndFilters(r.index, match(r.index, words.groups, restricted, found.filters, params.recency, o).cands, words.groups, restricted, { ...params, facets: false }).cands;
  return best(cands, k, orderOf(cands, params.sort));
}

/**
 * Keeps the candidates whose text holds the quoted phrases, checked in the asked order: as many
 * texts as the budget holds, the page's at least, up to `caps.phraseCheck`; then, while the page
 * asked for lies deeper than the docs found so far and some were found, more of them, as many as
 * the rate found says the page needs, while the work budget lasts. When candidates are left
 * unchecked (`capped: ["phrase-candidates"]`), `total` and the facets are estimates
 * (`estimated`): the docs found, and the unchecked candidates at the rate a sample of them, read
 * with the first texts, holds the phrases (the best candidates hold them more often than the rest:
 * their rate made 1.9 times the count, docs/ranking.md).
 */
export async function phrases(r: QueryRun, sel: Selection, matcher: Matcher): Promise<Selection> {
  const { plan, o } = r;
  if (plan.query.phrases.length === 0) return sel;
  const { offset, limit, sort } = plan.params;
  const want = offset + limit;
  const { count } = sel.cands;
  const order = orderOf(sel.cands, sort);
  const found: Ranked[] = [];
  const read = new Set<number>();
  const texts = () => Math.floor(r.room / ARTICLE_CHARS);
  let checked = 0;
  let next = Math.min(count, o.caps.phraseCheck, Math.max(want, texts()));
  // The sample the estimate is made from, checked with the first texts (one read).
  let sample: (Ranked & { at: number })[] = [];
  let sampleFound = new Set<number>();
  while (next > checked) {
    const batch = best(sel.cands, next, order).slice(checked);
    for (const c of batch) read.add(c.doc);
    if (checked === 0 && next < count) sample = phraseSample(sel.cands, read, Math.min(PHRASE_SAMPLE, texts() - next));
    const asked = checked === 0 ? [...batch, ...sample] : batch;
    const passed = await checkPhrases(r.index, asked, plan.query, matcher, r.stats);
    // (checkPhrases keeps its input's order: the batch's docs found, then the sample's.)
    const inBatch = passed.filter((c) => read.has(c.doc));
    if (checked === 0) sampleFound = new Set(passed.slice(inBatch.length).map((c) => c.doc));
    found.push(...inBatch);
    checked = next;
    // More texts while the page is short and some doc is known to hold the phrase: the first
    // texts' rate sizes them, or the sample's when those held none.
    const rate = found.length > 0 ? found.length / checked : sampleFound.size / Math.max(1, sample.length);
    if (found.length >= want || checked >= count || rate === 0) break;
    const needed = Math.ceil(((want - found.length) / rate) * PHRASE_MARGIN) + PHRASE_MIN_BATCH;
    next = checked + Math.min(count - checked, needed, texts());
  }
  if (checked >= count) {
    const facets = sel.facets && facetsOf(r.index, found.map((c) => c.doc));
    return { ...sel, ...(facets ? { facets } : {}), total: found.length, ranked: found.slice(0, want) };
  }
  r.capped.add('phrase-candidates');
  // The sample's docs not checked since (a deeper page's texts may have taken some) give the
  // rate; too few of them (no budget left for a sample), the docs checked.
  const unread = sample.filter((c) => !read.has(c.doc));
  const rate = unread.length >= PHRASE_SAMPLE_MIN ? unread.filter((c) => sampleFound.has(c.doc)).length / unread.length : found.length / checked;
  // The best docs held no phrase and the budget ran out before one did: the sample's docs that
  // hold it, in the asked order, rather than an empty page under a count above 0.
  if (found.length === 0) {
    for (const { at, ...c } of unread.filter((x) => sampleFound.has(x.doc)).sort((a, b) => order(a.at, b.at))) {
      found.push(c);
      read.add(c.doc);
    }
  }
  let facets = sel.facets;
  if (facets) {
    const rest: number[] = [];
    for (let i = 0; i < count; i++) if (!read.has(sel.cands.doc[i]!)) rest.push(sel.cands.doc[i]!);
    facets = addFacets(facetsOf(r.index, found.map((c) => c.doc)), facetsOf(r.index, rest), rate);
  }
  return { ...sel, ...(facets ? { facets } : {}), total: found.length + Math.round((count - read.size) * rate), ranked: found.slice(0, want), estimated: true };
}

/** Beyond the texts the rate found says a deeper page needs: half as many again, and this many more. */
const PHRASE_MARGIN = 1.5;
const PHRASE_MIN_BATCH = 10;
/**
 * Candidates past the first texts checked whose text is read to estimate how many of the rest
 * hold the phrase, and the fewest the estimate is made from. On the corpus (300 two-word phrases
 * from titles, the 93 whose check was capped), 40 put the count within 6 % of every candidate
 * checked at the median, unbiased; 20, within 8 %; the first texts' own rate, 55 % (docs/ranking.md).
 */
const PHRASE_SAMPLE = 40;
const PHRASE_SAMPLE_MIN = 10;

/** Up to `n` candidates not in `taken`, spread evenly over the rest (in doc order): a sample of them, each with its place in `c` (`at`). */
function phraseSample(c: Candidates, taken: Set<number>, n: number): (Ranked & { at: number })[] {
  if (n <= 0) return [];
  const rest: number[] = [];
  for (let i = 0; i < c.count; i++) if (!taken.has(c.doc[i]!)) rest.push(i);
  const step = rest.length / n;
  const out: (Ranked & { at: number })[] = [];
  for (let k = 0; k < Math.min(n, rest.length); k++) {
    const i = rest[Math.floor(k * step)]!;
    out.push({ doc: c.doc[i]!, score: c.score[i]!, exact: c.exact[i]!, at: i });
  }
  return out;
}

/**
 * Re-orders the top on its articles' text, read with the page's (one batch); a page past the
 * top holds the same docs in the same order whatever the top's order: its articles alone are read.
 */
export async function rerankTop(r: QueryRun, words: Words, sel: Selection, matcher: Matcher): Promise<{ ranked: Ranked[]; texts: Map<number, RerankText> }> {
  const { params } = r.plan;
  const { depth, features, query } = sel.rerank;
  const texts = new Map<number, RerankText>();
  if (depth === 0 || sel.ranked.length <= 1 || params.offset >= depth) return { ranked: sel.ranked, texts };
  return r.timed('rank', async () => {
    const head = sel.ranked.slice(0, depth);
    await r.readArticles([...[...head, ...sel.ranked.slice(params.offset, params.offset + params.limit)].map((c) => c.doc), ...r.ruleDocs.values()]);
    const textOf = (doc: number): RerankText => {
      const a = r.articles.get(doc)!;
      const body = hitsIn(r.index, doc, a, 'body', matcher, { words: words.groups.length, window: r.o.ranking.proximityWindow });
      const t = { title: hitsIn(r.index, doc, a, 'title', matcher), body };
      texts.set(doc, t);
      return t;
    };
    // The head's texts, read once: the features that apply depend on them (RerankQuery.held).
    for (const c of head) textOf(c.doc);
    const textFor = (doc: number): RerankText => texts.get(doc) ?? textOf(doc);
    const held = { ...query, held: heldWords(texts.values(), query.words) };
    const active = features.filter((f) => f.applies(held));
    const model = r.o.ranking.headModel;
    // The editor's boosts are the editor's order: the trees do not undo them.
    const ordered = hasTrees(model) && head.length > 1 && query.words >= HEAD_MIN_WORDS && r.editor.rules.triggered.boosts.length === 0 && (!model.questionsOnly || isQuestion(r.plan.query.text));
    const shares = ordered ? new Map<number, Map<string, number>>() : undefined;
    let top = rerank(head, textFor, held, active, r.o.ranking, shares);
    const x = ordered ? headFeatures(r, words, top, textFor, shares!, query, sel.filters, model!) : undefined;
    if (x) top = reorderHead(top, x, model!, sel.ranked[depth]?.score ?? 0);
    return { ranked: [...top, ...sel.ranked.slice(depth)], texts };
  });
}

/**
 * The head model's features of the head's docs (head-model.ts), each as features.ts gives them
 * to the fit: their parts from a match of these docs alone (the same scores as the whole
 * match's), the coverage unpowered, and the text features' shares. Undefined when the head's
 * docs hold fewer than HEAD_MIN_WORDS of the query's words between them.
 */
function headFeatures(r: QueryRun, words: Words, head: Ranked[], textOf: (doc: number) => RerankText, known: Map<number, Map<string, number>>, query: RerankQuery, filters: MatchFilters, model: HeadModel): Float64Array[] | undefined {
  const docs = head.map((c) => c.doc);
  // The query's own terms only (the reader's loaded map holds typo candidates and readings besides).
  const terms: Loaded = new Map();
  for (const g of words.groups) for (const t of g) if (r.loaded.has(t.term)) terms.set(t.term, r.loaded.get(t.term)!);
  const m = match(r.index, words.groups, wholeFor(terms, docs, r.articles), filters, r.plan.params.recency, r.o, undefined, true);
  const parts = m.parts!;
  const at = new Map<number, number>();
  for (let i = 0; i < m.cands.count; i++) at.set(m.cands.doc[i]!, i);
  if (headWords(parts.mask.subarray(0, m.cands.count)) < HEAD_MIN_WORDS) return undefined;
  const idfSum = m.wordIdf.reduce((a, b) => a + b, 0) || 1;
  const shares = new Map(FEATURES.map((f) => [f.name, f]));
  const logBm25 = (i: number | undefined) => (i === undefined ? Math.log(1e-9) : Math.log(Math.max(1e-9, parts.total[i]!)));
  const best = Math.max(...head.map((c) => logBm25(at.get(c.doc))));
  return head.map((c) => {
    const i = at.get(c.doc);
    const text = () => textOf(c.doc);
    const value = (f: HeadFeature): number => {
      if (SHARE_FEATURES.has(f)) {
        const feature = shares.get(f)!;
        if (!feature.applies(query)) return 0;
        return known.get(c.doc)?.get(f) ?? feature.share(text(), query);
      }
      if (i === undefined) return 0;
      switch (f) {
        case 'relBm25':
          return logBm25(i) - best;
        case 'logCoverage': {
          let covered = 0;
          for (let mask = parts.mask[i]!, w = 0; mask !== 0; mask >>>= 1, w++) if (mask & 1) covered += m.wordIdf[w]!;
          return Math.log(Math.max(1e-9, covered / idfSum));
        }
        case 'titleAll':
          return parts.title[i]! & TITLE_ALL ? 1 : 0;
        case 'named':
          return parts.title[i]! & TITLE_NAMED ? 1 : 0;
        case 'titleShare':
          return parts.titleShare[i]!;
        default:
          return 0;
      }
    };
    return Float64Array.from(model.features, value);
  });
}

/** The ranked results with the editor's pins in their places, and the total they make. */
export interface Pinned {
  sel: Selection;
  ranked: Ranked[];
}

/** Places pinned articles last (a pinned article that is no match adds to the total). */
export function pin(r: QueryRun, sel: Selection, ranked: Ranked[]): Pinned {
  if (r.editor.rules.triggered.pins.length === 0) return { sel, ranked };
  const pinned = pinResults(ranked, r.editor.rules, r.ruleDocs, sel.cands, r.plan.params);
  for (const id of pinned.applied) r.rulesApplied.add(id);
  return { sel: { ...sel, total: sel.total + pinned.added }, ranked: pinned.ranked };
}

/** The page's hits (snippets, marks), did-you-mean, and what limited or changed the answer. */
export async function respond(r: QueryRun, words: Words, { sel, ranked }: Pinned, texts: Map<number, RerankText>, matcher: Matcher): Promise<SearchResult> {
  const { index, plan, o } = r;
  const { params, query } = plan;
  const page = ranked.slice(params.offset, params.offset + params.limit);
  const hits = await r.timed('snippets', async () => {
    await r.readArticles(page.map((c) => c.doc));
    return page.map((c) => toHit(index, c, r.articles.get(c.doc)!, matcher, texts.get(c.doc)));
  });
  let exactTotal = 0;
  for (let i = 0; i < sel.cands.count && exactTotal < o.spelling.didYouMeanBelow; i++) exactTotal += sel.cands.exact[i]!;
  const result: SearchResult = { query: params.q, total: sel.total, offset: params.offset, limit: params.limit, sort: params.sort, hits, index: index.version };
  if (sel.facets) result.facets = sel.facets;
  const offered = await didYouMean(index, r.asked.query, params.q, words.corrections, r.loaded, ranked, page, exactTotal, r.articles, matcher, o, r.stats);
  Object.assign(result, offered.answer);
  const unmatched = unmatchedWords(r, words, offered.words);
  if (unmatched.length > 0) result.unmatched = unmatched;
  const unknown = unknownFilters(index, params);
  if (unknown) result.unmatchedFilters = unknown;
  if (query.framing.length > 0) result.framing = query.framing;
  if (r.capped.size) result.capped = [...r.capped];
  if (sel.partial) result.partial = ['total', 'facets'];
  if (sel.estimated) result.estimated = sel.facets ? ['total', 'facets'] : ['total'];
  if (sel.fewerWords) result.relaxed = ['words'];
  if (r.rulesApplied.size) result.rules = r.editor.rules.triggered.rules.map((x) => x.rule.id).filter((id) => r.rulesApplied.has(id));
  return result;
}

/**
 * The query's words (as typed) that no article holds in any form and that did-you-mean does not
 * name (`offered`): the hits are the other words' (a reader is told, as "Missing: …" would). A
 * word read as another counts only when its reading is named: «كوفيد 19» searches كوفيد under
 * كوفي too, a reading too unlikely to offer, and says that no article holds كوفيد.
 */
function unmatchedWords(r: QueryRun, words: Words, offered: Set<number>): string[] {
  const held = heldMask(words.groups.map((g) => g.filter((t) => t.kind !== 'typo')), r.loaded);
  const typed = r.asked.query.words.length === words.groups.length ? r.asked.query.words : r.plan.query.words;
  return words.groups.flatMap((_, i) => ((held & (1 << i)) !== 0 || offered.has(i) || !typed[i] ? [] : [typed[i]!.text]));
}

/** Finds the query's words in a text (title, body) as any of their terms. */
export function matcherOf(words: Words, typing?: QueryPlan['typing']): Matcher {
  const groups = matcherGroups(words.groups);
  const word = typing ? groups.findIndex((g) => g.includes(typing.term)) : -1;
  return new Matcher(groups, ALT_MARK, word >= 0 ? { word, letters: typing!.letters } : undefined);
}
