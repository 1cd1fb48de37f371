/**
 * `--fit-prefix`: the weights a search as the reader types ranks by (RankingOptions.prefix),
 * fitted by coordinate ascent over a grid on searches the known-item test never sees: news
 * titles drawn apart from its titles, typed as typing.ts types them (the first two, three or
 * four content words, the last cut to three letters), and the dev questions typed the same way
 * (their last word cut to three letters). The objective is the two tasks' MRR@10 summed, as the
 * ranking's fit sums its tasks: a reader typing a question keeps what the question's ranking
 * gives it (a question is not ranked by these weights at all; one the question test misses is),
 * and a reader typing a headline finds it. A step is kept only when a paired bootstrap of the
 * objective's per-search change over the searches is above 0 at 95 %.
 */
import type { Archive } from '../../src/core/search/archive';
import type { PrefixRanking, SearchOptions } from '../../src/core/search/options';
import { search } from '../../src/core/search/search';
import { ReadStats } from '../../src/core/search/source';
import type { Progress } from './run';
import { fmtDiff, pairedDiff } from './stats';
import { typedSoFar, TYPED_LETTERS, WORDS_TYPED } from './typing';

/** The values each weight may take (the shipped ranking's own among them). */
export const PREFIX_GRID: Readonly<Record<keyof PrefixRanking, readonly number[]>> = {
  titleWeight: [0.9, 2, 3.5, 5, 8],
  titleStart: [1.25, 3, 5, 10],
  // Each article of the head is read and scanned (a cold reader's read grows with it): no deeper
  // than the cost measured in docs/benchmarks.md ("Search as you type: /search with prefix").
  rerankDepth: [10, 20, 30],
};

/** One search the fit learns from: the words typed, and the docs that answer it. */
export interface PrefixSearch {
  task: 'headline' | 'question';
  q: string;
  relevant: ReadonlySet<string>;
}

/** A question typed so far: its words, the last cut to {@link TYPED_LETTERS} letters (question marks left out). */
export function questionTyped(question: string): string | undefined {
  const ws = question.replace(/[؟?]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const last = [...(ws.at(-1) ?? '')];
  if (ws.length < 2 || last.length <= TYPED_LETTERS) return undefined;
  return [...ws.slice(0, -1), last.slice(0, TYPED_LETTERS).join('')].join(' ');
}

/** The fit's searches: each title typed to each length it allows, each question typed. */
export function prefixSearches(titles: readonly { target: string; clean: { first4: string } }[], questions: readonly { query: string; relevant: ReadonlySet<string> }[]): PrefixSearch[] {
  const headlines = WORDS_TYPED.flatMap((w) => titles.flatMap((t) => {
    const q = typedSoFar(t.clean.first4, w);
    return q ? [{ task: 'headline' as const, q, relevant: new Set([t.target]) }] : [];
  }));
  const asked = questions.flatMap((x) => {
    const q = questionTyped(x.query);
    return q ? [{ task: 'question' as const, q, relevant: x.relevant }] : [];
  });
  return [...headlines, ...asked];
}

/** Each search's reciprocal rank (top 10), scaled so that each task's sum is its MRR@10. */
async function scores(archive: Archive, searches: readonly PrefixSearch[], o: SearchOptions): Promise<number[]> {
  const n = { headline: searches.filter((s) => s.task === 'headline').length, question: searches.filter((s) => s.task === 'question').length };
  const out: number[] = [];
  for (const s of searches) {
    const r = await search(archive, { q: s.q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0.05, prefix: true }, new ReadStats(), o);
    const at = r.hits.findIndex((h) => s.relevant.has(h.id));
    out.push(at < 0 ? 0 : 1 / (at + 1) / n[s.task]);
  }
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export interface PrefixFit {
  weights: Required<PrefixRanking>;
  markdown: string;
}

/**
 * Coordinate ascent from the ranking's own weights: each weight in turn over its grid, the
 * others held; a step kept when the paired difference of the objective is above 0 at 95 %;
 * rounds until none is.
 */
export async function fitPrefix(archive: Archive, searches: readonly PrefixSearch[], base: SearchOptions, progress: Progress): Promise<PrefixFit> {
  const names = Object.keys(PREFIX_GRID) as (keyof PrefixRanking)[];
  let weights: Required<PrefixRanking> = { titleWeight: base.ranking.titleWeight, titleStart: base.ranking.titleStart, rerankDepth: base.ranking.rerankDepth };
  const withWeights = (w: PrefixRanking): SearchOptions => ({ ...base, ranking: { ...base.ranking, prefix: w } });
  const start = await scores(archive, searches, withWeights(weights));
  let current = start;
  const lines: string[] = [];
  let tried = 0;
  for (let round = 1; round <= 3; round++) {
    let moved = false;
    for (const name of names) {
      let best: { value: number; s: number[] } | undefined;
      for (const value of PREFIX_GRID[name]) {
        if (value === weights[name]) continue;
        progress.update(`prefix fit: round ${round}, ${name} ${value} (${++tried} tried)`);
        const s = await scores(archive, searches, withWeights({ ...weights, [name]: value }));
        if (!best || sum(s) > sum(best.s)) best = { value, s };
      }
      if (!best) continue;
      const diff = pairedDiff(best.s.map((x) => x * searches.length), current.map((x) => x * searches.length));
      const kept = diff.lo > 0;
      lines.push(`| ${round} | ${name} ${weights[name]} → ${best.value} | ${sum(best.s).toFixed(4)} | ${fmtDiff(diff)} | ${kept ? 'kept' : 'not kept'} |`);
      if (kept) {
        weights = { ...weights, [name]: best.value };
        current = best.s;
        moved = true;
      }
    }
    if (!moved) break;
  }
  progress.clear();
  const byTask = (s: number[], task: PrefixSearch['task']) => sum(s.filter((_, i) => searches[i]!.task === task)).toFixed(4);
  const markdown = [
    `Objective: MRR@10 of the typed headlines plus MRR@10 of the typed questions (${searches.filter((s) => s.task === 'headline').length} and ${searches.filter((s) => s.task === 'question').length} searches). A step's difference is per search, paired, scaled by the number of searches (the objective's sum), 95 % bootstrap.`,
    '',
    '| round | step (the best value of the weight) | objective | against the weights before | |',
    '| ---: | --- | ---: | ---: | --- |',
    ...lines,
    '',
    `Start (the ranking's own weights): headlines ${byTask(start, 'headline')}, questions ${byTask(start, 'question')}. Fitted ${JSON.stringify(weights)}: headlines ${byTask(current, 'headline')}, questions ${byTask(current, 'question')}.`,
  ].join('\n');
  return { weights, markdown };
}
