/**
 * Fitted parameters, written by `npm run eval -- --fit` / `--fit-ranking` (scripts/eval/fit-*.ts):
 * do not edit by hand.
 * - `spelling`: coordinate ascent on the fit half of the typo benchmark (seed 42) and of the dev questions' words; in-sample typos 76.2 %, rare words replaced 0.6 %, question words replaced 0.31 % (docs/relevance.md reports the other halves).
 * - `ranking`: not shipped (none: the hand-set weights). The cross-validated fit on the dev questions (scripts/eval/baselines/ranking-fit.md) gains +0.011 QA MRR@10 but drops first-four-words success@1 from 94.8 to 85.8 % and costs 1.3–1.5× the CPU (re-rank depth 50); see docs/ranking.md.
 */
import type { RankingOptions } from './options';
import type { SpellModel } from './spell-model';

export const FITTED: { spelling: SpellModel; ranking: Partial<RankingOptions> } = {
  "spelling": {
    "prior": 1,
    "cost": {
      "dropped": 4,
      "doubled": 1.5,
      "inserted": 10,
      "swap": 1.5,
      "neighbour": 3.5,
      "hamza": 3,
      "taMarbuta": 0,
      "substituted": 8,
      "article": 3
    },
    "unseen": 2.5e-7,
    "stemShare": 0.02,
    "replace": 3,
    "offer": 2,
    "context": 3
  },
  "ranking": {}
};
