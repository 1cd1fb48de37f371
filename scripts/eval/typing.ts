/**
 * Headlines as the reader types them into a search box that searches as they type (the
 * widget): the known-item test's titles, their first two, three or four content words, the last
 * cut to its first three letters (words of four letters or more). bahth is searched as typed,
 * with `prefix` and the first completion alone, and with `prefix` as served (search.ts); the
 * peers' answers to the same typed headlines (their own prefix matching, asked in eval.ts's
 * runSystem and kept as every peer answer is) are compared with it. The article is the one
 * relevant document. 95 % bootstrap intervals; differences paired (same searches).
 */
import { normalize } from '../../src/core/analyzer/index';
import type { Archive } from '../../src/core/search/archive';
import type { SearchOptions } from '../../src/core/search/options';
import { search } from '../../src/core/search/search';
import { ReadStats } from '../../src/core/search/source';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff } from './stats';

/** Letters of the last word typed. */
export const TYPED_LETTERS = 3;
/** Content words typed, the last of them cut short. */
export const WORDS_TYPED = [2, 3, 4] as const;

/** A headline typed so far: its first words, the last cut to {@link TYPED_LETTERS} letters. */
export function typedSoFar(first4: string, words: number): string | undefined {
  const ws = first4.split(/\s+/).filter(Boolean).slice(0, words);
  const last = [...(ws.at(-1) ?? '')];
  if (ws.length < words || last.length <= TYPED_LETTERS) return undefined;
  return [...ws.slice(0, -1), last.slice(0, TYPED_LETTERS).join('')].join(' ');
}

type Item = { target: string; clean: { first4: string } };

/** Every headline typed so far that the measure searches, each once (what the peers are asked). */
export function typedQueries(items: readonly Item[]): string[] {
  return [...new Set(WORDS_TYPED.flatMap((w) => items.flatMap((it) => typedSoFar(it.clean.first4, w) ?? [])))];
}

/** A peer's answers to {@link typedQueries}: its own prefix search (FlexSearch's forward tokenizer, MiniSearch's `prefix`). */
export interface PeerTyped {
  name: string;
  answers: ReadonlyMap<string, readonly string[]>;
}

/** A typed question of the dev questions' report half, and the passages that answer it. */
export interface QuestionTyped {
  q: string;
  relevant: ReadonlySet<string>;
}

export async function measureHeadlinesTyped(archive: Archive, items: readonly Item[], o: SearchOptions, progress: Progress, peers: readonly PeerTyped[] = [], questions: readonly QuestionTyped[] = []): Promise<string> {
  const n = o.ranking.prefixCompletions;
  const one = { ...o, ranking: { ...o.ranking, prefixCompletions: 1 } };
  // The ranking's own weights for prefix searches too (what was served before RankingOptions.prefix).
  const { prefix, ...ownRanking } = o.ranking;
  const own = { ...o, ranking: ownRanking };
  // The arms: as typed; prefix with the first completion alone; prefix by the ranking's own
  // weights; prefix as shipped (the last is what every comparison is paired against).
  const arms = [{ prefix: false, o }, { prefix: true, o: one }, { prefix: true, o: own }, { prefix: true, o }] as const;
  const served = 3;
  const lines = [
    `The known-item test's ${items.length} titles (above), typed as a reader types them into a search box that searches as they type: the first two, three or four content words, the last cut to its first ${TYPED_LETTERS} letters (titles whose word there has more letters). Searched as typed (each word a whole word: what the widget asked before 2026-12-07), and with \`prefix=true\`: the last word completed as \`/suggest\` completes it (its typo readings included) and the completed query searched, with the first completion alone, with ${n} completions (the next ${n - 1} standing in for the word below the first, weighted as synonyms) ranked by the ranking's own weights, and as served: ${n} completions ranked by the weights fitted for searches as typed (\`ranking.prefix\` ${JSON.stringify(prefix ?? {})}, scripts/eval/fit-prefix.ts, on other titles; the letters typed matching, in the re-ranked head, any title word they begin). The article is the one relevant document; recency 0.05 as served. 95 % bootstrap intervals; differences paired (same searches). The number of completions was set to what a search box shows (/suggest's default), not fitted; 10 was within a search or two of 5 on these titles.`,
    '',
    `| typed | n | as typed: success@1 / @5 | first completion: @1 / @5 | ${n} completions, own weights: @1 / @5 | served: @1 / @5 | served − as typed, @1 | served − first completion, @1 | served − own weights, @1 | served − own weights, @5 | the first completion is the word typed |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const peerRows: string[] = [];
  for (const words of WORDS_TYPED) {
    const at1: number[][] = arms.map(() => []);
    const at5: number[][] = arms.map(() => []);
    const peer1: number[][] = peers.map(() => []);
    const peer5: number[][] = peers.map(() => []);
    const right: number[] = [];
    let done = 0;
    for (const it of items) {
      const q = typedSoFar(it.clean.first4, words);
      if (!q) continue;
      progress.update(`headlines as typed: ${words} words, ${++done}`);
      for (const [k, p] of peers.entries()) {
        const ids = p.answers.get(q) ?? [];
        peer1[k]!.push(ids[0] === it.target ? 1 : 0);
        peer5[k]!.push(ids.slice(0, 5).includes(it.target) ? 1 : 0);
      }
      for (const [k, arm] of arms.entries()) {
        const r = await search(archive, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0.05, prefix: arm.prefix }, new ReadStats(), arm.o);
        const ids = r.hits.map((h) => h.id);
        at1[k]!.push(ids[0] === it.target ? 1 : 0);
        at5[k]!.push(ids.slice(0, 5).includes(it.target) ? 1 : 0);
        if (k === served) right.push(normalize(r.completed ?? q) === normalize(it.clean.first4.split(/\s+/).slice(0, words).join(' ')) ? 1 : 0);
      }
    }
    const pair = (xs: number[][]) => xs.map((x) => fmt(bootstrap(x), true));
    const a1 = pair(at1);
    const a5 = pair(at5);
    for (const [k, p] of peers.entries()) peerRows.push(`| ${p.name} | ${words} words, the last ${TYPED_LETTERS} letters | ${fmt(bootstrap(peer1[k]!), true)} / ${fmt(bootstrap(peer5[k]!), true)} | ${fmtDiff(pairedDiff(at1[served]!, peer1[k]!), true)} | ${fmtDiff(pairedDiff(at5[served]!, peer5[k]!), true)} |`);
    const vs = (xs: number[][], k: number) => fmtDiff(pairedDiff(xs[served]!, xs[k]!), true);
    lines.push(`| ${words} words, the last ${TYPED_LETTERS} letters | ${at1[0]!.length} | ${a1[0]} / ${a5[0]} | ${a1[1]} / ${a5[1]} | ${a1[2]} / ${a5[2]} | ${a1[served]} / ${a5[served]} | ${vs(at1, 0)} | ${vs(at1, 1)} | ${vs(at1, 2)} | ${vs(at5, 2)} | ${fmt(bootstrap(right), true)} |`);
  }
  if (questions.length) {
    // A question typed is ranked by the ranking's own weights (question.ts tells it); one the
    // test misses is ranked as a headline typed: what that costs.
    const rr = (ids: string[], relevant: ReadonlySet<string>) => {
      const at = ids.findIndex((id) => relevant.has(id));
      return at < 0 ? 0 : 1 / (at + 1);
    };
    const ownRr: number[] = [];
    const servedRr: number[] = [];
    for (const [i, x] of questions.entries()) {
      progress.update(`questions as typed: ${i + 1}`);
      for (const [arm, out] of [[own, ownRr], [o, servedRr]] as const) out.push(rr((await search(archive, { q: x.q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0.05, prefix: true }, new ReadStats(), arm)).hits.map((h) => h.id), x.relevant));
    }
    lines.push('', `Questions as typed: the report half of the dev questions (the prefix fit saw the other), typed to the third letter of their last word (${questions.length} whose last word is longer), \`prefix=true\`. MRR@10 with the ranking's own weights ${fmt(bootstrap(ownRr))}, as served ${fmt(bootstrap(servedRr))}: served − own weights ${fmtDiff(pairedDiff(servedRr, ownRr))} (paired).`);
  }
  if (peerRows.length) {
    lines.push('', 'The peers as they search (their prefix matching is their own: FlexSearch\'s `forward` tokenizer, MiniSearch\'s `prefix: true` and `fuzzy: 0.2`, as configured above), the same searches, paired against bahth as served:', '', '| system | typed | success@1 / @5 | bahth (served) − it, @1 | bahth (served) − it, @5 |', '| --- | --- | ---: | ---: | ---: |', ...peerRows);
  }
  lines.push('', 'With three words finished, searching them alone would find the article among the first five more often still (three content words of a headline nearly name it; `.scratch/typing.ts`, 2026-12-07: 98 % against 96 % as served); with one or two finished, the completions are what find it.');
  return lines.join('\n');
}
