/**
 * Where a system's QA answers are lost (docs/relevance.md, "Where QA answers are lost"): for
 * each question whose strict passage is not first, what is ranked first instead, and whether the
 * passage is further down the ten or not among them at all, with the MRR@10 each kind of loss
 * costs. A diagnosis for the ranking's next feature, not a goal: a loss to a passage that holds
 * the answer too (lenient) or to another passage of the same article is mostly the labels'
 * (the datasets' passages overlap: one is often another's first sentences), one to a news
 * article is the ranking's, or a question that names nothing to find ("when did he die?").
 */
import type { EvalDoc, Question } from './data';

/** What ranks first when the strict passage does not, in the order the table lists them. */
export const LOSS_KINDS = ['a passage holding the answer (lenient)', 'another passage of the same article', 'a passage of another article', 'a news article', 'nothing'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

export interface QaLoss {
  kind: LossKind;
  /** The strict passage is among the ten (below the first), or not. */
  found: boolean;
  /** 1 − its reciprocal rank: the MRR@10 this question loses. */
  lost: number;
}

/** Each question's loss (undefined: its strict passage is first). `ranking[i]` is question i's ids, best first. */
export function qaLosses(questions: Question[], rankings: string[][], docs: EvalDoc[]): (QaLoss | undefined)[] {
  const passage = new Map(docs.filter((d) => d.dataset !== undefined).map((d) => [d.id, d]));
  return questions.map((q, i) => {
    const ids = (rankings[i] ?? []).slice(0, 10);
    const at = ids.findIndex((id) => q.relevantIds.includes(id));
    if (at === 0) return undefined;
    const top = ids[0];
    const lost = at < 0 ? 1 : 1 - 1 / (at + 1);
    const found = at > 0;
    if (top === undefined) return { kind: 'nothing', found, lost };
    if (q.relevantIdsLenient.includes(top)) return { kind: 'a passage holding the answer (lenient)', found, lost };
    const first = passage.get(top);
    if (!first) return { kind: 'a news article', found, lost };
    const titles = new Set(q.relevantIds.map((id) => passage.get(id)?.title));
    return { kind: titles.has(first.title) ? 'another passage of the same article' : 'a passage of another article', found, lost };
  });
}

/** The section's table: per system and kind, questions lost and the MRR@10 they cost, found lower or missed. */
export function qaLossesMarkdown(questions: Question[], systems: { name: string; rankings: string[][] }[], docs: EvalDoc[]): string {
  const n = questions.length;
  const lines = [
    `Per system, the questions (of ${n}) whose strict passage is not ranked first, by what is ranked first instead: the passage further down the ten ("lower") or not among them ("missed"), and the MRR@10 each costs (the sum of 1 − reciprocal rank, over all ${n} questions). A passage holding the answer, or another passage of the same article, is mostly the labels' doing (the datasets' passages overlap, one often another's first sentences); a news article first is the ranking's, or a question that names nothing to find ("متى توفي؟").`,
    '',
    '| system | ranked first instead | lower | missed | MRR@10 lost |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const s of systems) {
    const losses = qaLosses(questions, s.rankings, docs);
    let total = 0;
    for (const kind of LOSS_KINDS) {
      const of = losses.filter((l): l is QaLoss => l?.kind === kind);
      if (of.length === 0) continue;
      const lost = of.reduce((a, l) => a + l.lost, 0) / n;
      total += lost;
      lines.push(`| ${s.name} | ${kind} | ${of.filter((l) => l.found).length} | ${of.filter((l) => !l.found).length} | ${lost.toFixed(4)} |`);
    }
    lines.push(`| ${s.name} | **all** | ${losses.filter((l) => l?.found).length} | ${losses.filter((l) => l && !l.found).length} | ${total.toFixed(4)} |`);
  }
  return lines.join('\n');
}
