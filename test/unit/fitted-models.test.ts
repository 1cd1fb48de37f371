/**
 * The fitted models on hand-made values: the spelling model's channel and verdicts (a rare
 * word the archive holds stands; a dropped letter of a common word is read as the word), the
 * fitted parameters' file, and the cross-validation's folds.
 */
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/core/analyzer/index';
import { HEAD_FEATURES } from '../../src/core/search/head-model';
import { FITTED } from '../../src/core/search/fitted';
import { DEFAULT_OPTIONS } from '../../src/core/search/options';
import { channelCost, EDIT_KINDS, rankReadings, substitutionKinds, verdict, type SpellModel } from '../../src/core/search/spell-model';
import { neighbouringKeys } from '../../src/core/search/keyboard';
import { folds, outOfFold, weightsOf, type FitQuestion } from '../../scripts/eval/fit-ranking';
import { accepts, flips, spellingFitNote } from '../../scripts/eval/fit-spelling';
import { fittedNote } from '../../scripts/eval/fitted-file';
import { EXTRA_TYPO_KINDS, makeTypo, TYPO_KINDS, typoCases, type DrawnWord } from '../../scripts/eval/typo-gen';
import { mulberry32, VARIANTS } from '../../scripts/eval/variants';
import { readCorrectlySpelt, readMisspellings } from '../../scripts/eval/typos';
import { alignByQuestion } from '../../scripts/eval/typo-run';
import { contextTypos } from '../../scripts/eval/context-typos';
import { qaLosses, qaLossesMarkdown } from '../../scripts/eval/qa-losses';
import type { EvalDoc, Question } from '../../scripts/eval/data';

const M: SpellModel = FITTED.spelling;
const n = normalize;

describe('the spelling model', () => {
  // Distinct prices, any two dearer than any one, so that each edit's kind shows in the cost.
  const cost = { dropped: 10, doubled: 11, inserted: 12, swap: 13, neighbour: 14, hamza: 15, taMarbuta: 16, sound: 19, substituted: 17, article: 18 };

  it('prices each kind of edit by its own cost', () => {
    expect(channelCost(n('ترمب'), n('ترامب'), cost)).toBe(cost.dropped);
    expect(channelCost(n('تراامب'), n('ترامب'), cost)).toBe(cost.doubled);
    expect(channelCost(n('تارمب'), n('ترامب'), cost)).toBe(cost.swap);
    expect(neighbouringKeys('م', 'ن')).toBe(true);
    expect(channelCost(n('ترانب'), n('ترامب'), cost)).toBe(cost.neighbour);
    expect(channelCost(n('مسءول'), n('مسؤول'), cost)).toBe(cost.hamza);
    expect(channelCost(n('مدرست'), n('مدرسة'), cost)).toBe(cost.taMarbuta);
    expect(channelCost(n('بيه'), n('بيت'), cost)).toBe(cost.taMarbuta);
    // Only at the end, where a ta marbuta is written: inside a word ت for ه is any letter.
    expect(channelCost(n('يتدفون'), n('يهدفون'), cost)).toBe(cost.substituted);
    expect(channelCost(n('مهتم'), n('متتم'), cost)).toBe(cost.substituted);
    // Letters speech merges (ذ → ز, ض → ظ), priced as such when cheaper than a substitution.
    const sound = { ...cost, sound: 9 };
    expect(channelCost(n('الاظطراب'), n('الاضطراب'), sound)).toBe(sound.sound);
    expect(channelCost(n('لمازا'), n('لماذا'), sound)).toBe(sound.sound);
    expect(channelCost(n('لمازا'), n('لماذا'), cost)).toBe(cost.substituted);
    expect(channelCost(n('لماكا'), n('لماذا'), sound)).toBe(sound.substituted);
    expect(channelCost(n('امانيا'), n('ألمانيا'), cost)).toBe(cost.article);
    expect(channelCost(n('مانيا'), n('ألمانيا'), cost)).toBe(cost.article);
    expect(channelCost(n('ترامب'), n('ترامب'), cost)).toBe(0);
  });

  it('keeps a correctly spelt rare word the archive holds, even beside a far commoner one', () => {
    // In 2 articles as typed; one letter more than a word in 3,000 (the والنصار, والنصر).
    const typed = { norm: n('والنصار'), df: 2, stemDf: 2, behindDf: 0, docCount: 40_000 };
    const [best] = rankReadings(typed, [{ word: n('والنصر'), df: 3000 }], M);
    expect(verdict(best!.margin, M)).not.toBe('replace');
  });

  it('reads an unknown word with a dropped letter as the common word it lacks a letter of', () => {
    const typed = { norm: n('ماكرن'), df: 0, stemDf: 0, behindDf: 0, docCount: 40_000 };
    const [best] = rankReadings(typed, [{ word: n('ماكرون'), df: 900 }, { word: n('ماكر'), df: 3 }], M);
    expect(best!.word).toBe(n('ماكرون'));
    expect(verdict(best!.margin, M)).toBe('replace');
  });

  it('counts the word as typed as a candidate: itself, it has no margin', () => {
    const typed = { norm: n('الحسبة'), df: 40, stemDf: 40, behindDf: 0, docCount: 40_000 };
    const [self] = rankReadings(typed, [{ word: typed.norm, df: 40 }], M);
    expect(self!.margin).toBeCloseTo(0, 9);
    expect(verdict(self!.margin, M)).toBe('keep');
  });
});

describe('the fitted parameters (fitted.ts)', () => {
  it('give every edit kind a finite cost in its range, and a replace margin above the offer margin', () => {
    for (const k of EDIT_KINDS) {
      expect(Number.isFinite(M.cost[k])).toBe(true);
      expect(M.cost[k]).toBeGreaterThanOrEqual(0);
      expect(M.cost[k]).toBeLessThanOrEqual(15);
    }
    expect(Object.keys(M.cost).sort()).toEqual([...EDIT_KINDS].sort());
    expect(M.prior).toBeGreaterThan(0);
    expect(M.unseen).toBeGreaterThan(0);
    expect(M.stemShare).toBeGreaterThanOrEqual(0);
    expect(M.proclitic).toBeGreaterThanOrEqual(0);
    expect(M.proclitic).toBeLessThanOrEqual(1);
    expect(M.replace).toBeGreaterThan(M.offer);
  });

  it('name only ranking options that exist, with numbers, and are what search() uses', () => {
    const known = Object.keys(DEFAULT_OPTIONS.ranking);
    for (const [k, v] of Object.entries(FITTED.ranking)) {
      expect(known).toContain(k);
      if (k === 'headModel') continue; // the trees: the next test
      expect(typeof v).toBe('number');
      expect(v).toBeGreaterThanOrEqual(0);
      expect(DEFAULT_OPTIONS.ranking[k as keyof typeof DEFAULT_OPTIONS.ranking]).toBe(v);
    }
    expect(DEFAULT_OPTIONS.spelling.model).toBe(FITTED.spelling);
  });

  it('ship head-model trees that read known features and end every path in a leaf', () => {
    const model = FITTED.ranking.headModel;
    if (!model) return expect(DEFAULT_OPTIONS.ranking.headModel).toBeUndefined();
    expect(DEFAULT_OPTIONS.ranking.headModel).toBe(model);
    expect(model.features.length).toBeGreaterThan(0);
    for (const f of model.features) expect(HEAD_FEATURES).toContain(f);
    expect(model.trees.length).toBeGreaterThan(0);
    for (const t of model.trees) {
      expect(t.length % 4).toBe(0);
      // Every node is reached from the root once, children after their parent, and leaves hold finite values.
      const reached = new Set<number>([0]);
      for (let n = 0; n < t.length / 4; n++) {
        expect(reached.has(n)).toBe(true);
        const [f, v, l, r] = t.slice(4 * n, 4 * n + 4) as [number, number, number, number];
        expect(Number.isFinite(v)).toBe(true);
        if (f < 0) continue;
        expect(f).toBeLessThan(model.features.length);
        for (const c of [l, r]) {
          expect(c).toBeGreaterThan(n);
          expect(c).toBeLessThan(t.length / 4);
          expect(reached.has(c)).toBe(false);
          reached.add(c);
        }
      }
    }
  });
});

describe('the spelling fit\'s steps', () => {
  const found = (ones: number, n = 400) => Uint8Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0));
  const at = (ones: number, penalty = 0) => ({ found: found(ones), penalty, objective: ones / 400 - penalty });
  it('counts the cases a step fixes and breaks, case by case', () => {
    const base = Uint8Array.from([1, 1, 0, 0, 1]);
    expect(flips(base, Uint8Array.from([1, 0, 1, 1, 1]))).toEqual({ fixed: 2, broken: 1 });
  });
  it('keeps a step only when the typos it fixes outnumber those it breaks beyond noise', () => {
    // 2 fixed, none broken: 2 < 1.96 × √2 = 2.77, noise; 3 fixed: 3 ≥ 1.96 × √3 = 3.39? no; 4 fixed: 4 ≥ 3.92.
    expect(accepts(at(100), at(102))).toBe(false);
    expect(accepts(at(100), at(103))).toBe(false);
    expect(accepts(at(100), at(104))).toBe(true);
    // The same net gain made of many flips either way is noise: 20 fixed, 16 broken.
    const mixed = found(100);
    for (let i = 100; i < 120; i++) mixed[i] = 1;
    for (let i = 0; i < 16; i++) mixed[i] = 0;
    expect(accepts(at(100), { found: mixed, penalty: 0, objective: 104 / 400 })).toBe(false);
    // A lower objective is never taken, however the cases flip.
    expect(accepts(at(100), { ...at(104), objective: 0 })).toBe(false);
  });
  it('notes a fit of some parameters beside the note of the fit that set the others, in fitted.ts', () => {
    const previous = fittedNote('spelling');
    expect(previous).toMatch(/^coordinate ascent on the fit half/);
    const score = { typo: 0.727, rare: 0, harmed: 0.0009, unseen: 0.087 };
    const some = spellingFitNote({ seed: 42, fitParams: ['proclitic'], score, previous, date: '2026-12-06' });
    expect(some.startsWith(previous)).toBe(true);
    expect(some).toMatch(/Then, 2026-12-06, proclitic moved alone \(`--fit-params`, the others held\).*typos .* 72\.7 %.*answered as another word \(replaced, or another's article first\) 8\.7 %\.$/);
    const whole = spellingFitNote({ seed: 42, fitParams: [], score, previous, date: '2026-12-06' });
    expect(whole).not.toContain(previous);
    expect(whole).toMatch(/^coordinate ascent on the fit half .* then `context` and `cooccur` by grids/);
    // The note is one line of fitted.ts's header.
    expect(some).not.toContain('\n');
  });

  it('weighs each case as the objective does: a few unseen words stood can outweigh more typos lost', () => {
    // 1,000 typos (1/1,000 each) and 100 unseen words (1/100 each). A step that breaks 10 typos
    // and lets 8 unseen words stand: −0.010 + 0.080, z = 0.07 / √(10e-6 + 8e-4) = 2.46: taken,
    // where counting cases alike (8 fixed, 10 broken) refused it. 5 words: z = 1.77, noise.
    const weight = Float64Array.from({ length: 1100 }, (_, i) => (i < 1000 ? 1 / 1000 : 1 / 100));
    const base = new Uint8Array(1100).fill(1, 0, 500);
    const step = (stood: number) => {
      const f = Uint8Array.from(base);
      f.fill(0, 0, 10);
      f.fill(1, 1000, 1000 + stood);
      return { found: f, weight, penalty: 0, objective: 0.5 - 0.01 + stood / 100 };
    };
    expect(accepts({ found: base, penalty: 0, objective: 0.5 }, step(8))).toBe(true);
    expect(accepts({ found: base, penalty: 0, objective: 0.5 }, { ...step(8), weight: undefined })).toBe(false);
    expect(accepts({ found: base, penalty: 0, objective: 0.5 }, step(5))).toBe(false);
  });
  it('takes a step back within a margin unless it loses typos beyond noise', () => {
    // Lowering the penalty with no typo changed, or 3 broken (3 < 3.39): kept; 4 broken: not.
    expect(accepts(at(100, 0.05), at(100))).toBe(true);
    expect(accepts(at(100, 0.05), at(97))).toBe(true);
    expect(accepts(at(100, 0.05), at(96))).toBe(false);
  });
});

describe('cross-validation', () => {
  const question = (qid: string, group: string, relevant: string, ids: string[]): FitQuestion => ({
    qid,
    group,
    relevant: new Set([relevant]),
    cands: ids.map((id, i) => ({ id, doc: i, exact: 1, logBm25: -i, logCoverage: 0, titleAll: 0, named: 0, shares: { closeness: 0, adjacency: 0, surface: 0, form: 0 } })),
  });
  const qs = Array.from({ length: 40 }, (_, i) => question(`q${i}`, `passage${i % 13}`, 'a', ['a', 'b', 'c']));

  it('never puts one passage\'s questions (nor one question) in two folds', () => {
    const fold = folds(qs, 5, 1);
    expect(fold).toHaveLength(qs.length);
    const foldOfGroup = new Map<string, number>();
    qs.forEach((q, i) => {
      expect(foldOfGroup.get(q.group) ?? fold[i]).toBe(fold[i]);
      foldOfGroup.set(q.group, fold[i]!);
    });
    expect(new Set(fold).size).toBe(5);
  });

  it('scores each question with weights fitted on the other folds only', () => {
    const fold = folds(qs, 5, 1);
    const { rr, weights } = outOfFold(qs, fold, 5, weightsOf(DEFAULT_OPTIONS.ranking), 10);
    expect(weights).toHaveLength(5);
    expect(rr).toHaveLength(qs.length);
    expect(rr.every((x) => x === 1)).toBe(true); // the relevant doc leads every pool
  });
});

describe('the typo generator', () => {
  it('makes each kind of typo, seeded, never on the first letter, and never a no-op to the analyzer', () => {
    for (const kind of [...TYPO_KINDS, ...EXTRA_TYPO_KINDS]) {
      const word = kind === 'hamza' ? 'المسؤولين' : kind === 'taMarbuta' ? 'المدرسة' : 'الاقتصادية';
      const a = makeTypo(word, kind, mulberry32(3));
      expect(a, kind).toBeDefined();
      expect(a).toBe(makeTypo(word, kind, mulberry32(3)));
      expect(n(a!)).not.toBe(n(word));
      if (kind !== 'article') expect(a!.slice(0, 3)).toBe(word.slice(0, 3));
    }
  });

  it('puts the kinds added since after the others, so earlier runs\' outcomes line up', () => {
    const word = (surface: string): DrawnWord => ({ surface, norm: n(surface), df: 10, band: '5–20', half: 'fit' });
    const cases = typoCases([word('الاقتصادية'), word('المظاهرات')], 7);
    const kinds = cases.map((c) => c.kind);
    expect(kinds.slice(-4)).toEqual(['sound', 'sound', 'substituted', 'substituted']);
    expect(kinds.slice(0, -4).every((k) => (TYPO_KINDS as readonly string[]).includes(k))).toBe(true);
  });

  it('substitutes, for `substituted`, a letter the model prices as no other edit kind', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const word = 'الاقتصادية';
      const typo = makeTypo(word, 'substituted', mulberry32(seed))!;
      const at = [...typo].findIndex((ch, i) => ch !== word[i]);
      expect(typo).toHaveLength(word.length);
      expect(substitutionKinds(n(word[at]!), n(typo[at]!)), `${word} → ${typo}`).toEqual(['substituted']);
    }
  });
});

describe('the known-item test\'s tanween rewriting', () => {
  const tanween = VARIANTS.find((v) => v.name === 'tanween')!;
  const words = new Map([['رسوم', 40], ['رسوما', 10], ['شخص', 30], ['شخصا', 30], ['كندا', 50], ['كند', 2], ['ساما', 3]]);
  it('leaves out the accusative alef where the archive writes the plain form at least as often', () => {
    expect(tanween.apply('الصين تفرض رسوما جمركية', mulberry32(1), words)).toBe('الصين تفرض رسوم جمركية');
    expect(tanween.apply('مقتل 26 شخصا', mulberry32(1), words)).toBe('مقتل 26 شخص');
  });
  it('leaves a name ending in ا, a long vowel\'s or a pronoun\'s alef, the article, and every word without the archive\'s counts', () => {
    for (const q of ['زيارة إلى كندا', 'تقرير ساما', 'قالوا إنها', 'سوريا اليوم', 'عملها الجديد', 'الدراما']) expect(tanween.apply(q, mulberry32(1), words), q).toBe(q);
    expect(tanween.apply('الصين تفرض رسوما جمركية', mulberry32(1))).toBe('الصين تفرض رسوما جمركية');
  });
});

describe('the dev questions\' misspelling labels', () => {
  it('name a misspelt word with the words meant, normalized as queries are', () => {
    const labels = readMisspellings();
    expect(labels.size).toBeGreaterThan(20);
    expect(labels.get(n('اسنخدم'))).toEqual([n('استخدم')]);
    // A glued pair means its content words: «ما اسم» is اسم.
    expect(labels.get(n('ماسم'))).toEqual([n('اسم')]);
    for (const [word, meant] of labels) expect(meant, word).not.toContain(word);
    // The words judged correctly spelt are labelled too, never both ways.
    const correct = readCorrectlySpelt();
    expect(correct.has(n('مختزن'))).toBe(true);
    expect([...correct].filter((w) => labels.has(w))).toEqual([]);
  });

  it('pair two runs\' question words question by question, leaving out questions split differently', () => {
    // Question 1 lost a word to the stop list between the runs: its words are not paired.
    const mine = [0, 0, 1, 2, 2];
    const theirs = [0, 0, 1, 1, 2, 2];
    expect([...alignByQuestion(mine, theirs)]).toEqual([[0, 0], [1, 1], [3, 4], [4, 5]]);
  });
});

describe('the typos in context (the context fit\'s set)', () => {
  const words = ['الحكومة', 'تعلن', 'خطة', 'جديدة', 'لدعم', 'الاقتصاد', 'الوطني', 'المغربية', 'الانتخابات', 'البرلمانية'];
  const docs = Array.from({ length: 400 }, (_, i) => ({
    id: `ant-${i}`,
    title: `${words[i % words.length]} ${words[(i * 3 + 1) % words.length]} ${words[(i * 7 + 2) % words.length]} ${words[(i + 5) % words.length]} رقم${i}`,
    body: '',
  }));
  const exclude = new Set(['ant-1', 'ant-2', 'ant-3']);
  const set = contextTypos(docs, 42, exclude, 200);

  it('leaves out the known-item test\'s titles and puts one typo in one of the first four words', () => {
    expect(set.length).toBeGreaterThan(150);
    for (const c of set) {
      expect(exclude.has(c.target)).toBe(false);
      const typed = c.q.split(' ');
      const clean = c.clean.split(' ');
      expect(typed).toHaveLength(clean.length);
      expect(typed.filter((w, i) => w !== clean[i])).toHaveLength(1);
    }
  });

  it('splits the set in two halves, the same on every run', () => {
    const fit = set.filter((c) => c.half === 'fit').length;
    expect(fit).toBeGreaterThan(set.length * 0.35);
    expect(fit).toBeLessThan(set.length * 0.65);
    expect(contextTypos(docs, 42, exclude, 200)).toEqual(set);
  });
});

describe('where QA answers are lost', () => {
  const docs: EvalDoc[] = [
    { id: 'iraq:0', title: 'العراق', body: 'العراق دولة عربية', dataset: 'arcd' },
    { id: 'iraq:1', title: 'العراق', body: 'العراق دولة عربية يحده من الغرب الأردن', dataset: 'arcd' },
    { id: 'syria:0', title: 'سوريا', body: 'سوريا دولة', dataset: 'arcd' },
    { id: 'news-1', title: 'الحدود', body: 'خبر عن الحدود' },
  ];
  const q = (relevant: string, lenient: string[] = []): Question => ({ qid: relevant, query: 'ما الدول التي تحد العراق من الغرب', relevantIds: [relevant], relevantIdsLenient: [relevant, ...lenient], dataset: 'arcd' });
  const questions = [q('iraq:1'), q('iraq:1'), q('iraq:1', ['iraq:0']), q('iraq:1'), q('iraq:1'), q('iraq:1')];
  const rankings = [
    ['iraq:1', 'news-1'], // first: no loss
    ['iraq:0', 'iraq:1'], // a sibling first, the passage second
    ['iraq:0', 'news-1', 'iraq:1'], // first holds the answer too: lenient
    ['syria:0'], // another article's passage, the passage missed
    ['news-1', 'x', 'y', 'iraq:1'], // news first, the passage fourth
    [], // nothing found
  ];

  it('name what ranks first instead, and what each question costs', () => {
    expect(qaLosses(questions, rankings, docs)).toEqual([
      undefined,
      { kind: 'another passage of the same article', found: true, lost: 0.5 },
      { kind: 'a passage holding the answer (lenient)', found: true, lost: 1 - 1 / 3 },
      { kind: 'a passage of another article', found: false, lost: 1 },
      { kind: 'a news article', found: true, lost: 0.75 },
      { kind: 'nothing', found: false, lost: 1 },
    ]);
  });

  it('add the losses up to what MRR@10 falls short of 1', () => {
    const md = qaLossesMarkdown(questions, [{ name: 'sys', rankings }], docs);
    const mrr = rankings.map((r, i) => { const at = r.slice(0, 10).indexOf(questions[i]!.relevantIds[0]!); return at < 0 ? 0 : 1 / (at + 1); }).reduce((a, b) => a + b, 0) / questions.length;
    const all = md.split('\n').find((l) => l.includes('**all**'))!;
    expect(Number(all.split('|')[5])).toBeCloseTo(1 - mrr, 4);
    expect(all).toMatch(/\| 3 \| 2 \|/); // lower 3, missed 2
  });
});
