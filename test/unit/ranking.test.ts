/**
 * The signals read from the top results' text: closeness of the query's words, and the
 * query's own surface form (hamza, harakat). On a crafted archive where everything else ties,
 * so that only the signal under test can order the results.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntries } from '../archives';
import { buildIndex } from '../../src/indexer/build-index';
import { search as searchWith } from '../../src/core/search/search';
import type { SpellModel } from '../../src/core/search/spell-model';
import { HAND_SET_RANKING, searchOptions, type OptionOverrides, type SearchOptions } from '../../src/core/search/options';
import { editDistance, letterSet, popcount } from '../../src/core/search/text-distance';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { findHits, Matcher, snippet, type WordIndex } from '../../src/core/search/snippet';
import { signature } from '../../src/core/search/matcher';
import { adjacency } from '../../src/core/search/rerank/adjacency';
import { closeness } from '../../src/core/search/rerank/closeness';
import { titleStart, titleStartFeature } from '../../src/core/search/rerank/title-start';
import { FEATURES, heldWords, rerankQuery, type RerankText } from '../../src/core/search/rerank';
import { parseQuery } from '../../src/core/search/query';
import { stems, tokenize } from '../../src/core/analyzer/index';
import { MemorySource, ReadStats } from '../../src/core/search/source';
import { spellingRank } from '../../src/core/format/layout';
import { surfaceKey, surfaceShare } from '../../src/core/search/rerank/surface';
import { formShare, wordForms } from '../../src/core/search/rerank/form';
import { LEXICON_LIST_CHARS } from '../../src/core/search/budget';
import { planQuery } from '../../src/core/search/plan';
import { lexiconLookups, typoLookups } from '../../src/core/search/spell';
import { releaseScratch, scratchDocs } from '../../src/core/search/match';
import { BLOCK, Scratch, scoreWords, type ScoredBlock } from '../../src/core/search/score';
import { groupsOf } from '../../src/core/search/terms';
import type { LoadedTerm } from '../../src/core/search/archive';
import type { Correction, TermGroups } from '../../src/core/search/types';
import { knownWordIndex } from '../../src/core/search/hits';
import { fitReserves } from '../../src/core/search/spell-context';
import { headScore, reorderHead, type HeadModel } from '../../src/core/search/head-model';

/**
 * The mechanisms are pinned with fixed numbers, not with what the last fit shipped (fitted.ts,
 * measured in docs/relevance.md): the hand-set weights, and a spelling model with round
 * parameters that the small counts of this archive can show every decision with.
 */
const RANKING = HAND_SET_RANKING;
const TEST_MODEL: SpellModel = {
  prior: 1,
  cost: { dropped: 2, doubled: 2, inserted: 3, swap: 2, neighbour: 2, hamza: 1, taMarbuta: 1, sound: 3, substituted: 3, article: 1.5 },
  unseen: 1e-6,
  stemShare: 0.0001,
  proclitic: 0,
  short: 0,
  replace: 4,
  offer: 2,
  context: 3,
  cooccur: 0,
};
const BASE: SearchOptions = searchOptions({ ranking: RANKING, spelling: { model: TEST_MODEL } });
const search = (i: Archive, p: Parameters<typeof searchWith>[1], stats = new ReadStats(), o: SearchOptions = BASE) => searchWith(i, p, stats, o);

const FILLER = 'وأضاف المتحدث في بيان صحفي صدر اليوم أن اللجنة المختصة تتابع العمل على تنفيذ الخطة المعلنة منذ أشهر عدة مع الشركاء المحليين والدوليين';

let dir = '';
let index: Archive;
let values: Map<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bahth-rank-'));
  // Newer articles win ties (lower doc numbers): the one the signal should lift is the older.
  const rows = [
    { id: 'far', title: 'تقرير المدينة', body: `النهر ${FILLER} الجسر`, date: '2024-05-02' },
    { id: 'near', title: 'تقرير المدينة', body: `${FILLER} النهر الجسر`, date: '2024-05-01' },
    { id: 'amin', title: 'تقرير الوضع', body: `قال التقرير إن الوضع آمن في المدينة ${FILLER}`, date: '2024-04-02' },
    { id: 'amn', title: 'تقرير الوضع', body: `قال التقرير إن الوضع أمن في المدينة ${FILLER}`, date: '2024-04-01' },
    // The same four title words, one title beginning with them in the query's order.
    { id: 'tariffs-start', title: 'الصين تفرض رسوما جمركية', body: FILLER, date: '2024-03-01' },
    { id: 'tariffs-mixed', title: 'تفرض الصين جمركية رسوما', body: FILLER, date: '2024-03-02' },
    { id: 'crossing-start', title: 'احباط محاولة عبور سرية في الشمال', body: FILLER, date: '2024-03-03' },
    { id: 'crossing-apart', title: 'احباط في الشمال محاولة عبور سرية', body: FILLER, date: '2024-03-04' },
  ];
  // A name the archive spells right 150 times and wrong once; another right 20 times, wrong once.
  for (let i = 0; i < 150; i++) rows.push({ id: `pompeo-${i}`, title: `بومبيو يزور العاصمة ${i}`, body: `وصل بومبيو إلى العاصمة في زيارة رقم ${i}`, date: '2023-01-01' });
  rows.push({ id: 'pompeo-typo', title: 'بومبو يزور العاصمة', body: 'وصل بومبو إلى العاصمة', date: '2023-01-02' });
  // ... and once only behind a proclitic (لبومبيو).
  rows.push({ id: 'pompeo-clitic', title: 'رسالة من الوزير', body: 'نقل الوزير رسالة لبومبيو', date: '2023-01-03' });
  for (let i = 0; i < 20; i++) rows.push({ id: `tillerson-${i}`, title: `تيلرسون في جولة ${i}`, body: `بدأ تيلرسون جولة رقم ${i}`, date: '2022-01-01' });
  rows.push({ id: 'tillerson-typo', title: 'تيلرسن في جولة', body: 'بدأ تيلرسن جولة', date: '2022-01-02' });
  // A five-letter name and a four-letter word one letter short of it; a name with the article
  // beside a commoner word without it, both one edit from السيطي.
  for (let i = 0; i < 40; i++) rows.push({ id: `trump-${i}`, title: `ترامب يلتقي الوفد ${i}`, body: `قال ترامب في لقاء رقم ${i}`, date: '2021-01-01' });
  rows.push({ id: 'tram', title: 'خط ترام جديد', body: 'افتتح خط ترام جديد في المدينة', date: '2021-01-02' });
  rows.push({ id: 'tampi', title: 'زيارة إلى تامبي', body: 'وصل الوفد إلى مدينة تامبي', date: '2021-01-03' }); // stem تامب
  for (let i = 0; i < 9; i++) rows.push({ id: `city-${i}`, title: `سيتي يفوز ${i}`, body: `فاز فريق سيتي في مباراة رقم ${i}`, date: '2020-01-01' });
  for (let i = 0; i < 4; i++) rows.push({ id: `sisi-${i}`, title: `السيسي يستقبل الوفد ${i}`, body: `استقبل السيسي الوفد رقم ${i}`, date: '2020-01-02' });
  // Readings of مثيزة one edit away, two of them one stem (مثيرة, المثيرة): the fourth reading
  // still counts, and finds the one article that also has the query's other word.
  // A short stem in common use (القمة → قم) and a 5-letter word one letter from للقم (للقمر → قمر).
  for (let i = 0; i < 12; i++) rows.push({ id: `summit-${i}`, title: `انطلاق القمة ${i}`, body: `بدأت أعمال القمة رقم ${i}`, date: '2019-03-01' });
  for (let i = 0; i < 4; i++) rows.push({ id: `moon-${i}`, title: `رحلة للقمر ${i}`, body: `تستعد الوكالة لرحلة للقمر رقم ${i}`, date: '2019-03-02' });
  // The same story three times: on the archive's newest day, ten years before it, and with no date.
  rows.push({ id: 'qantara-new', title: 'قنطرة الوادي', body: 'افتتحت قنطرة الوادي الجديدة', date: '2024-05-02' });
  rows.push({ id: 'qantara-old', title: 'قنطرة الوادي', body: 'افتتحت قنطرة الوادي الجديدة', date: '2014-05-02' });
  rows.push({ id: 'qantara-undated', title: 'قنطرة الوادي', body: 'افتتحت قنطرة الوادي الجديدة' } as (typeof rows)[number]);
  for (let i = 0; i < 30; i++) rows.push({ id: `office-${i}`, title: `اجتماع المكتب ${i}`, body: `عقد المكتب اجتماعه رقم ${i}`, date: '2019-04-01' });
  for (let i = 0; i < 10; i++) rows.push({ id: `team-${i}`, title: `فوز المنتخب ${i}`, body: `فاز المنتخب في المباراة رقم ${i} بعد قرار المكتب`, date: '2019-04-02' });
  for (let i = 0; i < 5; i++) rows.push({ id: `germany-${i}`, title: `ألمانيا تستضيف القمة ${i}`, body: `تستضيف ألمانيا اجتماع القمة رقم ${i}`, date: '2019-02-01' });
  for (let i = 0; i < 8; i++) rows.push({ id: `exciting-${i}`, title: `مباراة مثيرة ${i}`, body: `كانت المباراة مثيرة جدا والنتيجة المثيرة ${i}`, date: '2019-01-01' });
  for (let i = 0; i < 7; i++) rows.push({ id: `feature-${i}`, title: `ميزة جديدة ${i}`, body: `أضاف التطبيق ميزة رقم ${i}`, date: '2019-01-02' });
  for (let i = 0; i < 6; i++) rows.push({ id: `distinct-${i}`, title: `خدمة مميزة ${i}`, body: `قدم الفندق خدمة مميزة رقم ${i}`, date: '2019-01-03' });
  rows.push({ id: 'distinct-telecom', title: 'عروض مميزة', body: 'أطلقت شركة الاتصالات عروضا مميزة', date: '2019-01-04' });
  // A typo that makes another real word: الجزار (butcher, in 4 articles) typed for الجزائر.
  // One article has the query's other words with الجزائر; the butcher's articles have two of
  // them with the rare word, which outweighs them as typed.
  rows.push({ id: 'algeria-cup', title: 'الجزائر تتوج بالبطولة الافريقية', body: 'توج منتخب الجزائر بالبطولة الافريقية بعد فوزه في النهائي', date: '2018-05-01' });
  for (let i = 0; i < 45; i++) rows.push({ id: `algeria-${i}`, title: `الجزائر تعلن خطة ${i}`, body: `أعلنت الجزائر خطة رقم ${i}`, date: '2018-04-01' });
  for (let i = 0; i < 4; i++) rows.push({ id: `butcher-${i}`, title: `الجزار بالبطولة الافريقية ${i}`, body: `فاز الجزار بالبطولة الافريقية للحوم في السوق ${i}`, date: '2018-06-01' });
  for (let i = 0; i < 6; i++) rows.push({ id: `league-${i}`, title: `بطولة الدوري ${i}`, body: `انطلقت البطولة التي تتوج الفائز رقم ${i}`, date: '2018-03-01' });
  // Five-letter words with the article, typed a letter short (السة, الين for السلة, اليمن); الين
  // is also a word in use (the yen), found with one of the query's words.
  for (let i = 0; i < 5; i++) rows.push({ id: `basket-${i}`, title: `كرة السلة ${i}`, body: `فاز فريق السلة في المباراة ${i}`, date: '2017-01-01' });
  rows.push({ id: 'yemen-raid', title: 'قتلى في غارات على اليمن', body: 'سقط قتلى في غارات جوية على اليمن', date: '2017-02-01' });
  for (let i = 0; i < 30; i++) rows.push({ id: `yemen-${i}`, title: `اليمن يستعد ${i}`, body: `قال مسؤول في اليمن ${i}`, date: '2017-02-02' });
  for (let i = 0; i < 8; i++) rows.push({ id: `killed-${i}`, title: `سقوط قتلى ${i}`, body: `سقط قتلى في حادث ${i}`, date: '2017-02-03' });
  for (let i = 0; i < 3; i++) rows.push({ id: `yen-${i}`, title: `الين يتراجع بعد غارات ${i}`, body: `تراجع الين بعد غارات الأسواق ${i}`, date: '2017-03-01' });
  // A word typed in a form no article holds (طيرين for طيارين) whose stem other forms share
  // (طير, of الطيران): the query's words meet, through that stem, in articles about flights.
  rows.push({ id: 'pilots-crash', title: 'مقتل طيارين روسيين بتحطم مروحية', body: 'أعلنت موسكو مقتل طيارين روسيين بتحطم مروحية عسكرية', date: '2016-02-01' });
  rows.push({ id: 'pilots-back', title: 'عودة طيارين من المهمة', body: 'عاد طيارين إلى القاعدة', date: '2016-02-02' });
  for (let i = 0; i < 5; i++) rows.push({ id: `flights-${i}`, title: `رحلات الطيران تعود ${i}`, body: `قال مسؤول إن رحلات الطيران تعود بعد مقتل سياح روسيين بتحطم حافلة ${i}`, date: '2016-02-03' });
  // An unknown word (التوجعات) one edit from a common word by a neighbouring key (التوجهات,
  // trends: 30 articles) and from a rarer one by a far letter (التوقعات, forecasts: 6), which
  // every article with the query's other word (الجوية) about forecasts holds.
  for (let i = 0; i < 30; i++) rows.push({ id: `trends-${i}`, title: `التوجهات السياسية ${i}`, body: `ناقش المؤتمر التوجهات السياسية رقم ${i}`, date: '2016-03-01' });
  for (let i = 0; i < 6; i++) rows.push({ id: `forecast-${i}`, title: `التوقعات الجوية ${i}`, body: `تشير التوقعات الجوية إلى أمطار رقم ${i}`, date: '2016-03-02' });
  for (let i = 0; i < 5; i++) rows.push({ id: `airline-${i}`, title: `الخطوط الجوية ${i}`, body: `أعلنت الخطوط الجوية رحلة رقم ${i}`, date: '2016-03-03' });
  // A real word (انفجر, 4 articles) typed for one only twice as common (انفجار): searched, not offered.
  rows.push({ id: 'blast-old-city', title: 'انفجار عبوة في المدينة القديمة', body: 'وقع انفجار عبوة في المدينة القديمة صباحا', date: '2016-01-01' });
  for (let i = 0; i < 7; i++) rows.push({ id: `blast-${i}`, title: `انفجار في المصنع ${i}`, body: `وقع انفجار في المصنع رقم ${i}`, date: '2016-01-02' });
  for (let i = 0; i < 4; i++) rows.push({ id: `burst-${i}`, title: `انفجر الموقف في القديمة ${i}`, body: `انفجر الموقف في الحي القديمة رقم ${i}`, date: '2016-01-03' });
  // An article whose whole title the question names, and a newer news story with the question's
  // words more often and in its title.
  rows.push({ id: 'swiss-article', title: 'سويسرا', body: 'دولة في وسط أوروبا تقع عاصمة البلاد في برن', date: '2015-01-01' });
  rows.push({ id: 'swiss-news', title: 'رئيس سويسرا يزور المعرض', body: 'قال رئيس سويسرا إن البلاد ستشارك في المعرض الذي يقام في عاصمة سويسرا', date: '2015-01-02' });
  // A typo one edit from two words (سرمان: سلمان, سرطان), one of them a whole title.
  for (let i = 0; i < 10; i++) rows.push({ id: `salman-${i}`, title: `سلمان يستقبل الوفد ${i}`, body: `استقبل سلمان الوفد رقم ${i}`, date: '2014-01-01' });
  rows.push({ id: 'cancer-article', title: 'سرطان', body: 'سرطان مرض تنمو فيه الخلايا وتنتشر', date: '2014-01-02' });
  for (let i = 0; i < 3; i++) rows.push({ id: `cancer-news-${i}`, title: `حملة للتوعية بمرض سرطان الثدي ${i}`, body: 'أطلقت الوزارة حملة للتوعية', date: '2014-01-03' });
  // One word in two house styles (مسؤول, Egyptian مسئول), and a name that رؤوس with its hamza on
  // yeh would fold onto (ريوس).
  for (let i = 0; i < 5; i++) rows.push({ id: `official-waw-${i}`, title: `وفد الشؤون الخارجية ${i}`, body: `قال مسؤول في وزارة الشؤون رقم ${i}`, date: '2013-01-01' });
  for (let i = 0; i < 2; i++) rows.push({ id: `official-yeh-${i}`, title: `وفد الشئون الخارجية ${i}`, body: `قال مسئول في وزارة الشئون رقم ${i}`, date: '2013-01-02' });
  rows.push({ id: 'heads', title: 'قطع رؤوس الأشجار', body: 'قطع العمال رؤوس الأشجار في الحديقة', date: '2013-01-03' });
  rows.push({ id: 'reus', title: 'ريوس يسجل هدفا', body: 'سجل ريوس هدفا في المباراة', date: '2013-01-04' });
  // A compound name written apart and as one word, by different writers.
  for (let i = 0; i < 3; i++) rows.push({ id: `razzaq-apart-${i}`, title: `عبد الرزاق يزور المعرض ${i}`, body: `قال عبد الرزاق في المعرض ${i}`, date: '2012-01-01' });
  for (let i = 0; i < 2; i++) rows.push({ id: `razzaq-one-${i}`, title: `عبدالرزاق يزور المعرض ${i}`, body: `قال عبدالرزاق في المعرض ${i}`, date: '2012-01-02' });
  rows.push({ id: 'razzaq-named', title: 'عبد الرزاق الفاضل', body: 'عبد الرزاق الفاضل سياسي ولد في المدينة', date: '2012-01-03' });
  rows.push({ id: 'razzaq-news', title: 'عبدالرزاق الفاضل يلتقي الوفد', body: 'قال عبدالرزاق الفاضل إن اللقاء مع الوفد كان مثمرا', date: '2012-01-05' });
  rows.push({ id: 'razzaq-other', title: 'عبد الكريم في السوق', body: `قال عبد الكريم في السوق ${FILLER} ثم زار مصنع الرزاق`, date: '2012-01-04' });
  // A word in the title and the body, in the title only, in the body only (same title and body
  // lengths, the word in the same places).
  rows.push({ id: 'volcano-both', title: 'بركان الجزيرة', body: 'ثار بركان في الجزيرة صباحا', date: '2011-01-01' });
  rows.push({ id: 'volcano-title', title: 'بركان الجزيرة', body: 'ثار جبل في الجزيرة صباحا', date: '2011-01-01' });
  rows.push({ id: 'volcano-body', title: 'تقرير الجزيرة', body: 'ثار بركان في الجزيرة صباحا', date: '2011-01-01' });
  // The same short body that says the word three times, under two long titles of one length:
  // one has the word near its end, the other not.
  rows.push({ id: 'crater-title', title: 'تقرير مطول عن جزيرة نائية بعيدة عن الساحل الجنوبي ثار فيها بركان', body: 'بركان ثار ثم بركان ثم بركان', date: '2011-01-02' });
  rows.push({ id: 'crater-plain', title: 'تقرير مطول عن جزيرة نائية بعيدة عن الساحل الجنوبي ثار فيها جبل', body: 'بركان ثار ثم بركان ثم بركان', date: '2011-01-02' });
  // Names the archive spells right hundreds of times, and spellings one edit off in a few
  // articles: the archive's own typo (ماركون, whose stem مارك is also a name's), a real word
  // (كوشر, kosher) and a real name (مارون, with its surname).
  for (let i = 0; i < 320; i++) rows.push({ id: `macron-${i}`, title: `ماكرون يستقبل الوفد ${i}`, body: `استقبل ماكرون الوفد رقم ${i}`, date: '2010-01-01' });
  for (let i = 0; i < 3; i++) rows.push({ id: `macron-typo-${i}`, title: `ماركون يستقبل الوفد ${i}`, body: `استقبل ماركون الوفد ${i}`, date: '2010-01-02' });
  for (let i = 0; i < 4; i++) rows.push({ id: `mark-${i}`, title: `مارك يفوز بالسباق ${i}`, body: `فاز مارك بالسباق ${i}`, date: '2010-01-03' });
  for (let i = 0; i < 3; i++) rows.push({ id: `maroun-${i}`, title: `مارون بغدادي يعرض فيلمه ${i}`, body: `عرض المخرج مارون بغدادي فيلمه ${i}`, date: '2010-01-04' });
  for (let i = 0; i < 250; i++) rows.push({ id: `kushner-${i}`, title: `كوشنر يلتقي الوفد ${i}`, body: `التقى كوشنر الوفد رقم ${i}`, date: '2009-01-01' });
  for (let i = 0; i < 2; i++) rows.push({ id: `kosher-${i}`, title: `مطعم كوشر جديد ${i}`, body: `افتتح مطعم كوشر جديد ${i}`, date: '2009-01-02' });
  // A name the archive spells right 60 times and wrong 3 times, once beside the right spelling.
  for (let i = 0; i < 60; i++) rows.push({ id: `khamenei-${i}`, title: `خامنئي يلقي كلمة ${i}`, body: `ألقى خامنئي كلمة رقم ${i}`, date: '2008-02-01' });
  rows.push({ id: 'khamenei-typo-both', title: 'خامئني يلقي كلمة', body: 'ألقى خامنئي كلمة في طهران', date: '2008-02-02' });
  for (let i = 0; i < 2; i++) rows.push({ id: `khamenei-typo-${i}`, title: `خطاب في طهران ${i}`, body: `قال خامئني في خطاب ${i}`, date: '2008-02-03' });
  // A name in 4 articles (سيؤول) that no article writes behind و, one edit from a word behind و
  // in 8 (وسيول): وسيؤول typed is the name with و, not a typo.
  for (let i = 0; i < 4; i++) rows.push({ id: `seoul-${i}`, title: `الزعيم يصل إلى سيؤول ${i}`, body: `وصل الزعيم إلى سيؤول ${i}`, date: '2008-04-01' });
  for (let i = 0; i < 8; i++) rows.push({ id: `floods-${i}`, title: `أمطار غزيرة وسيول ${i}`, body: `هطلت أمطار غزيرة وسيول ${i}`, date: '2008-04-02' });
  // A name bare in 3 articles and behind و in 9 (more than twice as often: the marked term is
  // not searched, see behindProclitic).
  for (let i = 0; i < 3; i++) rows.push({ id: `carthage-${i}`, title: `آثار قرطاج ${i}`, body: `زار الوفد قرطاج ${i}`, date: '2008-03-01' });
  for (let i = 0; i < 9; i++) rows.push({ id: `and-carthage-${i}`, title: `تونس وقرطاج ${i}`, body: `زار الوفد تونس وقرطاج ${i}`, date: '2008-03-02' });
  // One stem, two words (المسيح, المسيحية), in otherwise equal articles; the newer wins ties.
  rows.push({ id: 'christ', title: 'كتاب عن المسيح', body: 'تحدث الكاتب عن المسيح في كتابه الجديد', date: '2008-01-01' });
  rows.push({ id: 'christianity', title: 'كتاب عن المسيحية', body: 'تحدث الكاتب عن المسيحية في كتابه الجديد', date: '2008-01-02' });
  // The same, a word in two articles (the typo lexicon's least) and its stem's other form in two.
  for (let i = 0; i < 2; i++) rows.push({ id: `farmer-${i}`, title: `يوم في حياة الفلاح ${i}`, body: `قضى الكاتب يوما مع الفلاح ${i}`, date: '2007-06-01' });
  for (let i = 0; i < 2; i++) rows.push({ id: `farming-${i}`, title: `يوم في حياة الفلاحة ${i}`, body: `قضى الكاتب يوما مع الفلاحة ${i}`, date: '2007-06-02' });
  // A phrase with a one-letter word: written so, with the letter apart, and with it inside a word.
  rows.push({ id: 'vitamin-d', title: 'فوائد فيتامين د للعظام', body: 'ينصح الأطباء بتناول فيتامين د في الشتاء', date: '2007-01-01' });
  rows.push({ id: 'vitamin-apart', title: 'فيتامين للعظام', body: 'فيتامين جديد و د أحمد يشرح فوائده', date: '2007-01-02' });
  rows.push({ id: 'vitamin-dal', title: 'فيتامين دال للعظام', body: 'تناول فيتامين دال يوميا مع د سمير', date: '2007-01-03' });
  // ... and a stop word of a phrase behind و (والتي for التي).
  rows.push({ id: 'stop-behind-waw', title: 'خطة الوزارة', body: 'الخطة والتي أعلنتها الوزارة أمس', date: '2007-01-04' });
  rows.push({ id: 'stop-apart', title: 'خطة الوزارة الثانية', body: 'الخطة التي قالت عنها الوزارة إنها أعلنتها', date: '2007-01-05' });
  // The accusative's alef written without its tanween (رسوما for رسوماً), the plain form in other
  // articles, two otherwise equal articles one form apart, and a name with the article (البابا:
  // no tanween after ال) beside the word it would become (باب).
  rows.push({ id: 'tariff-accusative', title: 'الصين تفرض رسوما جمركية على السيارات', body: 'فرضت الصين رسوما جمركية جديدة على السيارات', date: '2006-01-01' });
  for (let i = 0; i < 5; i++) rows.push({ id: `tuition-${i}`, title: `رسوم التسجيل في الجامعات ${i}`, body: `ارتفعت رسوم التسجيل ${i}`, date: '2006-01-02' });
  rows.push({ id: 'fees-plain', title: 'البلدية تقر رسوم النظافة', body: 'أقرت البلدية رسوم النظافة للعام المقبل', date: '2006-01-03' });
  rows.push({ id: 'fees-accusative', title: 'البلدية تقر رسوما للنظافة', body: 'أقرت البلدية رسوما للنظافة للعام المقبل', date: '2006-01-03' });
  rows.push({ id: 'pope', title: 'البابا يزور القاهرة', body: 'وصل البابا إلى القاهرة في زيارة رسمية', date: '2006-01-04' });
  for (let i = 0; i < 2; i++) rows.push({ id: `gate-${i}`, title: `باب المدينة القديمة ${i}`, body: `رمم العمال باب المدينة ${i}`, date: '2006-01-05' });
  writeFileSync(join(dir, 'rows.jsonl'), rows.map((r) => JSON.stringify({ ...r, source: 'test' })).join('\n'));
  await buildIndex({ inputs: [join(dir, 'rows.jsonl')], outDir: join(dir, 'dist') });
  values = new Map<string, string>();
  for (const f of readdirSync(join(dir, 'dist', 'kv'))) for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'kv', f), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'switch.json'), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  index = await new IndexReader(new MemorySource(values)).current(new ReadStats());
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ids a query finds, with the default options or some overridden (nothing is changed for other tests). */
const ids = async (q: string, ranking: OptionOverrides['ranking'] = {}) => (await search(index, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), searchOptions({ ranking }, BASE))).hits.map((h) => h.id);

describe('finding the query in a text', () => {
  const groups = (q: string) => tokenize(q).map((t) => { const [plain, ...alts] = stems(t.norm); return [plain!, `~${plain}`, ...alts]; });

  it('rules out by letter-pair signature only words that cannot match', () => {
    const m = new Matcher(groups('بوتين الكرملين موسكو'));
    const text = `${FILLER} وبوتين في الكرملين قال لموسكو ${FILLER}`;
    let ruledOut = 0;
    for (const t of tokenize(text)) {
      const sig = signature(Array.from(t.norm, (c) => c.charCodeAt(0)), t.norm.length);
      if (m.match(t.norm) >= 0) expect(m.mayMatch(sig)).toBe(true);
      else if (!m.mayMatch(sig)) ruledOut++;
    }
    expect(ruledOut).toBeGreaterThan(10); // most of the filler never becomes a string
    // A quoted phrase's check asks for its own words only: the query's other words pass nothing.
    const first = m.mayMatchOf(new Set([0]));
    let passedForOthers = 0;
    for (const t of tokenize(text)) {
      const sig = signature(Array.from(t.norm, (c) => c.charCodeAt(0)), t.norm.length);
      if (m.match(t.norm) === 0) expect(first(sig), t.norm).toBe(true);
      else if (m.match(t.norm) > 0 && !first(sig)) passedForOthers++;
      if (first(sig)) expect(m.mayMatch(sig)).toBe(true);
    }
    expect(passedForOthers).toBe(2); // الكرملين, لموسكو
    const found = findHits(text, m);
    expect(found.hits.map((h) => text.slice(h.start, h.end))).toEqual(['وبوتين', 'الكرملين', 'لموسكو']);
    expect(found.hits.map((h) => h.word)).toEqual([0, 1, 2]);
  });

  it('reads the letters of a word being typed as any word they begin, after a proclitic too', () => {
    // وزير الخارجية typed as وزير الخا: the completion searched is الخارجية.
    const m = new Matcher(groups('وزير الخارجية'), '~', { word: 1, letters: 'الخا' });
    const text = 'وزير الخارجية والخاص الخامس الخبر وزير المالية خالد';
    const found = findHits(text, m);
    expect(found.hits.map((h) => [text.slice(h.start, h.end), h.word])).toEqual([['وزير', 0], ['الخارجية', 1], ['والخاص', 1], ['الخامس', 1], ['وزير', 0]]);
    // Every word it matches passes the signature prefilter (its letter pairs are the letters').
    for (const t of tokenize(text)) if (m.match(t.norm) >= 0) expect(m.mayMatch(signature(Array.from(t.norm, (c) => c.charCodeAt(0)), t.norm.length))).toBe(true);
    // Without the letters, only the completion.
    expect(findHits(text, new Matcher(groups('وزير الخارجية'))).hits.map((h) => text.slice(h.start, h.end))).toEqual(['وزير', 'الخارجية', 'وزير']);
  });

  it('keeps the snippet window of a long body, past thousands of words, and stops early once the words stood together', () => {
    const m = new Matcher(groups('النهر الجسر'));
    const body = [...Array.from({ length: 400 }, () => FILLER), 'عبر النهر الجسر القديم', FILLER, FILLER];
    const all = findHits(body, m, { maxScan: 10 ** 6 });
    expect(all.count).toBeGreaterThan(9000); // past the scanner's first offset buffer
    expect(all.truncated).toBe(false);
    const s = snippet(all);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.marks.map(([a, b]) => s.text.slice(a, b))).toEqual(['النهر', 'الجسر']);
    const early = findHits(body, m, { maxScan: 10 ** 6, words: 2, window: 12 });
    expect(early.truncated).toBe(true);
    expect(early.count).toBeLessThan(all.count);
    expect(snippet(early).text.replace(/…$/, '')).toBe(s.text.replace(/…$/, ''));
    expect(findHits(body, m).truncated).toBe(true); // 20,000 characters by default
  });

  it('finds the same words, window and early stop from a word index as from the text', () => {
    const body = [FILLER, 'وقال بوتين في الكرملين مع عبد الله', ...Array.from({ length: 30 }, () => FILLER), 'زار بوتين موسكو ثم عاد إلى الكرملين وعبدالله بن سلمان', FILLER];
    for (const q of ['بوتين الكرملين', 'موسكو', 'الكرملين موسكو بوتين', 'المتحدث', 'عبدالله', 'بنسلمان بوتين']) {
      for (const options of [{}, { words: groups(q).length, window: 12 }, { words: groups(q).length, window: 3 }]) {
        const m = new Matcher(groups(q));
        let index: WordIndex | undefined;
        const first = findHits(body, m, options, (built) => (index = built));
        const scanned = findHits(body, m, options);
        const again = findHits(index!, m, options);
        expect(first).toEqual(scanned);
        expect(again).toEqual(scanned);
        expect(snippet(again)).toEqual(snippet(scanned));
      }
    }
    // A compound asked for as one word is found written apart, as one mark.
    const m = new Matcher(groups('عبدالله'));
    expect(findHits(body, m).hits.map((h) => body.join('\n').slice(h.start, h.end))).toEqual(['عبد الله', 'وعبدالله']);
    // A stem of one letter has no letter pair: one-letter words are read again, and still found.
    const single = new Matcher([['ب']]);
    let index: WordIndex | undefined;
    findHits('ب ت ب بب', single, {}, (built) => (index = built));
    expect(findHits(index!, single).hits.map((h) => h.token)).toEqual([0, 2]);
  });

  it('reads for a one-letter stem only one-letter words, the only ones that stem to it', () => {
    // The prefilter rests on the stemmer: every strip leaves two letters (a proclitic three), so
    // no word of two letters or more has a one-letter stem or reading.
    // Short roots with every article, proclitic and suffix the stemmer strips, and some twice.
    const roots = ['ب', 'ه', 'ي', 'ا', 'و', 'ل', 'بب', 'ها', 'ين', 'وا', 'كتب', 'مك'];
    const before = ['', 'و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فل', 'وك', 'ال', 'وال', 'بال', 'كال', 'فال', 'لل', 'ولل'];
    const after = ['', 'ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي', 'يها', 'اته', 'ينه', 'هي'];
    const words = [...new Set([...roots.flatMap((r) => before.flatMap((b) => after.map((a) => b + r + a))), ...tokenize(FILLER).map((t) => t.norm)])];
    expect(words.length).toBeGreaterThan(2000);
    for (const w of words.filter((x) => x.length >= 2)) expect(stems(w).every((s) => s.length >= 2), w).toBe(true);
    const m = new Matcher([['ب'], ['n']]);
    const sig = (w: string) => signature(Array.from(w, (c) => c.charCodeAt(0)), w.length);
    expect(m.mayMatch(sig('ب'))).toBe(true);
    expect(m.mayMatch(sig('n'))).toBe(true);
    for (const w of ['بب', 'وب', 'باب', 'بوتين', 'nn', 'news']) expect(m.mayMatch(sig(w)), w).toBe(false);
    // A two-letter stem still lets through the longer words that may hold it.
    expect(new Matcher([['مك']]).mayMatch(sig('ومكوناتها'))).toBe(true);
  });
});

describe('closeness', () => {
  it('is the weighted share of the query words inside the best window', () => {
    const hits = [{ token: 0, word: 0 }, { token: 30, word: 1 }, { token: 31, word: 2 }];
    expect(closeness(hits, [1, 1, 1], 12)).toBeCloseTo(2 / 3);
    expect(closeness(hits, [1, 1, 1], 40)).toBe(1);
    expect(closeness(hits, [4, 1, 1], 12)).toBeCloseTo(4 / 6);
    expect(closeness([], [1, 1], 12)).toBe(0);
  });

  it('adjacency is the weighted share of the query\'s word pairs found side by side, in order', () => {
    const inOrder = [{ token: 3, word: 0 }, { token: 4, word: 1 }, { token: 9, word: 2 }];
    expect(adjacency(inOrder, [1, 1, 1])).toBeCloseTo(1 / 2);
    expect(adjacency([{ token: 4, word: 1 }, { token: 5, word: 0 }], [1, 1])).toBe(0); // reversed
    expect(adjacency([{ token: 0, word: 0 }, { token: 2, word: 1 }], [1, 1])).toBe(1); // one word between
    expect(adjacency([{ token: 0, word: 0 }, { token: 4, word: 1 }], [1, 1])).toBe(0);
    expect(adjacency(inOrder, [1])).toBe(0);
    // A word that weighs nothing (no doc holds it) is not looked for: its neighbours make the pair.
    expect(adjacency([{ token: 0, word: 0 }, { token: 1, word: 2 }], [1, 0, 1])).toBe(1);
    expect(adjacency([{ token: 0, word: 1 }, { token: 1, word: 2 }], [0, 1, 1])).toBe(1);
  });

  it('title start is the weighted share of the query\'s first words a title begins with, in order', () => {
    const hits = (...pairs: [number, number][]) => pairs.map(([token, word]) => ({ token, word }));
    expect(titleStart(hits([0, 0], [1, 1], [2, 2]), [1, 1, 1])).toBe(1);
    expect(titleStart(hits([0, 0], [1, 1], [5, 3]), [1, 1, 1, 1])).toBeCloseTo(2 / 4); // the query's third word missing: its first two
    expect(titleStart(hits([0, 0], [2, 2], [3, 1]), [1, 1, 1])).toBeCloseTo(1 / 3); // out of order after the first
    expect(titleStart(hits([0, 0], [1, 1]), [3, 1, 1])).toBeCloseTo(4 / 5);
    expect(titleStart(hits([1, 0], [2, 1]), [1, 1])).toBe(0); // the title's first word is not the query's
    expect(titleStart(hits([2, 0], [3, 1]), [1, 1], (first) => first.token === 2)).toBe(1); // ... unless the words before it do not count (stop words)
    expect(titleStart(hits([0, 1], [1, 0]), [1, 1])).toBe(0); // begins with the query's second word
    expect(titleStart(hits([0, 0], [1, 0], [2, 1]), [1, 1])).toBe(1); // a word repeated counts once
    expect(titleStart([], [1, 1])).toBe(0);
    // A word that weighs nothing (no doc holds it) is passed over, the first word too.
    expect(titleStart(hits([0, 0], [1, 2]), [1, 0, 1])).toBe(1);
    expect(titleStart(hits([0, 1], [1, 2]), [0, 1, 1])).toBe(1);
    // Each word the one after the last: another word between ends the beginning.
    expect(titleStart(hits([0, 0], [2, 1]), [1, 1])).toBeCloseTo(1 / 2);
    expect(titleStart(hits([0, 0], [2, 1]), [1, 1], undefined, (a, b) => b.token === a.token + 2)).toBe(1); // ... unless the word between does not count (a stop word)
  });

  it('title start needs two query words the head holds: a stray word does not make one word two', () => {
    const text = (title: number[], body: number[] = []) => ({ title: { hits: title.map((word, token) => ({ token, word })) }, body: { hits: body.map((word, token) => ({ token, word })) } }) as unknown as RerankText;
    expect(heldWords([text([0]), text([0], [0])])).toBe(1);
    expect(heldWords([text([0]), text([], [1])])).toBe(2);
    const feature = FEATURES.find((f) => f.name === 'titleStart')!;
    const q = { words: 2, weights: [1, 1], window: 12, surfaces: [], forms: [] };
    expect(feature.applies(q)).toBe(true); // before the head's texts are read
    expect(feature.applies({ ...q, held: 2 })).toBe(true);
    expect(feature.applies({ ...q, held: 1 })).toBe(false);
    expect(feature.applies({ ...q, words: 1, weights: [1] })).toBe(false);
  });

  it('ranks the title that begins with the query\'s words first, all else equal', async () => {
    const q = 'الصين تفرض رسوما جمركية';
    // No adjacency, closeness or early-title bonus: they read the order too.
    const off = { adjacency: 0, proximity: 0, slotBonus: 0, titleStart: 0 };
    expect((await ids(q, off)).slice(0, 2)).toEqual(['tariffs-mixed', 'tariffs-start']); // the tie-break alone: newer first
    expect((await ids(q, { ...off, titleStart: 1 })).slice(0, 2)).toEqual(['tariffs-start', 'tariffs-mixed']);
  });

  it("does not take a title with other words among the query's for one that begins with them", async () => {
    // Both titles hold the query's words in its order, one with «في الشمال» after its first.
    const q = 'احباط محاولة عبور سرية';
    const off = { adjacency: 0, proximity: 0, slotBonus: 0, titleStart: 0 };
    expect((await ids(q, off)).slice(0, 2)).toEqual(['crossing-apart', 'crossing-start']); // newer first
    expect((await ids(q, { ...off, titleStart: 1 })).slice(0, 2)).toEqual(['crossing-start', 'crossing-apart']);
  });

  it('passes over up to two stop words between the query\'s words in a title, and nothing else', () => {
    // The title's words that hold the query's (in the query's order), with their places.
    const text = (title: string, matched: string[]) => {
      const words = title.split(' ');
      let at = 0;
      const spans = words.map((w) => ({ start: (at = title.indexOf(w, at)), end: (at += w.length) }));
      const hits = matched.map((m, word) => ({ token: words.indexOf(m), word, ...spans[words.indexOf(m)]! }));
      return { title: { text: title, hits }, body: { text: '', hits: [] } } as unknown as RerankText;
    };
    const q = { words: 4, weights: [1, 1, 1, 1], window: 12, surfaces: [], forms: [] };
    expect(titleStartFeature(text('اليمن قتلى وجرحى في غارات جوية', ['اليمن', 'قتلى', 'وجرحى', 'غارات']), q)).toBe(1);
    expect(titleStartFeature(text('اليمن قتلى وجرحى في من غارات جوية', ['اليمن', 'قتلى', 'وجرحى', 'غارات']), q)).toBe(1);
    expect(titleStartFeature(text('اليمن قتلى وجرحى في من على غارات', ['اليمن', 'قتلى', 'وجرحى', 'غارات']), q)).toBeCloseTo(3 / 4); // three stop words
    expect(titleStartFeature(text('اليمن عشرات القتلى والجرحى في غارات', ['اليمن', 'القتلى', 'والجرحى', 'غارات']), q)).toBeCloseTo(1 / 4);
  });

  it('ranks the article with the query words together first, all else equal', async () => {
    expect((await ids('النهر الجسر')).slice(0, 2)).toEqual(['near', 'far']);
    expect((await ids('النهر الجسر', { proximity: 0, adjacency: 0 })).slice(0, 2)).toEqual(['far', 'near']); // the tie-break alone
  });
});

describe('a word no article holds', () => {
  it('leaves the ranking as without it: weighs nothing, and the title bonus counts the words the archive holds', async () => {
    // A word no doc holds in any form, too far from every word to be read as one (a typo of a
    // word too rare for the lexicon, or a name the archive lacks).
    const run = (q: string) => search(index, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });
    for (const [q, withStray] of [['الصين تفرض رسوما جمركية', 'الصين تفرض ظغثقفخ رسوما جمركية'], ['قنطرة الوادي', 'ظغثقفخ قنطرة الوادي']]) {
      const plain = await run(q!);
      const stray = await run(withStray!);
      expect(stray.didYouMean).toBeUndefined();
      expect(stray.unmatched).toEqual(['ظغثقفخ']);
      expect(plain.unmatched).toBeUndefined();
      expect(stray.hits.map((h) => h.id)).toEqual(plain.hits.map((h) => h.id));
      stray.hits.forEach((h, i) => expect(h.score).toBeCloseTo(plain.hits[i]!.score, 9));
    }
  });

  it('is named unmatched when its reading is searched but too unlikely to offer', async () => {
    // ماكرنو: no article holds it in any form; its reading ماكرون is searched (offered, never
    // replacing it), and the other word finds hundreds of articles as typed, so did-you-mean
    // names the reading only past its margin. Unnamed, the reader is told the word found nothing.
    const ask = (didYouMeanMargin: number) =>
      search(index, { q: 'ماكرنو الوفد', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), searchOptions({ spelling: { didYouMeanMargin, model: { ...TEST_MODEL, replace: Infinity } } }, BASE));
    const unnamed = await ask(Infinity);
    expect(unnamed.didYouMean).toBeUndefined();
    expect(unnamed.unmatched).toEqual(['ماكرنو']);
    const named = await ask(TEST_MODEL.offer);
    expect(named.didYouMean).toBe('ماكرون الوفد');
    expect(named.corrected).toBeUndefined();
    expect(named.unmatched).toBeUndefined();
    // Either way the reading is searched: the same hits.
    expect(unnamed.hits.map((h) => h.id)).toEqual(named.hits.map((h) => h.id));
    expect(unnamed.hits.some((h) => h.id.startsWith('macron-'))).toBe(true);
  });
});

describe('a query that names a whole title', () => {
  it('ranks the article whose every title word the query holds above stories that only mention them', async () => {
    expect((await ids('ما عاصمة سويسرا؟')).slice(0, 2)).toEqual(['swiss-article', 'swiss-news']);
    expect((await ids('سويسرا')).slice(0, 2)).toEqual(['swiss-article', 'swiss-news']);
    expect((await ids('ما عاصمة سويسرا؟', { titleNamedBonus: 0 })).slice(0, 2)).toEqual(['swiss-news', 'swiss-article']); // BM25 alone
  });

  it('does not count a title named only by one of a typo\'s several readings', async () => {
    const r = await search(index, { q: 'سرمان', limit: 20, offset: 0, sort: 'relevance', facets: false, recency: 0 });
    expect(r.hits.map((h) => h.id)).toContain('cancer-article'); // both readings are searched
    expect(r.hits[0]!.id).toMatch(/^salman-\d+$/); // the commoner reading leads
    expect(r.didYouMean).toBe('سلمان');
    expect((await ids('سرطان'))[0]).toBe('cancer-article'); // typed as it is, the title is named
  });

  it('counts a title\'s distinct words, and stores the count with each title posting', async () => {
    const loaded = await index.loadTerms(['سويسرا', 'معرض'], new ReadStats());
    const swiss = loaded.get('سويسرا')!.parts[0]!;
    expect(swiss.title?.codes.length).toBe(2);
    expect([...swiss.titleWords!].sort()).toEqual([1, 4]); // سويسرا; رئيس سويسرا يزور المعرض
    // رئيس سويسرا يزور المعرض; عبد الرزاق يزور المعرض 0–2 (a compound written apart is two
    // words) and عبدالرزاق يزور المعرض 0–1.
    expect([...loaded.get('معرض')!.parts[0]!.titleWords!].sort()).toEqual([4, 4, 4, 5, 5, 5]);
  });
});

/**
 * A query's scored docs, as scoreWords hands them over block by block: per doc, in the order
 * taken, [doc, sum, mask, exact mask, title mask, title words (where the title has a word)].
 * Each block is taken whole and cleared, as match does.
 */
function scoredRows(index: Archive, groups: TermGroups, loaded: Map<string, LoadedTerm | null>, scratch: Scratch, required = 0): { rows: number[][]; count: number } {
  const rows: number[][] = [];
  const take = (b: ScoredBlock) => {
    for (let w = b.seenFrom; w <= b.seenTo; w++) {
      for (let bits = b.seen[w]!; bits !== 0; bits &= bits - 1) {
        const l = (w << 5) | (31 - Math.clz32(bits & -bits));
        rows.push([b.b0 + l, b.total[l]!, b.mask[l]!, b.exactMask[l]!, b.titleMask[l]!, b.titleMask[l] ? b.titleWords[l]! : 0]);
        for (const a of [b.total, b.mask, b.exactMask, b.titleMask, ...(b.restBody ? [b.restBody] : [])]) a[l] = 0;
      }
      b.seen[w] = 0;
    }
  };
  const count = scoreWords(index, groups, loaded, scratch, RANKING, take, required);
  return { rows, count };
}

describe('required words', () => {
  /** A query scored whole and under its required words' gate, on one scratch: each doc's sum, mask and title mask. */
  const scoredBothWays = async (q: string) => {
    const plan = planQuery({ q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });
    const loaded = await index.loadTerms(plan.terms, new ReadStats(), true);
    const groups = groupsOf(plan, loaded, index.docCount, RANKING);
    const required = plan.query.required.reduce((m, i) => m | (1 << i), 0);
    const scratch = new Scratch();
    const take = (required?: number) => {
      const { rows, count } = scoredRows(index, groups, loaded, scratch, required);
      return { out: new Map(rows.map(([doc, total, mask, , title]) => [doc!, [total!, mask!, title!] as [number, number, number]])), count };
    };
    const all = take();
    const gated = take(required);
    return { required, scratch, all, gated };
  };

  it('score only the docs holding the rarest required word, each exactly as without that gate', async () => {
    // الوزارة, quoted, is required (the only such word: the gate is its docs); فيتامين is not.
    const { required, scratch, all, gated } = await scoredBothWays('"الوزارة" فيتامين');
    expect(required).toBe(1);
    const holding = [...all.out].filter(([, v]) => (v[1] & required) !== 0);
    expect(holding.length).toBeGreaterThan(0);
    // Docs with فيتامين alone are not scored at all under the gate...
    expect(gated.count).toBe(holding.length);
    expect(all.count).toBeGreaterThan(gated.count);
    // ... and those with الوزارة score, match and title exactly as before.
    expect([...gated.out]).toEqual(holding);
    // The gate is left empty for the next query.
    expect(scratch.gate(index.docSpace).every((w) => w === 0)).toBe(true);
  });

  it('scores a block of docs at a time exactly as all docs at once', async () => {
    // The test archive fits in one default block: blocks of a few docs make every query cross
    // many, and each doc's sum, masks and title words must come out the same, in doc order.
    for (const q of ['"الوزارة" فيتامين', 'ماكرون فرنسا', 'المنتخب الجزائر كأس', 'عبد الرزاق المعرض']) {
      const plan = planQuery({ q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });
      const loaded = await index.loadTerms(plan.terms, new ReadStats(), true);
      const groups = groupsOf(plan, loaded, index.docCount, RANKING);
      const required = plan.query.required.reduce((m, i) => m | (1 << i), 0);
      const rows = (block: number) => scoredRows(index, groups, loaded, new Scratch(block), required).rows;
      const whole = rows(BLOCK);
      expect(index.docSpace, q).toBeLessThan(BLOCK);
      expect(whole.length, q).toBeGreaterThan(1);
      expect(whole.map((r) => r[0]), q).toEqual(whole.map((r) => r[0]).sort((a, b) => a! - b!));
      for (const block of [1, 3, 32, 100]) expect(rows(block), `${q}, blocks of ${block}`).toEqual(whole);
      // A taker that leaves a block uncleared is refused, and the scratch is left empty.
      const scratch = new Scratch(32);
      expect(() => scoreWords(index, groups, loaded, scratch, RANKING, () => {}, required), q).toThrow(/not taken whole/);
      expect(scoredRows(index, groups, loaded, scratch, required).rows, q).toEqual(whole);
    }
  });

  it('reads +word as a required word, as a one-word quoted phrase, and answers it alike', async () => {
    const plus = parseQuery('+المنتخب الجزائر -بومبيو');
    expect(plus.words.map((w) => w.norm)).toEqual(['المنتخب', 'الجزاير']);
    expect(plus.required).toEqual([0]);
    expect(plus.excluded.map((w) => w.norm)).toEqual(['بومبيو']);
    // A plus alone, doubled or inside a word is no operator; -+word and NOT +word exclude.
    expect(parseQuery('+ المنتخب').required).toEqual([]);
    expect(parseQuery('++المنتخب').required).toEqual([]);
    expect(parseQuery('-+المنتخب').excluded.map((w) => w.norm)).toEqual(['المنتخب']);
    expect(parseQuery('NOT +المنتخب').excluded.map((w) => w.norm)).toEqual(['المنتخب']);
    const run = (q: string) => search(index, { q, limit: 20, offset: 0, sort: 'relevance', facets: true, recency: 0 });
    const [asPlus, asQuoted, asWords] = await Promise.all([run('+المكتب الجزائر'), run('"المكتب" الجزائر'), run('المكتب الجزائر')]);
    expect(asPlus.total).toBe(asQuoted.total);
    expect(asPlus.total).toBeGreaterThan(0);
    expect(asPlus.total).toBeLessThan(asWords.total);
    expect(asPlus.hits.map((h) => [h.id, h.score])).toEqual(asQuoted.hits.map((h) => [h.id, h.score]));
    expect(asPlus.facets).toEqual(asQuoted.facets);
  });

  it('score only the docs holding every required word when there are several', async () => {
    // المنتخب and المكتب, each quoted, are both required: the gate is the docs holding both (the
    // team's), not those of the rarer alone (which has the Algerian cup's story too); الجزائر is not.
    const { required, scratch, all, gated } = await scoredBothWays('"المنتخب" "المكتب" الجزائر');
    expect(required).toBe(3);
    const both = [...all.out].filter(([, v]) => (v[1] & required) === required);
    const rarer = Math.min(...[1, 2].map((bit) => [...all.out].filter(([, v]) => (v[1] & bit) !== 0).length));
    expect(both.length).toBe(10);
    expect(rarer).toBeGreaterThan(both.length);
    expect(gated.count).toBe(both.length);
    expect([...gated.out]).toEqual(both);
    expect(scratch.gate(index.docSpace).every((w) => w === 0)).toBe(true);
    expect(scratch.gateOther(index.docSpace).every((w) => w === 0)).toBe(true);
    // Required words no doc holds together: nothing is scored.
    const apart = await scoredBothWays('"المنتخب" "بومبيو"');
    expect(apart.required).toBe(3);
    expect(apart.all.count).toBeGreaterThan(0);
    expect(apart.gated.count).toBe(0);
  });
});

describe('title and body', () => {
  const scores = async (q: string) => {
    const r = await search(index, { q, limit: 20, offset: 0, sort: 'relevance', facets: false, recency: 0 });
    return (id: string) => r.hits.find((h) => h.id === id)!.score;
  };

  it('weighs a body match less for a word the title has too', async () => {
    const score = await scores('بركان');
    expect(RANKING.bodyAfterTitle).toBeLessThan(1);
    // max(title + bodyAfterTitle × body, body), from the title alone and the body alone.
    const [both, title, body] = [score('volcano-both'), score('volcano-title'), score('volcano-body')];
    expect(title + RANKING.bodyAfterTitle * body).toBeGreaterThan(body); // the case where the weight shows
    expect(both).toBeCloseTo(title + RANKING.bodyAfterTitle * body, 3);
    expect(both).toBeLessThan(title + body);
  });

  it('never scores a doc lower for having the word in its title too', async () => {
    const score = await scores('بركان');
    // A late word of a long title adds little; the body alone would outweigh title + weighted body.
    expect(score('crater-title')).toBeGreaterThanOrEqual(score('crater-plain'));
  });
});

describe('surface form', () => {
  it('keys only words typed with what the fold forgets', () => {
    expect(surfaceKey('امن')).toBeUndefined();
    expect(surfaceKey('الرئيس')?.key).toBe('الرئيس');
    expect(surfaceKey('أمْن')).toEqual({ key: 'أمْن', harakat: true });
    expect(surfaceKey('أمـن')).toEqual({ key: 'أمن', harakat: false });
    expect(surfaceShare([surfaceKey('أمن'), undefined], [1, 3], [[0, 'والأمن'], [1, 'x']])).toBeCloseTo(0.25);
    expect(surfaceShare([surfaceKey('أمن')], [1], [[0, 'آمن']])).toBe(0);
  });

  it('ranks the spelling the reader typed first; a bare spelling decides nothing', async () => {
    expect((await ids('أمن')).slice(0, 2)).toEqual(['amn', 'amin']);
    expect((await ids('آمن')).slice(0, 2)).toEqual(['amin', 'amn']);
    expect((await ids('امن')).slice(0, 2)).toEqual(['amin', 'amn']); // the tie-break
  });
});

describe('the form typed', () => {
  it('is the word without its article and proclitics, suffixes kept', () => {
    expect(wordForms('والمسيح')).toEqual(['مسيح']);
    expect(wordForms('المسيحيه')).toEqual(['مسيحيه']);
    expect(wordForms('لروسيا')).toEqual(['لروسيا', 'روسيا']);
    expect(formShare([wordForms('المسيح')], [1], [[0, 'المسيحية']])).toBe(0);
    expect(formShare([wordForms('المسيح'), wordForms('كتاب')], [3, 1], [[0, 'والمسيح'], [1, 'كتابه']])).toBeCloseTo(0.75);
    expect(formShare([undefined], [1], [[0, 'عبد الرزاق']])).toBe(1); // a compound: any writing
  });

  it('ranks the text with the word as typed above one the stemmer folds onto it', async () => {
    expect((await ids('المسيح')).slice(0, 2)).toEqual(['christ', 'christianity']);
    expect((await ids('المسيحية')).slice(0, 2)).toEqual(['christianity', 'christ']);
    expect((await ids('المسيح', { formBonus: 0 })).slice(0, 2)).toEqual(['christianity', 'christ']); // the tie-break
  });

  it('is the reading\'s form for a word no article writes as typed that a reading is offered for', async () => {
    // الفلاع (ع for ح, keys apart) is in no article: الفلاح is offered, not put in its place
    // (`replace` raised past its margin), and the articles with الفلاحة hold its stem too.
    const o = searchOptions({ spelling: { model: { ...TEST_MODEL, replace: 6 } } }, BASE);
    const ask = (ranking: OptionOverrides['ranking'] = {}) => search(index, { q: 'الفلاع', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), searchOptions({ ranking }, o));
    const offered = await ask();
    expect(offered.corrected).toBeUndefined();
    expect(offered.didYouMean).toBe('الفلاح');
    expect(offered.hits.slice(0, 2).map((h) => h.id).sort()).toEqual(['farmer-0', 'farmer-1']);
    // Without the form, the newer articles first (the tie-break).
    expect((await ask({ formBonus: 0 })).hits.slice(0, 2).map((h) => h.id).sort()).toEqual(['farming-0', 'farming-1']);
  });

  it('reads -"phrase" as a phrase excluded (its words, stop words left out), a minus apart from the quote as none', () => {
    const q = parseQuery('كوريا -"البيت الأبيض" -"في الصين" "شي جين"');
    expect(q.words.map((w) => w.norm)).toEqual(['كوريا', 'شي', 'جين']);
    expect(q.excludedPhrases.map((p) => p.map((w) => w.norm))).toEqual([['البيت', 'الابيض']]);
    expect(q.excluded.map((w) => w.norm)).toEqual(['الصين']);
    expect(q.phrases).toHaveLength(1);
    const apart = parseQuery('كوريا - "البيت الأبيض"');
    expect(apart.excludedPhrases).toEqual([]);
    expect(apart.words.map((w) => w.norm)).toEqual(['كوريا', 'البيت', 'الابيض']);
  });

  it('reads OR (and |) between words as joining them, no word itself; or, OR alone or first, as words', () => {
    const q = parseQuery('الصين OR روسيا OR إيران تجارة | عقوبات');
    expect(q.words.map((w) => w.norm)).toEqual(['الصين', 'روسيا', 'ايران', 'تجاره', 'عقوبات']);
    expect(q.either).toEqual([[0, 1, 2], [3, 4]]);
    expect(q.typed).toBe(5);
    // Next to a phrase or an excluded word it joins nothing, and is still no word.
    const beside = parseQuery('"البيت الأبيض" OR الكرملين OR -موسكو الصين OR');
    expect(beside.words.map((w) => w.norm)).toEqual(['البيت', 'الابيض', 'الكرملين', 'الصين']);
    expect(beside.either).toEqual([]);
    // Lower case is a word; OR alone, or first, a word typed (a Latin one, read as names are).
    expect(parseQuery('الصين or روسيا').words.map((w) => w.norm)).toEqual(['الصين', 'or', 'روسيا']);
    expect(parseQuery('OR').words.map((w) => w.norm)).toEqual(['or']);
    expect(parseQuery('OR الصين').either).toEqual([]);
    // A compound name does not close across it (عبد OR الله is two words joined).
    const abd = parseQuery('عبد OR الله');
    expect(abd.words.map((w) => w.compound)).toEqual([undefined, undefined]);
    expect(abd.either).toEqual([[0, 1]]);
  });

  it('reads NOT before a word or a phrase as a minus, and AND as no word', () => {
    const q = parseQuery('الصين NOT روسيا AND كوريا NOT "البيت الأبيض"');
    expect(q.words.map((w) => w.norm)).toEqual(['الصين', 'كوريا']);
    expect(q.excluded.map((w) => w.norm)).toEqual(['روسيا']);
    expect(q.excludedPhrases.map((p) => p.map((w) => w.norm))).toEqual([['البيت', 'الابيض']]);
    expect(parseQuery('NOT روسيا الصين').excluded.map((w) => w.norm)).toEqual(['روسيا']);
    // Last, it is dropped (a reader still typing); alone, or AND first, a word.
    expect(parseQuery('الصين NOT').words.map((w) => w.norm)).toEqual(['الصين']);
    expect(parseQuery('NOT').words.map((w) => w.norm)).toEqual(['not']);
    expect(parseQuery('AND الصين').words.map((w) => w.norm)).toEqual(['and', 'الصين']);
    // Only these: a word that names a property of every object is a word.
    expect(parseQuery('الصين constructor toString').words.map((w) => w.norm)).toEqual(['الصين', 'constructor', 'tostring']);
    // After OR, NOT still excludes; OR then joins nothing.
    const mixed = parseQuery('الصين OR NOT روسيا');
    expect([mixed.words.map((w) => w.norm), mixed.excluded.map((w) => w.norm), mixed.either]).toEqual([['الصين'], ['روسيا'], []]);
  });

  it('takes a reading\'s forms only for an offered word that no article writes as typed', () => {
    const q = parseQuery('المسيع كتاب');
    const reading = { word: 'المسيح', stem: 'مسيح', df: 1, margin: 3 };
    const forms = (c: Partial<Correction>) => rerankQuery(q, 'relevance', [1, 1], RANKING, [{ word: 0, to: 'المسيح', readings: [reading], mode: 'suggest', ...c }]).forms[0];
    expect(forms({ unwritten: true })).toEqual(['مسيع', 'مسيح']);
    expect(forms({})).toEqual(['مسيع']); // a word some article writes keeps its own form
    expect(forms({ unwritten: true, mode: 'auto' })).toEqual(['مسيع']); // a replaced word is searched as the reading (replaceWords)
    expect(rerankQuery(q, 'relevance', [1, 1], RANKING).forms[1]).toEqual(['كتاب']);
  });
});

describe('compound names written apart or as one word', () => {
  const razzaq = async (q: string) => (await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 })).hits.map((h) => h.id).filter((id) => id.startsWith('razzaq-'));
  const all = ['razzaq-apart-0', 'razzaq-apart-1', 'razzaq-apart-2', 'razzaq-one-0', 'razzaq-one-1', 'razzaq-named', 'razzaq-news'];

  it('finds both writings whichever the reader types', async () => {
    for (const q of ['عبد الرزاق', 'عبدالرزاق', 'عبد الرزاق المعرض', 'عبدالرزاق المعرض']) {
      const found = await razzaq(q);
      expect(found.filter((id) => id !== 'razzaq-other').sort(), q).toEqual([...all].sort());
      // Either writing of the name beats a text that has its two words apart.
      if (found.includes('razzaq-other')) expect(found.indexOf('razzaq-other'), q).toBe(found.length - 1);
    }
  });

  it('highlights the name whole in either writing, and counts its words as side by side', async () => {
    for (const q of ['عبد الرزاق', 'عبدالرزاق']) {
      const a = await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 });
      const one = a.hits.find((h) => h.id === 'razzaq-one-0')!;
      const apart = a.hits.find((h) => h.id === 'razzaq-apart-0')!;
      expect(one.titleHtml, q).toContain('<mark>عبدالرزاق</mark>');
      expect(apart.titleHtml, q).toContain('<mark>عبد الرزاق</mark>');
      expect(apart.snippet, q).toContain('<mark>عبد الرزاق</mark>');
      // Scored alike: closeness and adjacency see the one word as both of the query's words.
      expect(Math.abs(one.score / apart.score - 1), q).toBeLessThan(0.25);
    }
  });

  it('finds the article a compound names first, in either writing', async () => {
    // razzaq-news has the words more often and in its title: only naming the title puts the
    // article first, and the one-word writing names both of the title's words عبد الرزاق.
    for (const q of ['عبد الرزاق الفاضل', 'عبدالرزاق الفاضل']) expect((await razzaq(q))[0], q).toBe('razzaq-named');
  });
});

describe('a word in two house styles', () => {
  const styled = async (q: string) => (await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 })).hits.filter((h) => h.id.startsWith('official-'));

  it('finds the hamza on waw for a word typed with it on yeh (مسئول, شئون), as the same word', async () => {
    for (const q of ['مسئول', 'المسئول', 'شئون', 'والشئون']) {
      const a = await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 });
      const hits = a.hits.filter((h) => h.id.startsWith('official-')).map((h) => h.id);
      expect(hits.sort()).toEqual([...[0, 1].map((i) => `official-yeh-${i}`), ...[0, 1, 2, 3, 4].map((i) => `official-waw-${i}`)].sort());
      expect(a.didYouMean).toBeUndefined(); // nothing is called a correction
    }
    // The spelling typed ranks first.
    expect((await styled('شئون')).slice(0, 2).map((h) => h.id).sort()).toEqual(['official-yeh-0', 'official-yeh-1']);
  });

  it('scores both spellings with the commoner one\'s idf, so the rarer style is no rarer word', async () => {
    const hits = await styled('شئون');
    const score = (id: string) => hits.find((h) => h.id === id)!.score;
    // Alike but for the surface bonus of the style typed; as two words, the rare one's idf
    // would put it far ahead.
    expect(score('official-yeh-0') / score('official-waw-0')).toBeLessThan(1 + RANKING.surfaceBonus + 0.05);
  });

  it('does not respell a hamza on yeh, which folds onto other words (رؤوس, ريوس)', async () => {
    expect(await ids('رؤوس')).toEqual(['heads']);
    expect(await ids('رءوس')).toEqual(['heads']);
  });

  it('leaves out both spellings of an excluded word', async () => {
    expect(await styled('وزارة -مسئول')).toEqual([]);
    expect((await styled('وزارة')).length).toBe(7);
  });

  it('leaves out an excluded word behind a proclitic, and a word typed with one as the archive writes it', async () => {
    const ids = async (q: string) => (await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 })).hits.map((h) => h.id);
    expect(await ids('الوزير')).toContain('pompeo-clitic'); // «نقل الوزير رسالة لبومبيو»
    expect(await ids('الوزير -بومبيو')).not.toContain('pompeo-clitic');
    const pompeo = (await ids('العاصمة')).filter((id) => id.startsWith('pompeo-'));
    expect(pompeo.length).toBeGreaterThan(10);
    // (The one article that misspells the name, بومبو, is another word's.)
    expect((await ids('العاصمة -لبومبيو')).filter((id) => id.startsWith('pompeo-'))).toEqual(['pompeo-typo']);
  });
});

describe('the tanween\'s alef written without its mark', () => {
  const run = (q: string) => search(index, { q, limit: 20, offset: 0, sort: 'relevance', facets: false, recency: 0 });

  it('finds «رسوما جمركية» for رسوم جمركية as a match of every word, ahead of the plain form\'s other articles', async () => {
    const r = await run('رسوم جمركية');
    expect(r.hits[0]!.id).toBe('tariff-accusative');
    expect(r.hits.map((h) => h.id)).toEqual(expect.arrayContaining(['tuition-0', 'fees-plain', 'fees-accusative']));
    expect(r.didYouMean).toBeUndefined();
    // Typed with the alef, the same article first, and the plain form's articles found too (the
    // reading is searched where the archive writes it more often than the form typed).
    const typed = await run('رسوما جمركية');
    expect(typed.hits[0]!.id).toBe('tariff-accusative');
    expect(typed.hits.map((h) => h.id)).toContain('tuition-0');
  });

  it('puts the form typed first between two articles one form apart, the other close behind', async () => {
    const hits = (await run('رسوم النظافة')).hits;
    const score = (id: string) => hits.find((h) => h.id === id)?.score ?? 0;
    expect(hits.slice(0, 2).map((h) => h.id)).toEqual(['fees-plain', 'fees-accusative']);
    // Both words matched, the title's reading weighed a little below the form typed (34.4 and
    // 25.5 here: a body's accusative is not read; without the reading, النظافة alone: 4.2).
    expect(score('fees-accusative') / score('fees-plain')).toBeGreaterThan(0.5);
  });

  it('reads no tanween after the article: باب does not find البابا, and البابا finds only the pope', async () => {
    expect((await run('باب')).hits.map((h) => h.id)).not.toContain('pope');
    expect((await run('البابا')).hits.map((h) => h.id)).toEqual(['pope']);
  });
});

describe('typos the archive itself holds', () => {
  const run = (q: string) => search(index, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });

  it('offers a far commoner reading of a word the archive holds, and replaces it only on overwhelming odds', async () => {
    // بومبو is in 1 article, بومبيو in 150, a letter apart: a margin of log 150 − 2 nats.
    const r = await run('بومبو');
    expect(r.didYouMean).toBe('بومبيو');
    expect(r.corrected).toBeUndefined();
    expect(r.hits[0]!.id).toBe('pompeo-typo'); // the article that has the word as typed
    expect(r.hits.slice(1).every((h) => /^pompeo-(\d+|clitic)$/.test(h.id))).toBe(true);
    // A model for which those odds are overwhelming (its replace margin lower) takes it for a typo.
    const sure = await search(index, { q: 'بومبو', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), searchOptions({ spelling: { model: { ...TEST_MODEL, replace: 2.5 } } }, BASE));
    expect(sure.didYouMean).toBe('بومبيو');
    expect(sure.corrected).toBe(true);
    expect(sure.hits[0]!.id).toMatch(/^pompeo-(\d+|clitic)$/);
    expect(sure.hits.map((h) => h.id)).not.toContain('pompeo-typo'); // 151 better matches come first
  });

  it('searches a correction as the word typed right: behind a proclitic too', async () => {
    const all = async (q: string) => (await search(index, { q, limit: 200, offset: 0, sort: 'relevance', facets: false, recency: 0 })).hits.map((h) => h.id);
    expect(await all('بومبيو')).toContain('pompeo-clitic');
    const typo = await all('بومبو');
    expect(typo).toContain('pompeo-clitic');
    expect(typo.filter((id) => id !== 'pompeo-typo')).toEqual(await all('بومبيو')); // the same ranking
  });

  it('searches a correction behind a proclitic only where the word typed right is', async () => {
    const all = async (q: string) => (await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 })).hits.map((h) => h.id).sort();
    const right = await all('قرطاج');
    expect(right).toEqual(['carthage-0', 'carthage-1', 'carthage-2']);
    expect(await all('قرطاح')).toEqual(right);
  });

  it('reads an unknown four-letter word one letter off (a neighbouring key, two letters swapped) as the word typed right', async () => {
    // جولة is in 21 articles (Tillerson's tour); جوبة (ل and ب are neighbouring keys) and جلوة in none.
    for (const typo of ['جوبة', 'جلوة']) {
      const r = await run(typo);
      expect(r.didYouMean).toBe('جولة');
      expect(r.corrected).toBe(true);
      expect(r.hits[0]!.id).toMatch(/^tillerson-/);
    }
    // ... and a four-letter word the archive holds stands, however common a word one edit away.
    const tram = await run('ترام');
    expect(tram.corrected).toBeFalsy();
    expect(tram.hits[0]!.id).toBe('tram');
  });

  it('reads an unknown four-letter word as a five-letter word with a letter left out, and leaves a known one alone', async () => {
    const r = await run('تامب');
    expect(r.didYouMean).toBe('ترامب');
    expect(r.hits[0]!.id).toMatch(/^trump-\d+$/);
    // Replaced, the word is searched as typed right: the same articles in the same order, and
    // not what the typed word's stem finds (تامبي).
    const ids = async (q: string) => (await search(index, { q, limit: 50, offset: 0, sort: 'relevance', facets: false, recency: 0 })).hits.map((h) => h.id);
    const all = await ids('تامب');
    expect(all).toEqual(await ids('ترامب'));
    expect(all).not.toContain('tampi');
    const tram = await run('ترام');
    expect(tram.hits[0]!.id).toBe('tram');
    expect(tram.didYouMean).toBeUndefined();
    expect((await run('تمب')).total).toBe(0); // three letters: never corrected
    // Unseen as typed, its two-letter stem in common use through other words (القمة): still a slip.
    const moon = await run('للقم');
    expect(moon.didYouMean).toBe('للقمر');
    expect(moon.hits[0]!.id).toMatch(/^moon-\d+$/);
  });

  it('prefers the reading that keeps the article as typed', async () => {
    const r = await run('السيطي');
    expect(r.didYouMean).toBe('السيسي');
    expect(r.hits[0]!.id).toMatch(/^sisi-\d+$/);
  });

  it('finds a word whose typo is in its article (ل left out, swapped or mistyped)', async () => {
    for (const typed of ['أملانيا', 'امانيا', 'اكمانيا']) {
      const r = await run(typed);
      expect(r.didYouMean, typed).toBe('ألمانيا'); // as the archive writes it
      expect(r.hits[0]!.id, typed).toMatch(/^germany-\d+$/);
    }
  });

  it('never reads a typo as another word of the same query', async () => {
    // المكتب is the commoner reading of المنتب, but the reader typed it beside it already.
    const r = await run('المنتب المكتب');
    expect(r.didYouMean).toBe('المنتخب المكتب');
    expect(r.hits[0]!.id).toMatch(/^team-\d+$/);
  });

  it('keeps readings of distinct stems, so a rarer one that fits the other words still counts', async () => {
    const r = await run('مثيزة الاتصالات');
    expect(r.hits[0]!.id).toBe('distinct-telecom');
    // The reading offered is the one the best result has, not the commonest.
    expect(r.didYouMean).toBe('مميزة الاتصالات');
  });

  it('reads a real word as a typo when it alone keeps the query\'s other words from meeting', async () => {
    // الجزار is in use, so it is no unknown word; but no article has it with the other words,
    // and one has الجزائر with all of them.
    const typo = await run('الجزار تتوج بالبطولة الافريقية');
    expect(typo.hits[0]!.id).toBe('algeria-cup');
    expect(typo.didYouMean).toBe('الجزائر تتوج بالبطولة الافريقية'); // as the archive writes it, not normalized (الجزاير)
    expect(typo.corrected).toBeUndefined(); // the words as typed still count, and rank first where they meet
    // As typed, the butcher's articles (the rare word and two others) come first.
    const exact = await search(index, { q: 'الجزار تتوج بالبطولة الافريقية', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, correct: false });
    expect(exact.hits[0]!.id).toMatch(/^butcher-\d+$/);
    // Words that simply do not meet, with no reading that brings them together, keep their results.
    const apart = await run('الجزار بومبيو');
    expect(apart.didYouMean).toBeUndefined();
    const apartExact = await search(index, { q: 'الجزار بومبيو', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, correct: false });
    expect(apart.hits.map((h) => h.id)).toEqual(apartExact.hits.map((h) => h.id));
    // An article with every word as typed: nothing is corrected.
    expect((await run('الجزار السوق')).didYouMean).toBeUndefined();
  });

  it('reads a four-letter word with the article as a five-letter one, unknown or out of context', async () => {
    const basket = await run('السة');
    expect(basket.didYouMean).toBe('السلة');
    expect(basket.hits[0]!.id).toMatch(/^basket-\d+$/);
    // الين is in use, but no article has it with قتلى; one has اليمن with both other words.
    const raid = await run('الين غارات قتلى');
    expect(raid.hits[0]!.id).toBe('yemen-raid');
    expect(raid.didYouMean).toBe('اليمن غارات قتلى');
    expect((await search(index, { q: 'الين غارات قتلى', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, correct: false })).hits[0]!.id).toMatch(/^yen-\d+$/);
  });

  it('reads a word no article holds as typed in the context of the others, though they meet through its stem', async () => {
    // A model that counts half a stem's articles for a form of it no article has: alone, طيرين
    // stands (its stem طير, of الطيران, is in 5 articles; طيارين in 2).
    const model = searchOptions({ spelling: { model: { ...TEST_MODEL, stemShare: 0.5, context: 6 } } }, BASE);
    const ask = (q: string) => search(index, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), model);
    const alone = await ask('طيرين');
    expect(alone.didYouMean).toBeUndefined();
    expect(alone.corrected).toBeUndefined();
    // Every word of this query meets in the flights articles, through طير: without reading
    // طيرين in context nothing would be suspect. The one article with the other three words
    // and no طير holds طيارين.
    const r = await ask('مقتل طيرين روسيين بتحطم');
    expect(r.didYouMean).toBe('مقتل طيارين روسيين بتحطم');
    expect(r.corrected).toBeUndefined(); // offered and counted below the words as typed
    expect(r.hits.map((h) => h.id)).toContain('pilots-crash');
    // A word the archive holds as typed is no suspect: with الطيران the flights articles stand.
    const held = await ask('مقتل الطيران روسيين بتحطم');
    expect(held.didYouMean).toBeUndefined();
    expect(held.hits[0]!.id).toMatch(/^flights-\d+$/);
  });

  it('reads a word behind a proclitic as the word the archive writes, with the share `proclitic` of its articles', async () => {
    // وسيؤول: no article writes it; سيؤول (its proclitic-free reading) is in 4, and وسيول, an
    // edit away, in 8. Counted as none of its own, the typed word is replaced by وسيول.
    const ask = (proclitic: number) => search(index, { q: 'وسيؤول', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), searchOptions({ spelling: { model: { ...TEST_MODEL, proclitic } } }, BASE));
    const none = await ask(0);
    expect(none.corrected).toBe(true);
    expect(none.hits[0]!.id).toMatch(/^floods-\d+$/);
    // With half the articles سيؤول is known to be in (1: a spelling not in use), against the
    // unseen floor's 3e-4, it stands.
    const half = await ask(0.5);
    expect(half.corrected).toBeUndefined();
    expect(half.didYouMean).toBeUndefined();
    expect(half.hits.slice(0, 4).map((h) => h.id).sort()).toEqual(['seoul-0', 'seoul-1', 'seoul-2', 'seoul-3']);
  });

  it('weighs a corrected word\'s readings by the query\'s other words: one short of `offer` alone is lifted past it', async () => {
    // A model that offers only readings 7 nats likelier than the word as typed: التوقعات (6.4:
    // a far letter, 6 articles) falls short; التوجهات (9.0: a neighbouring key, 30) passes.
    const ask = (q: string, cooccur: number) => search(index, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), searchOptions({ spelling: { model: { ...TEST_MODEL, offer: 7, replace: 8, cooccur } } }, BASE));
    expect((await ask('التوجعات', 1)).didYouMean).toBe('التوجهات'); // alone: nothing to weigh by
    // Unweighed, التوقعات is not searched at all: the forecasts are found by الجوية alone.
    const unweighed = await ask('التوجعات الجوية', 0);
    expect(unweighed.didYouMean).toBe('التوجهات الجوية');
    expect(unweighed.corrected).toBe(true);
    expect(unweighed.hits[0]!.id).not.toMatch(/^forecast-\d+$/);
    // Every article with التوقعات has الجوية, none with التوجهات: the other word lifts it
    // past `offer` and first.
    const weighed = await ask('التوجعات الجوية', 1);
    expect(weighed.corrected).toBe(true);
    expect(weighed.didYouMean).toBe('التوقعات الجوية');
    expect(weighed.hits.slice(0, 6).every((h) => /^forecast-\d+$/.test(h.id))).toBe(true);
  });

  it('reads readings in reserve only as the work budget allows, first words first; one already read costs nothing', () => {
    const reading = (word: string) => ({ word, stem: word, df: 5, margin: 1 });
    const corrections = [
      { word: 0, to: 'ا', readings: [reading('ا')], mode: 'auto' as const, reserve: [reading('ب'), reading('ج')] },
      { word: 1, to: 'د', readings: [reading('د')], mode: 'suggest' as const, reserve: [reading('ه')] },
    ];
    const loaded = new Map([['ج', null]]);
    const all = fitReserves(corrections, loaded, 100, Infinity);
    expect(all.cut).toBe(false);
    expect(all.corrections).toBe(corrections);
    // Room for two terms to read: ب, then ج (read already: free), then ه (a second term).
    const two = fitReserves(corrections, loaded, 100, 200);
    expect(two.cut).toBe(false);
    const one = fitReserves(corrections, loaded, 100, 150);
    expect(one.cut).toBe(true);
    expect(one.corrections.map((c) => c.reserve?.map((r) => r.word))).toEqual([['ب', 'ج'], []]);
    expect(one.corrections.map((c) => c.readings)).toEqual(corrections.map((c) => c.readings)); // the searched readings stay
    expect(fitReserves(corrections, loaded, 100, 0).corrections.map((c) => c.reserve?.length)).toEqual([0, 0]);
  });

  it('searches a reading found in context but offers it only when far more common than the word as typed', async () => {
    const r = await run('انفجر عبوة المدينة القديمة');
    expect(r.hits[0]!.id).toBe('blast-old-city');
    expect(r.didYouMean).toBeUndefined();
  });

  it('does not replace a rare spelling typed alone whose reading is over 100 times more common: it counts below, named', async () => {
    // ماركون is in 3 articles (the archive holds it), and its stem مارك in 7; ماكرون in 320.
    const typo = await run('ماركون');
    // The reading counts below the word as typed (offered: its margin is past the model's
    // `offer`, short of `replace`). It is named in didYouMean, though the word finds 3 articles
    // as typed (didYouMeanBelow), when its margin passes didYouMeanMargin; the hits stay the same.
    const withMargin = (didYouMeanMargin: number) => search(index, { q: 'ماركون', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 }, undefined, searchOptions({ spelling: { didYouMeanMargin } }, BASE));
    const named = await withMargin(TEST_MODEL.offer);
    expect(named.didYouMean).toBe('ماكرون');
    expect(named.corrected).toBeUndefined();
    const unnamed = await withMargin(TEST_MODEL.replace);
    expect(unnamed.didYouMean).toBeUndefined();
    expect(unnamed.corrected).toBeUndefined();
    expect(named.hits.map((h) => h.id)).toEqual(typo.hits.map((h) => h.id));
    expect(unnamed.hits.map((h) => h.id)).toEqual(typo.hits.map((h) => h.id));
    expect(typo.total).toBeGreaterThan(3);
    expect(typo.hits.slice(0, 3).map((h) => h.id).sort()).toEqual(['macron-typo-0', 'macron-typo-1', 'macron-typo-2']);
    // Then what its stem finds as typed (مارك), then the reading's articles.
    const rest = typo.hits.slice(3).map((h) => h.id);
    expect(rest.every((id) => /^(mark|macron)-\d+$/.test(id))).toBe(true);
    expect(rest.some((id) => id.startsWith('macron-'))).toBe(true);
    // A known four-letter word (كوشر, 2 articles) a letter short of كوشنر (250): offered too.
    const kosher = await run('كوشر');
    expect(kosher.didYouMean).toBe('كوشنر');
    expect(kosher.corrected).toBeUndefined();
    expect(kosher.hits.slice(0, 2).every((h) => h.id.startsWith('kosher-'))).toBe(true);
    expect(kosher.hits[2]!.id).toMatch(/^kushner-\d+$/);
    // "Search instead for": as typed, its own articles.
    const exact = await search(index, { q: 'ماركون', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, correct: false });
    expect(exact.hits.slice(0, 3).map((h) => h.id).sort()).toEqual(['macron-typo-0', 'macron-typo-1', 'macron-typo-2']);
  });

  it('leaves a rare spelling typed alone as it is when its reading is merely 20 times more common', async () => {
    // خامئني: 3 articles, one of them with خامنئي (61): whether an article writes both no longer matters.
    const typo = await run('خامئني');
    expect(typo.didYouMean).toBeUndefined();
    expect(typo.hits.map((h) => h.id).sort()).toEqual(['khamenei-typo-0', 'khamenei-typo-1', 'khamenei-typo-both']);
    // الجزار: 4 articles, الجزائر 11 times more common: a word of its own.
    const butcher = await run('الجزار');
    expect(butcher.didYouMean).toBeUndefined();
    expect(butcher.hits.slice(0, 4).every((h) => h.id.startsWith('butcher-'))).toBe(true);
  });

  it('leaves a rare spelling alone beside other words, and a spelling in use even alone', async () => {
    // With its surname, مارون is the name it is (alone it would read as ماكرون, 107 times commoner).
    const maroun = await run('مارون بغدادي');
    expect(maroun.didYouMean).toBeUndefined();
    expect(maroun.hits.slice(0, 3).every((h) => h.id.startsWith('maroun-'))).toBe(true);
    expect((await run('مطعم كوشر')).hits[0]!.id).toMatch(/^kosher-\d+$/);
    // مارك is in 4 articles as spelled, but its stem has no commoner reading 100 times over.
    expect((await run('مارك')).didYouMean).toBeUndefined();
    // Spellings in use (in 20 documents or more) come first in their stem's list, and are never
    // looked up as typos; rarer ones follow.
    const pompeo = (await index.loadTerms([stems('بومبيو')[0]!], new ReadStats())).get(stems('بومبيو')[0]!)!;
    expect(pompeo.inUse).toBe(1);
    expect(spellingRank(pompeo.spellings, 'بومبيو')).toBe(0);
    const markTerm = (await index.loadTerms([stems('ماركون')[0]!], new ReadStats())).get(stems('ماركون')[0]!)!;
    expect(markTerm.inUse).toBe(0);
    expect(spellingRank(markTerm.spellings, 'ماركون')).toBeGreaterThanOrEqual(0);
  });

  it('searches a rare spelling as typed when the correction is merely more common', async () => {
    // تيلرسن: 1 article; تيلرسون: 20, a letter apart (a margin of log 20 − 2 nats, under offer).
    const r = await run('تيلرسن');
    expect(r.hits[0]!.id).toBe('tillerson-typo');
    expect(r.didYouMean).toBeUndefined();
    expect(r.total).toBe(1);
  });

  it('searches a query that finds nothing as typed with its words\' best readings', async () => {
    // A model that trusts unknown words: تيضرسون (تيلرسون with ل mistyped far from its key) is
    // not read as تيلرسون, with or without other words, while anything is found.
    const trusting = searchOptions({ spelling: { model: { ...TEST_MODEL, unseen: 0.01 } } }, BASE);
    const p = (q: string, correct = true) => ({ q, limit: 10, offset: 0, sort: 'relevance' as const, facets: false, recency: 0, correct });
    const beside = await search(index, p('تيضرسون جولة'), new ReadStats(), trusting);
    expect(beside.total).toBeGreaterThan(0);
    expect(beside.didYouMean).toBeUndefined();
    // Alone it finds nothing as typed: its best reading is searched instead, and said so.
    expect((await search(index, p('تيضرسون', false), new ReadStats(), trusting)).total).toBe(0);
    const alone = await search(index, p('تيضرسون'), new ReadStats(), trusting);
    expect(alone.corrected).toBe(true);
    expect(alone.didYouMean).toBe('تيلرسون');
    expect(alone.hits.length).toBeGreaterThan(0);
    expect(alone.hits.every((h) => h.id.startsWith('tillerson-'))).toBe(true);
    // A word with no reading within the edit limits still finds nothing.
    expect((await search(index, p('قزطحظ'), new ReadStats(), trusting)).total).toBe(0);
  });

  it('makes the per-doc scoring arrays only for a query that has postings to score', async () => {
    // As in a new isolate: no earlier query's arrays.
    releaseScratch();
    const fresh = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    const p = (q: string) => ({ q, limit: 10, offset: 0, sort: 'relevance' as const, facets: true, recency: 0, correct: false });
    for (const q of ['في', 'من على', 'قزطحظ', '😬']) {
      expect((await search(fresh, p(q), new ReadStats())).total, q).toBe(0);
      expect(scratchDocs(), q).toBe(0);
    }
    expect((await search(fresh, p('ماكرون'), new ReadStats())).total).toBeGreaterThan(0);
    // One block's accumulators, whatever the archive's size.
    expect(scratchDocs()).toBe(BLOCK);
    // Another reader (a new one after a fault, or a cold cache) finds them made.
    const again = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    const before = scratchDocs();
    expect((await search(again, p('ماكرون'), new ReadStats())).total).toBeGreaterThan(0);
    expect(scratchDocs()).toBe(before);
  });

  it('does not search again a query that finds nothing when no word of it has a reading to try', async () => {
    const p = (q: string, correct = true) => ({ q, limit: 10, offset: 0, sort: 'relevance' as const, facets: true, recency: 0, correct });
    // Too short for the typo lexicon, digits, emoji: no lexicon list is asked for, so a pass
    // with the words' readings would search the very same words. It costs what the query as
    // typed costs (the work the query used), not a third time as much.
    for (const q of ['ظغ ضظ', 'ظغ "ضظ ذظ"', '😬 ظغ ٩٨٧٦٥']) {
      const typed = new ReadStats();
      const asTyped = await search(index, p(q, false), typed); expect(asTyped.total, q).toBe(0);
      const stats = new ReadStats();
      const r = await search(index, p(q), stats);
      expect(r.total).toBe(0);
      expect(r.corrected).toBeUndefined();
      expect(typed.used).toBeGreaterThan(0);
      expect(stats.used).toBe(typed.used);
    }
    // A word the lexicon may read is searched again with its readings: that pass is not skipped.
    const trusting = searchOptions({ spelling: { model: { ...TEST_MODEL, unseen: 0.01 } } }, BASE);
    const typed = new ReadStats();
    await search(index, p('تيضرسون', false), typed, trusting);
    const stats = new ReadStats();
    expect((await search(index, p('تيضرسون'), stats, trusting)).corrected).toBe(true);
    expect(stats.used).toBeGreaterThan(typed.used);
  });
});

describe('pages across the re-ranked top', () => {
  it('pages of any size join up to the same ranking', async () => {
    const page = async (offset: number, limit: number) =>
      (await search(index, { q: 'بومبيو يزور العاصمة', limit, offset, sort: 'relevance', facets: false, recency: 0 })).hits.map((h) => h.id);
    const all = await page(0, 30);
    expect(all).toHaveLength(30);
    expect([...(await page(0, 7)), ...(await page(7, 7)), ...(await page(14, 7)), ...(await page(21, 9))]).toEqual(all);
    expect(await page(10, 10)).toEqual(all.slice(10, 20));
    expect(await page(5, 10)).toEqual(all.slice(5, 15));
  });
});

describe('a warm reader', () => {
  it('answers from its articles\' word indexes exactly as a fresh reader reads the text', async () => {
    const queries = ['بومبيو يزور العاصمة', 'النهر الجسر', 'الوضع آمن', 'تيلرسن', 'تقرير المدينة'];
    const run = (at: Archive, q: string) => search(at, { q, limit: 10, offset: 0, sort: 'relevance', facets: true, recency: 0.05 });
    const first = await Promise.all(queries.map((q) => run(index, q)));
    for (const [i, q] of queries.entries()) {
      const fresh = await new IndexReader(new MemorySource(values)).current(new ReadStats());
      expect(await run(index, q)).toEqual(first[i]); // articles now cached with their word index
      expect(await run(fresh, q)).toEqual(first[i]);
    }
  });
});

describe('the edit distance', () => {
  /** The whole table, every cell: what the banded distance must agree with. */
  const reference = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  };

  it('is the full table\'s distance when within max, and above max otherwise (30,000 random pairs)', () => {
    const letters = [...'ابتثجحخد'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const word = () => Array.from({ length: 1 + Math.floor(next() * 9) }, () => letters[Math.floor(next() * letters.length)]!);
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 30_000; n++) {
      const a = word();
      const b = next() < 0.5 ? word() : [...a];
      for (let e = Math.floor(next() * 4); e > 0; e--) {
        const at = Math.floor(next() * (b.length + 1));
        const kind = Math.floor(next() * 4);
        if (kind === 0 && at < b.length) b[at] = letters[Math.floor(next() * letters.length)]!;
        else if (kind === 1) b.splice(at, 0, letters[Math.floor(next() * letters.length)]!);
        else if (kind === 2 && at < b.length) b.splice(at, 1);
        else if (at + 1 < b.length) [b[at], b[at + 1]] = [b[at + 1]!, b[at]!];
      }
      const [x, y] = [a.join(''), b.join('')];
      const want = reference(x, y);
      counts[Math.min(3, want)]!++;
      for (const max of [0, 1, 2, 3]) {
        const got = editDistance(x, y, max);
        if (want <= max) expect(got, `${x} ${y} ${max}`).toBe(want);
        else expect(got, `${x} ${y} ${max}`).toBeGreaterThan(max);
      }
    }
    // Every distance was met, the small ones often.
    expect(Math.min(...counts)).toBeGreaterThan(1_000);
  });
});

describe('the letter-set test before an edit distance', () => {
  it('never rules out a word within the edits allowed (20,000 random pairs)', () => {
    const letters = [...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءئؤ'];
    let seed = 11;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = () => letters[Math.floor(next() * letters.length)]!;
    let within = 0;
    for (let n = 0; n < 20_000; n++) {
      const a = Array.from({ length: 4 + Math.floor(next() * 8) }, pick);
      const b = [...a];
      for (let e = 0, edits = 1 + Math.floor(next() * 2); e < edits; e++) {
        const at = Math.floor(next() * b.length);
        const kind = Math.floor(next() * 4);
        if (kind === 0) b[at] = pick();
        else if (kind === 1) b.splice(at, 0, pick());
        else if (kind === 2 && b.length > 2) b.splice(at, 1);
        else if (at + 1 < b.length) [b[at], b[at + 1]] = [b[at + 1]!, b[at]!];
      }
      const [x, y] = [a.join(''), b.join('')];
      for (const max of [1, 2]) {
        if (editDistance(x, y, max) > max) continue;
        within++;
        expect(popcount(letterSet(x) ^ letterSet(y)), `${x} ${y}`).toBeLessThanOrEqual(2 * max);
      }
    }
    expect(within).toBeGreaterThan(20_000);
  });
});

describe('the work budget (caps.work)', () => {
  const params = (q: string, limit = 10) => ({ q, limit, offset: 0, sort: 'relevance' as const, facets: false, recency: 0 });
  const tight = searchOptions({ caps: { work: 1 } }, BASE);

  it('reads the typo lexicon for the first words whose lists fit, and names the cut', async () => {
    const plan = planQuery(params('بومبو تيلرسن'));
    const loaded = await index.loadTerms(plan.terms, new ReadStats());
    const all = lexiconLookups(plan, loaded, BASE.spelling, Infinity, Infinity);
    const first = typoLookups([plan.query.words[0]!], BASE.spelling);
    expect(all.capped).toBe(false);
    expect(all.keys.length).toBeGreaterThan(first.length);
    const one = lexiconLookups(plan, loaded, BASE.spelling, Infinity, first.length * LEXICON_LIST_CHARS);
    expect(one).toEqual({ keys: first, capped: true });
    expect(lexiconLookups(plan, loaded, BASE.spelling, Infinity, 0)).toEqual({ keys: [], capped: true });
  });

  it('searches a word as typed, with no reading offered, once the budget is spent', async () => {
    const open = await search(index, params('بومبو'));
    expect(open.didYouMean).toBe('بومبيو');
    expect(open.capped).toBeUndefined();
    const spent = await search(index, params('بومبو'), new ReadStats(), tight);
    expect(spent.didYouMean).toBeUndefined();
    expect(spent.capped).toContain('typo-words');
    expect(spent.hits[0]!.id).toBe('pompeo-typo');
  });

  it('reads a Latin name only when its lists fit', async () => {
    const open = await search(index, params('trump'));
    expect(open.hits[0]!.id).toMatch(/^trump-\d+$/);
    const spent = await search(index, params('trump'), new ReadStats(), tight);
    expect(spent.capped).toContain('names');
    expect(spent.hits.some((h) => h.id.startsWith('trump-'))).toBe(false);
  });

  it('finds a quoted phrase whose word is one letter, and only where the words stand in order', async () => {
    // On a fresh reader, twice: the first check scans the bodies (and keeps their word
    // indexes), the second reads them from those indexes; both must find the same.
    const fresh = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    for (const pass of ['scanned', 'indexed']) {
      const found = await search(fresh, params('"فيتامين د"'));
      expect(found.hits.map((h) => h.id), pass).toEqual(['vitamin-d']);
      expect(found.total, pass).toBe(1);
      // Both words are in all three articles.
      expect((await search(fresh, params('فيتامين د'))).total, pass).toBe(3);
      // A stop word inside a phrase is found behind a proclitic, and only next to the next word.
      expect((await search(fresh, params('"التي أعلنتها"'))).hits.map((h) => h.id), pass).toEqual(['stop-behind-waw']);
    }
    // The bodies the phrase check read have their word indexes kept with the articles.
    const docs = await fresh.docs([...Array(fresh.docSpace).keys()], new ReadStats());
    const apart = [...docs.values()].find((a) => a.id === 'vitamin-apart')!;
    expect(knownWordIndex(apart, 'body')?.count).toBeGreaterThan(0);
  });

  it('checks a quoted phrase in as many texts as the budget holds, the page\'s at least, and estimates the rest', async () => {
    // 150 articles hold the phrase; the check reads 100 of them, or the page's 10: every one
    // read holds it, so the 50 or 140 left unread are counted as holding it (an estimate, said).
    const open = await search(index, params('"بومبيو يزور"'));
    expect(open.total).toBe(150);
    expect(open.capped).toContain('phrase-candidates');
    expect(open.estimated).toEqual(['total']);
    const spent = await search(index, params('"بومبيو يزور"'), new ReadStats(), tight);
    expect(spent.total).toBe(150);
    expect(spent.estimated).toEqual(['total']);
    expect(spent.hits.map((h) => h.id)).toEqual(open.hits.map((h) => h.id));
    // Facets asked: estimated like the total, and summing to it.
    const faceted = await search(index, { ...params('"بومبيو يزور"'), facets: true });
    expect(faceted.estimated).toEqual(['total', 'facets']);
    expect(Object.values(faceted.facets!.year).reduce((a, b) => a + b, 0)).toBe(150);
  });

  it('estimates the unchecked candidates by a sample of them, not by the best ones\' rate', async () => {
    // A phrase in 90 of the 150 articles holding its words: the 60 that title it rank first; of
    // the 90 whose bodies hold both words, every third holds the phrase.
    const rows = Array.from({ length: 150 }, (_, i) => {
      const body = i < 60 ? `رحلة تجريبية ${i}` : i % 3 === 0 ? `يسير القطار المغناطيسي بسرعة ${i}` : `القطار يعمل بالدفع المغناطيسي ${i}`;
      return JSON.stringify({ id: `maglev-${i}`, title: i < 60 ? `القطار المغناطيسي السريع ${i}` : `تجربة ${i}`, body, date: `${2015 + (i % 5)}-01-01`, source: 'test' });
    });
    // The years of the 90 that hold it.
    const years: Record<string, number> = {};
    for (let i = 0; i < 150; i++) if (i < 60 || i % 3 === 0) years[String(2015 + (i % 5))] = (years[String(2015 + (i % 5))] ?? 0) + 1;
    const maglev = await new IndexReader(new MemorySource(new Map((await buildEntries(rows)).map((e) => [e.key, e.value])))).current(new ReadStats());
    const q = { ...params('"القطار المغناطيسي"'), facets: true };
    const whole = await search(maglev, q, new ReadStats(), searchOptions({ caps: { phraseCheck: 1000 } }, BASE));
    expect(whole.total).toBe(90);
    expect(whole.estimated).toBeUndefined();
    expect(whole.facets!.year).toEqual(years);
    const est = await search(maglev, q);
    expect(est.estimated).toEqual(['total', 'facets']);
    // The 100 checked first hold it three times in four (their 60 titles), the 50 left once in
    // three: counted at the first rate, the total would be some 110.
    expect(Math.abs(est.total - 90)).toBeLessThanOrEqual(5);
    expect(Math.abs(Object.values(est.facets!.year).reduce((a, b) => a + b, 0) - est.total)).toBeLessThanOrEqual(5);
    for (const [year, n] of Object.entries(years)) expect(Math.abs(est.facets!.year[year]! - n), year).toBeLessThanOrEqual(5);
    expect(est.hits.map((h) => h.id)).toEqual(whole.hits.map((h) => h.id));
  });

  it('reads on past the best candidates when none holds the phrase but its sample does', async () => {
    // 110 titles hold both words apart (they rank first), 40 bodies hold the phrase.
    const rows = Array.from({ length: 150 }, (_, i) =>
      JSON.stringify(i < 110 ? { id: `apart-${i}`, title: `القطار ثم المغناطيسي ${i}`, body: `خبر ${i}`, date: '2020-01-01', source: 'test' } : { id: `held-${i}`, title: `تجربة ${i}`, body: `يسير القطار المغناطيسي بسرعة ${i}`, date: '2020-01-01', source: 'test' }),
    );
    const archive = await new IndexReader(new MemorySource(new Map((await buildEntries(rows)).map((e) => [e.key, e.value])))).current(new ReadStats());
    // (The premise: the 100 best candidates, whose text is checked first, are the 110's.)
    for (const offset of [0, 50]) for (const h of (await search(archive, { ...params('القطار المغناطيسي', 50), offset })).hits) expect(h.id).toMatch(/^apart-/);
    const found = await search(archive, params('"القطار المغناطيسي"'));
    expect(found.relaxed).toBeUndefined();
    expect(found.hits).toHaveLength(10);
    for (const h of found.hits) expect(h.id).toMatch(/^held-/);
    expect(Math.abs(found.total - 40)).toBeLessThanOrEqual(5);
  });

  it('checks more texts for a page deeper than the first check, as the budget allows', async () => {
    // Pages of 10 through all 150: each full, none repeating another's hit.
    const seen = new Set<string>();
    for (let offset = 0; offset < 150; offset += 10) {
      const page = await search(index, { ...params('"بومبيو يزور"'), offset });
      expect(page.hits, `offset ${offset}`).toHaveLength(10);
      for (const h of page.hits) seen.add(h.id);
    }
    expect(seen.size).toBe(150);
    // The page past the first 100 is the one a check of every text gives.
    const all = searchOptions({ caps: { phraseCheck: 1000 } }, BASE);
    const deep = await search(index, { ...params('"بومبيو يزور"'), offset: 120 });
    const whole = await search(index, { ...params('"بومبيو يزور"'), offset: 120 }, new ReadStats(), all);
    expect(whole.estimated).toBeUndefined();
    expect(whole.total).toBe(150);
    expect(deep.hits.map((h) => h.id)).toEqual(whole.hits.map((h) => h.id));
    // With no budget left, the deeper page is not read: it says so, and lists nothing wrong.
    const spent = await search(index, { ...params('"بومبيو يزور"'), offset: 120 }, new ReadStats(), tight);
    expect(spent.capped).toContain('phrase-candidates');
    expect(spent.hits.length).toBeLessThan(10);
  });

  it('counts a quoted phrase found in every candidate checked exactly, facets too', async () => {
    const q = { ...params('"فيتامين د"'), facets: true };
    const found = await search(index, q);
    expect(found.estimated).toBeUndefined();
    expect(found.capped ?? []).not.toContain('phrase-candidates');
    expect(Object.values(found.facets!.year).reduce((a, b) => a + b, 0)).toBe(found.total);
  });

  it('charges a value the same whether read or cached: a warm answer is the cold one', async () => {
    const budget = searchOptions({ caps: { work: 40_000 } }, BASE);
    for (const q of ['بومبو تيلرسن مثيزة الجزار', 'trump بومبو "بومبيو يزور"', 'تقرير المدينة النهر']) {
      const coldStats = new ReadStats();
      const fresh = await new IndexReader(new MemorySource(values)).current(coldStats);
      const cold = await search(fresh, params(q), coldStats, budget);
      const warmStats = new ReadStats();
      const warm = await search(fresh, params(q), warmStats, budget);
      expect(warmStats.bytes).toBeLessThan(coldStats.bytes);
      expect(warm).toEqual(cold);
      expect(warmStats.used).toBeGreaterThan(0);
    }
  });
});

describe('the head model (head-model.ts)', () => {
  // One tree: +10 for a title the query names less than half of (its features: titleShare).
  const preferMentions: HeadModel = { features: ['titleShare'], trees: [[0, 0.5, 1, 2, -1, 10, 0, 0, -1, 0, 0, 0]] };
  const withModel = (headModel?: HeadModel) => searchOptions({ ranking: { headModel } }, BASE);
  const page = (q: string, o: SearchOptions, offset = 0, limit = 10) => search(index, { q, limit, offset, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), o);

  it('orders the re-ranked head by the trees, the same docs on the page, scores still descending', async () => {
    const plain = await page('ما عاصمة سويسرا؟', withModel());
    const treed = await page('ما عاصمة سويسرا؟', withModel(preferMentions));
    expect(plain.hits.slice(0, 2).map((h) => h.id)).toEqual(['swiss-article', 'swiss-news']);
    const at = (id: string) => treed.hits.findIndex((h) => h.id === id);
    expect(at('swiss-news')).toBeLessThan(at('swiss-article'));
    expect(treed.hits[0]!.id).not.toBe('swiss-article');
    expect(treed.hits.map((h) => h.id).sort()).toEqual(plain.hits.map((h) => h.id).sort());
    expect(treed.total).toBe(plain.total);
    const scores = treed.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeCloseTo(Math.max(...plain.hits.map((h) => h.score)), 3);
  });

  it('leaves every result past the head where it was, and keeps the head above them', async () => {
    const o = withModel(preferMentions);
    const plain = await page('ماكرون الوفد', withModel(), 0, 20);
    const treed = await page('ماكرون الوفد', o, 0, 20);
    expect(treed.hits.slice(10).map((h) => [h.id, h.score])).toEqual(plain.hits.slice(10).map((h) => [h.id, h.score]));
    expect(Math.min(...treed.hits.slice(0, 10).map((h) => h.score))).toBeGreaterThanOrEqual(treed.hits[10]!.score);
    // The second page alone is the same whatever the head's order.
    expect((await page('ماكرون الوفد', o, 10)).hits.map((h) => h.id)).toEqual((await page('ماكرون الوفد', withModel(), 10)).hits.map((h) => h.id));
  });

  it('with questionsOnly, orders questions\' heads by the trees and leaves every other query\'s order', async () => {
    const forQuestions = withModel({ ...preferMentions, questionsOnly: true });
    const treed = await page('ما عاصمة سويسرا؟', withModel(preferMentions));
    expect((await page('ما عاصمة سويسرا؟', forQuestions)).hits.map((h) => [h.id, h.score])).toEqual(treed.hits.map((h) => [h.id, h.score]));
    // No question mark: ما opens it.
    expect((await page('ما عاصمة سويسرا', forQuestions)).hits.map((h) => h.id)).toEqual((await page('ما عاصمة سويسرا', withModel(preferMentions))).hits.map((h) => h.id));
    // The same words as words to find: the weights' order, which the trees would change.
    const words = await page('عاصمة سويسرا', forQuestions);
    expect(words.hits.map((h) => [h.id, h.score])).toEqual((await page('عاصمة سويسرا', withModel())).hits.map((h) => [h.id, h.score]));
    expect(words.hits.map((h) => h.id)).not.toEqual((await page('عاصمة سويسرا', withModel(preferMentions))).hits.map((h) => h.id));
  });

  it('reads a re-ranking share the weights give 0 for the trees: closeness orders the head', async () => {
    // +10 for a doc whose query words are all close (closeness ≥ 0.9); the weights leave closeness and adjacency out.
    const byCloseness: HeadModel = { features: ['closeness'], trees: [[0, 0.9, 1, 2, -1, 0, 0, 0, -1, 10, 0, 0]] };
    const noText = { proximity: 0, adjacency: 0 };
    const order = async (headModel?: HeadModel) => (await page('النهر الجسر', searchOptions({ ranking: { ...noText, headModel } }, BASE))).hits.map((h) => h.id).slice(0, 2);
    expect(await order()).toEqual(['far', 'near']); // the tie-break alone
    expect(await order(byCloseness)).toEqual(['near', 'far']);
  });

  it('never puts a doc found only through a typo reading above one matching as typed', () => {
    const head = [{ doc: 1, score: 5, exact: 1 }, { doc: 2, score: 4, exact: 1 }, { doc: 3, score: 3, exact: 0 }];
    // The trees favour doc 3 (feature 1) by far, then doc 2 over doc 1.
    const model: HeadModel = { features: ['titleShare'], trees: [[0, 0.5, 1, 2, -1, 0, 0, 0, -1, 50, 0, 0], [0, 0.2, 1, 2, -1, 0, 0, 0, -1, 5, 0, 0]] };
    const out = reorderHead(head, [[0], [0.3], [1]], model, 2);
    expect(out.map((c) => c.doc)).toEqual([2, 1, 3]);
    expect(out[0]!.score).toBe(5);
    expect(out.every((c) => c.score >= 2 && c.score <= 5)).toBe(true);
    expect(out[1]!.score).toBeGreaterThanOrEqual(out[2]!.score); // down the page, never up
    expect(headScore(model, [1])).toBe(55);
    expect(headScore(model, [0])).toBe(0);
  });
});

describe('the recency prior', () => {
  it('measures age from the newest date not after the publication: a date typed in the future does not switch it off', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bahth-future-'));
    try {
      const rows = [
        { id: 'bridge-new', title: 'قنطرة النهر', body: 'افتتحت قنطرة النهر', date: '2024-05-02' },
        { id: 'bridge-old', title: 'قنطرة النهر', body: 'افتتحت قنطرة النهر', date: '2014-05-02' },
        // 2081 for 2018: without the cap, every other doc would be 57 years old.
        { id: 'typo-date', title: 'مهرجان المدينة', body: 'افتتح مهرجان المدينة', date: '2081-05-02' },
        { id: 'old-date', title: 'رحلة قديمة', body: 'رحلة في زمن مضى', date: '1899-01-01' },
      ];
      writeFileSync(join(tmp, 'rows.jsonl'), rows.map((r) => JSON.stringify({ ...r, source: 'test' })).join('\n'));
      const logged: string[] = [];
      await buildIndex({ inputs: [join(tmp, 'rows.jsonl')], outDir: join(tmp, 'dist'), log: (m) => logged.push(m) });
      // The build names the row, for the editor to check.
      expect(logged.find((m) => m.includes('dated after tomorrow'))).toMatch(/^1 article\(s\) dated after tomorrow, first .*rows\.jsonl:3 \(2081-05-02\)/);
      // And a date before 1970, which the index cannot count, is named as searched undated.
      expect(logged.find((m) => m.includes('before 1970'))).toMatch(/1 article\(s\) dated before 1970, first .*rows\.jsonl:4 \(1899-01-01\): .* searched as undated/);
      const kv = new Map<string, string>();
      for (const f of readdirSync(join(tmp, 'dist', 'kv'))) for (const e of JSON.parse(readFileSync(join(tmp, 'dist', 'kv', f), 'utf8')) as { key: string; value: string }[]) kv.set(e.key, e.value);
      for (const e of JSON.parse(readFileSync(join(tmp, 'dist', 'switch.json'), 'utf8')) as { key: string; value: string }[]) kv.set(e.key, e.value);
      const future = await new IndexReader(new MemorySource(kv)).current(new ReadStats());
      const run = async (q: string, recency: number) => (await search(future, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency })).hits;
      const gain = async (q: string, id: string) => (await run(q, 1)).find((h) => h.id === id)!.score / (await run(q, 0)).find((h) => h.id === id)!.score;
      expect(await gain('قنطرة', 'bridge-new')).toBeCloseTo(2, 2);
      expect(await gain('قنطرة', 'bridge-old')).toBeLessThan(1.01);
      // The doc dated after the publication counts as the newest, no more.
      expect(await gain('مهرجان', 'typo-date')).toBeCloseTo(2, 2);
      // Date order keeps its date as written.
      expect((await search(future, { q: 'افتتح', limit: 10, offset: 0, sort: 'date', facets: false, recency: 0 })).hits[0]!.id).toBe('typo-date');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('puts a doc with no date between the newest and the oldest, at the dated docs\' mean factor', async () => {
    const run = async (recency: number) => (await search(index, { q: 'قنطرة', limit: 10, offset: 0, sort: 'relevance', facets: false, recency })).hits;
    const on = await run(1);
    expect(on.map((h) => h.id)).toEqual(['qantara-new', 'qantara-undated', 'qantara-old']);
    const off = await run(0);
    const score = (hits: typeof on, id: string) => hits.find((h) => h.id === id)!.score;
    // Off, the three tie; on, the newest is raised by the whole prior (×2), the oldest by little,
    // and the undated one by neither: by the mean over the archive's dated docs, below the newest.
    expect(score(off, 'qantara-new')).toBeCloseTo(score(off, 'qantara-undated'), 4);
    const gain = (id: string) => score(on, id) / score(off, id);
    expect(gain('qantara-new')).toBeCloseTo(2, 2);
    expect(gain('qantara-undated')).toBeGreaterThan(gain('qantara-old'));
    expect(gain('qantara-undated')).toBeLessThan(gain('qantara-new'));
  });
});
