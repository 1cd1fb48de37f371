/**
 * Fitted parameters, written by `npm run eval -- --fit` / `--fit-ranking` (scripts/eval/fit-*.ts):
 * do not edit by hand.
 * - `spelling`: coordinate ascent on the fit half of the typo benchmark (seed 42) and of the dev questions' words; in-sample typos 55.3 %, rare words replaced 0.6 %, question words replaced 0.34 % (`context` not fitted).
 * - `ranking`: coordinate ascent on MRR@10 over all dev questions, the features and depth chosen by 5-fold cross-validation (scripts/eval/baselines/ranking-fit.md).
 */
import type { RankingOptions } from './options';
import type { SpellModel } from './spell-model';

export const FITTED: { spelling: SpellModel; ranking: Partial<RankingOptions> } = {
  "spelling": {
    "prior": 1,
    "cost": {
      "dropped": 4,
      "doubled": 3.5,
      "inserted": 10,
      "swap": 2,
      "neighbour": 4,
      "hamza": 4.5,
      "taMarbuta": 0.5,
      "substituted": 8,
      "article": 2
    },
    "unseen": 2.5e-7,
    "stemShare": 0.01,
    "replace": 3,
    "offer": 2,
    "context": 3
  },
  "ranking": {
    "coveragePower": 0,
    "titleCoverBonus": 0,
    "titleNamedBonus": 0.6581,
    "proximity": 0,
    "adjacency": 1,
    "surfaceBonus": 0,
    "formBonus": 0.9375,
    "rerankDepth": 50
  }
};
