/**
 * Every knob of a search, each with its meaning, range and default: how matches are weighed
 * (`ranking`), how typos are read (`spelling`), how much work one query may do (`caps`) and how
 * Latin names are read in Arabic (`names`).
 * `DEFAULT_OPTIONS` is frozen; {@link searchOptions} makes another set from it, and search()
 * takes one: nothing in the search core reads or changes module state. BM25's k1 and b belong
 * to the archive (its manifest), not here.
 *
 * @example search(archive, params, stats, searchOptions({ ranking: { recency: 0 } }))
 */
import { FITTED } from './fitted';
import type { HeadModel } from './head-model';
import type { SpellModel } from './spell-model';


/** How the signals of a match combine into a score (measured with `npm run eval`, docs/relevance.md). */
export interface RankingOptions {
  /** Weight of a title match against a body match (0–2). */
  titleWeight: number;
  /** Extra weight for a title match in FlexSearch's earliest slot, fading to 0 at the last (0–1). */
  slotBonus: number;
  /** Weight of a proclitic-free reading (لبوتين read as ل + بوتين) against the plain stem (0–1). */
  altWeight: number;
  /** Weight of a typo correction of one edit; two edits get 0.75 of it (0–1). */
  typoWeight: number;
  /** Exponent of query-word coverage, the idf-weighted share of the query's words a doc has (0–2). */
  coveragePower: number;
  /** Bonus factor for a doc whose title holds every word of a query of 2+ words (0–2). */
  titleCoverBonus: number;
  /** Bonus factor for a doc whose every title word the query holds: the query names it (0–2). */
  titleNamedBonus: number;
  /** Half-life of the recency prior, in days (the prior's strength is SearchParams.recency). */
  recencyHalfLifeDays: number;
  /** Weight of closeness: the share of the query's words within `proximityWindow` words (0–5). */
  proximity: number;
  /** Words within which the query's words count as close (2–50). */
  proximityWindow: number;
  /** Weight of adjacency: the share of the query's word pairs side by side, in order (0–5). */
  adjacency: number;
  /** Bonus for a text holding words typed with hamza or harakat as typed (0–1). */
  surfaceBonus: number;
  /** Bonus for a text holding the query's words in the form typed, article and proclitics aside (0–2). */
  formBonus: number;
  /**
   * Weight of a title that begins with the query's words in the query's order, its first word
   * the query's first (rerank/title-start.ts; 0–5).
   */
  titleStart: number;
  /** How many of the best results are re-ordered on their text (their articles are read; 0–50). */
  rerankDepth: number;
  /**
   * Weight of a body match for a word the title has too (BM25F's shared saturation): such a
   * word scores max(title + this × body, body) (0–1).
   */
  bodyAfterTitle: number;
  /**
   * Weight of an editor's synonym against the words typed, shared among the words of the phrase
   * it stands for (a doc found only through it scores below one holding the words; 0–1).
   */
  synonymWeight: number;
  /**
   * Weight of the other spelling of a house-style pair (ترمب for ترامب: manifest.houseStyles)
   * against the word typed, as `synonymWeight` is for an editor's synonym; 0 reads no pair.
   */
  houseStyleWeight: number;
  /**
   * Completions of the word being typed that a `prefix` search searches (search.ts): the first
   * in the word's place, the others standing in for it below, weighted as synonyms (1–10; 1:
   * the first alone). Five, what a search box shows (/suggest's default limit); measured
   * against one in docs/relevance.md, "Headlines as the reader types".
   */
  prefixCompletions: number;
  /**
   * The weights a `prefix` search that is not a question (question.ts) ranks by instead, where
   * it holds them: a reader typing a headline types its first words, and the titles that begin
   * with them are what they look for (rerank/title-start.ts, the letters of the word being typed
   * matching any title word they begin). Fitted on headlines and questions as typed (`npm run
   * eval -- --fit-prefix`, scripts/eval/fit-prefix.ts); absent: the ranking above.
   */
  prefix?: PrefixRanking;
  /**
   * Trees that order the re-ranked head again (head-model.ts), fitted with the weights above
   * (`npm run eval -- --fit-ranking`); absent: the head keeps the re-ranking's order.
   */
  headModel?: HeadModel;
}

/** The weights a search as the reader types ranks by (RankingOptions.prefix). */
export type PrefixRanking = Readonly<Partial<Pick<RankingOptions, 'titleWeight' | 'titleStart' | 'rerankDepth'>>>;

/** How typos are found and read (docs/ranking.md, "Typos"). */
export interface SpellingOptions {
  /** Words of at least this many letters may be one edit off (Lucene's DirectSpellChecker: minQueryLength 4); shorter ones are searched as typed. */
  minLength: number;
  /** Words of at least this many letters may be two edits off. */
  twoEditsLength: number;
  /**
   * A word whose stem is in this many documents or more, spelled as typed in common use, is
   * not looked up (Lucene's maxQueryFrequency): only its context can call it a typo.
   */
  maxDf: number;
  /** Readings kept per word. */
  candidates: number;
  /** Readings of a word compared when its context suggests a typo. */
  contextReadings: number;
  /** The noisy-channel model that decides (spell-model.ts); fitted, shipped in fitted.ts. */
  model: Readonly<SpellModel>;
  /** Results found below which a correction is offered as "did you mean", however slight its margin. */
  didYouMeanBelow: number;
  /**
   * The margin (nats, over the word as typed) above which a reading the model offers is named
   * in `didYouMean` however many results the word finds as typed (the hits stay the word's):
   * ماركون finds 1,182 articles of brands (ماركة) and is offered ماكرون. Chosen on the typo
   * benchmark's fit halves (docs/ranking.md, "Did you mean").
   */
  didYouMeanMargin: number;
  /** Best results searched for the way the archive writes a correction. */
  writtenFormDocs: number;
}

/** Bounds on the work of one query (the response names those that applied in `capped`). */
export interface CapOptions {
  /** Lexicon entries compared per query for typos. */
  typoScan: number;
  /** Candidates whose text is read to check a quoted phrase. */
  phraseCheck: number;
  /**
   * Query words looked up in the typo lexicon (the first in query order); the others are
   * searched as typed (`capped: ["typo-words"]`). Each costs up to five lexicon lists.
   */
  typoWords: number;
  /**
   * Latin words (or Arabizi) read as names (the first in query order); the others are searched
   * as typed (`capped: ["names"]`). Each costs its lexicon lists and completions.
   */
  nameWords: number;
  /**
   * Characters of index values one query may use, read or cached (budget.ts): its words are
   * read whatever they cost; Latin names' lists, the typo lexicon, the context's readings and
   * the texts checked for quoted phrases take what is left, first words first.
   */
  work: number;
  /** Docs kept per word that holds every other word of the query but it (context typos). */
  nearMissDocs: number;
  /** Docs of a corrected word's reading read to weigh it by the query's other words (spell-context.ts `weighReadings`). */
  cooccurDocs: number;
  /**
   * Docs of the rarest other word checked to count how many hold all the other words (past it,
   * the count is scaled from those checked: a common word's first docs are a biased sample, so
   * it is set where the corpus's answers do not move).
   */
  cooccurTogether: number;
  /** Docs holding every word that are checked for a stray match; more: the words meet. */
  strayCheck: number;
  /**
   * Let a query stop before reading big terms' weakest postings (tier B) when they cannot change
   * its page (tiers.ts). Off (the default): tiers A and B are read in one batch, every posting
   * counts, totals and facets are exact. On, at 1M articles (bench --million), 5 of 69 two-word
   * queries stopped early, saving 7 % of the bytes at the median for 1.4× the CPU (a second
   * match whenever tier B is needed after all): it does not pay yet.
   */
  tierStop: boolean;
  /**
   * Query words in at least this many docs, but the strongest word of the query, are scored
   * only on the docs of the words not skipped: a doc holding only skipped words is not listed,
   * scored or counted, unless the page found that way could be passed by such a doc at the
   * words' best (word-skip.ts; then the query is matched again, whole). 0: never. At 1M
   * articles (bench --million's queries, pages identical) 33 of 69 two-word and 40 of 67
   * three-word queries skip, for 0.81× and 0.76–0.82× the cold CPU (median per-query ratio); at 2,000 more
   * skip (0.84×), but on the corpus no CPU is saved and 1–2 % of its totals turn into lower
   * bounds, as none do at 20,000.
   */
  skipWordDocs: number;
  /**
   * When a page found with common words skipped fails its proof, the docs holding only skipped
   * words that might pass it (a posting worth more than the page's last score leaves to it:
   * word-skip.ts `outsiders`) are scored with every word and ranked with the page, if there are
   * at most this many postings of them; more: the query is matched again, whole. The page is
   * exact either way; after a rescue `total` and the facets stay lower bounds (`partial`). 0: never.
   */
  skipRescue: number;
}

/** How Latin words are read in Arabic (see {@link readNames}). */
export interface NameOptions {
  /** Weight of ln(documents) against the cost of a reading (how much being common counts). */
  dfWeight: number;
  /** A reading is kept when it costs at most this per Latin letter ... */
  costPerLetter: number;
  /** ... plus this. */
  costSlack: number;
  /** Cost of an article ال the Latin does not write (Sisi for السيسي), or writes where the Arabic has none. */
  articleCost: number;
  /** Lexicon lists read per Latin word at most, likeliest first. */
  maxLists: number;
  /** Completion lists (by two-letter prefix: title words, those of 2–3 letters the lexicon lacks among them) read per Latin word at most. */
  maxPrefixes: number;
  /**
   * Words of each list (commonest first) a Latin word's readings are sought among: bounds the
   * work of a word that reads as nothing (a list of one letter and length may hold thousands).
   */
  scanWords: number;
  /** Lists whose likeliest spelling costs more than the best one's by this are not read. */
  listSlack: number;
  /** A Latin word the archive has in this many documents is searched as typed ... */
  knownDf: number;
  /** ... unless its reading is in this many times more; in more at all, the reading is searched too. */
  swamp: number;
  /** Other readings of a word searched too: those scoring within this of the best ... */
  altMargin: number;
  /** ... at most this many. */
  maxOthers: number;
  /** Weight of another reading at best, times e^(its score − the reading's): its odds against it (0–1). */
  otherWeight: number;
  /**
   * Articles per title of a word of the completions (which count titles), to weigh the short
   * words only they list against the lexicon's (which count articles).
   */
  titleDocs: number;
}

export interface SearchOptions {
  readonly ranking: Readonly<RankingOptions>;
  readonly spelling: Readonly<SpellingOptions>;
  readonly caps: Readonly<CapOptions>;
  readonly names: Readonly<NameOptions>;
}

/**
 * The ranking's weights as they were set by hand, before any fit: where the fit starts from and
 * what it is compared with (docs/relevance.md), and the weights unit tests pin mechanisms with.
 */
export const HAND_SET_RANKING: Readonly<RankingOptions> = Object.freeze({
  titleWeight: 0.9,
  slotBonus: 0.15,
  altWeight: 0.6,
  typoWeight: 0.45,
  coveragePower: 0.35,
  titleCoverBonus: 0.5,
  titleNamedBonus: 1,
  recencyHalfLifeDays: 365,
  proximity: 2,
  proximityWindow: 12,
  adjacency: 2,
  surfaceBonus: 0.1,
  formBonus: 0.5,
  titleStart: 0,
  rerankDepth: 10,
  bodyAfterTitle: 0.2,
  synonymWeight: 0.8,
  houseStyleWeight: 0.8,
  prefixCompletions: 5,
  // No trees: spread over other options, the hand-set ranking takes the head model off too.
  headModel: undefined,
});

/** The options search() uses unless given others. */
export const DEFAULT_OPTIONS: SearchOptions = Object.freeze({
  ranking: Object.freeze({
    ...HAND_SET_RANKING,
    // Weights fitted with cross-validation (npm run eval -- --fit-ranking) replace those above.
    ...FITTED.ranking,
    ...(FITTED.prefix ? { prefix: Object.freeze({ ...FITTED.prefix }) } : {}),
  }),
  spelling: Object.freeze({
    minLength: 4,
    twoEditsLength: 9,
    maxDf: 3,
    candidates: 3,
    contextReadings: 6,
    model: FITTED.spelling,
    didYouMeanBelow: 3,
    didYouMeanMargin: FITTED.display.didYouMeanMargin ?? Infinity,
    writtenFormDocs: 3,
  }),
  caps: Object.freeze({
    typoScan: 20_000,
    phraseCheck: 100,
    typoWords: 4,
    nameWords: 2,
    work: 400_000,
    nearMissDocs: 256,
    cooccurDocs: 2000,
    cooccurTogether: 20_000,
    strayCheck: 3,
    tierStop: false,
    skipWordDocs: 20_000,
    skipRescue: 4096,
  }),
  names: Object.freeze({
    dfWeight: 0.35,
    costPerLetter: 0.3,
    costSlack: 1,
    articleCost: 0.9,
    maxLists: 6,
    maxPrefixes: 4,
    scanWords: 1_000,
    listSlack: 2,
    knownDf: 3,
    swamp: 100,
    titleDocs: 3,
    altMargin: 0.7,
    maxOthers: 2,
    otherWeight: 0.6,
  }),
});

/** The default recency prior strength (SearchParams.recency; the API's default). */
export const DEFAULT_RECENCY = 0.05;

export interface OptionOverrides {
  ranking?: Partial<RankingOptions>;
  spelling?: Partial<SpellingOptions>;
  caps?: Partial<CapOptions>;
  names?: Partial<NameOptions>;
}

/** A frozen set of options: the defaults, then `overrides`. */
export function searchOptions(overrides: OptionOverrides = {}, base: SearchOptions = DEFAULT_OPTIONS): SearchOptions {
  return Object.freeze({
    ranking: Object.freeze({ ...base.ranking, ...overrides.ranking }),
    spelling: Object.freeze({ ...base.spelling, ...overrides.spelling }),
    caps: Object.freeze({ ...base.caps, ...overrides.caps }),
    names: Object.freeze({ ...base.names, ...overrides.names }),
  });
}
