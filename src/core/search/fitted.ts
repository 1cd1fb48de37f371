/**
 * Fitted parameters, written by `npm run eval -- --fit` / `--fit-ranking` (scripts/eval/fit-*.ts):
 * do not edit by hand.
 * - `spelling`: coordinate ascent on the fit half of the typo benchmark (seed 42) and of the dev questions' words, the best step of each round kept, only past a paired sign test on the cases it changes (each weighed as the objective counts it); in-sample typos (of words of 5+ letters and of 4, and in context, pooled) 72.9 %, rare words (both) replaced 0.0 %, question words harmed (a correct word replaced, or a misspelling by a word not meant) 0.09 %, correct words the archive lacks (the fit half of scripts/eval/unseen-words.ts) replaced 9.3 %, counted against the typos point for point; then `context` and `cooccur` by grids on the fit halves of the typos in context (scripts/eval/context-typos.ts) and of the dev questions, past a paired sign test (docs/relevance.md reports the other halves).
 * - `ranking`: the weights as fitted on 2026-12-02 (coordinate ascent on MRR@10 over all dev questions and 800 headline searches, features by 5-fold cross-validation at re-rank depth 10), kept with --keep-weights; titleStart fitted beside them (--fit-weights, the others held) by coordinate ascent on the same objective over all dev questions and 2400 headline searches (1200 news titles apart from the known-item test's, whole and first four words; the two tasks' MRR@10 summed), cross-validated in 5 folds (scripts/eval/baselines/ranking-fit.md); no head model: its trees were not past noise out of fold.
 */
import type { RankingOptions } from './options';
import type { SpellModel } from './spell-model';

export const FITTED: { spelling: SpellModel; ranking: Partial<RankingOptions> } = {
  "spelling": {
    "prior": 1,
    "cost": {
      "dropped": 3.75,
      "doubled": 1.5,
      "inserted": 12,
      "swap": 0.5,
      "neighbour": 4.5,
      "hamza": 3,
      "taMarbuta": 0,
      "sound": 2.75,
      "substituted": 8,
      "article": 5
    },
    "unseen": 6.248e-8,
    "stemShare": 0.005,
    "short": 1,
    "replace": 5,
    "offer": 1.5,
    "context": 6,
    "cooccur": 6
  },
  "ranking": {
    "coveragePower": 0,
    "titleCoverBonus": 0.6997,
    "titleNamedBonus": 0.6581,
    "proximity": 0,
    "adjacency": 1,
    "surfaceBonus": 0,
    "formBonus": 0.875,
    "titleStart": 1.25,
    "rerankDepth": 10
  }
};
