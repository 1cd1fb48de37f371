/**
 * `npm run house-styles`: one word in two outlets' spellings (ترامب, ترمب) found with its
 * evidence, where two different words one long vowel apart are not: a plural and a word it
 * nearly spells (مدارس, مدرس: every outlet writes both), or two words that outlets split but say
 * of other things (سيارة, سيرة). A full build keeps the pairs in the manifest and searches read
 * them as synonyms, unless the editor keeps a pair apart. On the command line: bad options
 * refused, and `--out` a file the synonyms publish reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { houseStylePairs, letterNeighbours, letterVariants, vowelNeighbours, type StyledArticle } from '../../src/indexer/house-styles';
import { parseSynonyms } from '../../src/indexer/settings-files';
import { buildIndex } from '../../src/indexer/build-index';
import { manifestProblem, type ArchiveManifest } from '../../src/core/format/manifest';
import { unsealValue } from '../../src/core/format/layout';
import { searchOptions } from '../../src/core/search/options';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { suggest } from '../../src/core/search/suggest';
import { highlightAll, queryMatcher } from '../../src/core/search/snippet';
import { ReadStats } from '../../src/core/search/source';
import { settingsOf } from '../../src/core/settings/reader';
import { articlesOf, buildKv, publish } from '../archives';

const ROOT = join(import.meta.dirname, '..', '..');

/** Two outlets over the same news, each with its own spelling of one name, and two word pairs that are not spellings. */
function archive(): (StyledArticle & { id: string })[] {
  const out: (StyledArticle & { id: string })[] = [];
  const topics = ['البيت الأبيض', 'الكونغرس', 'واشنطن', 'الانتخابات', 'الرسوم الجمركية'];
  for (let i = 0; i < 30; i++) {
    const topic = topics[i % topics.length]!;
    out.push({ id: `a${i}`, title: `ترمب يتحدث عن ${topic}`, body: [`قال الرئيس ترمب في ${topic} إن مدارس كل مدرس مفتوحة`], sources: ['Outlet A'] });
    out.push({ id: `b${i}`, title: `ترامب يتحدث عن ${topic}`, body: [`قال الرئيس ترامب في ${topic} إن مدرس المدارس باق`], sources: ['Outlet B'] });
    // سيارة (a car) in one outlet's stories of the roads, سيرة (a life) in the other's of books.
    out.push({ id: `c${i}`, title: `سيارة جديدة على الطريق السريع ${i}`, body: ['توقفت السيارة عند الإشارة'], sources: ['Outlet A'] });
    out.push({ id: `d${i}`, title: `سيرة الشاعر في كتاب جديد للناشر ${i}`, body: ['صدرت سيرة الشاعر عن دار النشر'], sources: ['Outlet B'] });
  }
  return out;
}

describe('house styles', () => {
  it('reads stems one long vowel apart: left out or moved', () => {
    expect(vowelNeighbours('ترامب')).toContain('ترمب');
    expect(vowelNeighbours('امريكا')).toContain('اميركا');
    expect(vowelNeighbours('نتنياهو')).toEqual(expect.arrayContaining(['نتنيهو', 'نتناهو']));
    expect(vowelNeighbours('كتب')).toEqual([]);
  });

  it('finds the name the two outlets spell apart, not the plural nor the word of other stories', () => {
    const pairs = houseStylePairs(archive());
    expect(pairs.map((p) => p.forms)).toEqual([['ترامب', 'ترمب']]);
    const [p] = pairs;
    expect(p!.outlets).toEqual([['Outlet B'], ['Outlet A']]);
    expect(p!.split).toBe(1);
    expect(p!.together).toBe(0);
    expect(p!.cosine).toBeGreaterThan(0.9);
    // Without the context test, سيارة and سيرة pass too: outlets split them as they split a name.
    // Without the outlets' split, مدارس and مدرس pass (said in the same stories, and together).
    const noContext = houseStylePairs(archive(), { minCosine: 0 }).map((x) => x.forms.join(' '));
    expect(noContext).toContain('سيارة سيرة');
    expect(noContext.some((f) => f.includes('مدرس'))).toBe(false);
    const noSplit = houseStylePairs(archive(), { minSplit: 0, maxTogether: 1 }).map((x) => x.forms.join(' '));
    expect(noSplit).toContain('مدارس مدرس');
    // Whichever spelling is the commoner: here the short one (an archive with more of Outlet A).
    const shortCommoner = houseStylePairs(archive().filter((a) => !/^b\d$/.test(a.id)));
    expect(shortCommoner.map((x) => x.forms)).toEqual([['ترمب', 'ترامب']]);
    expect(shortCommoner[0]!.df).toEqual([30, 20]);
  });

  it('carries a pair found only behind a proclitic to the words without it', () => {
    const topics = ['الدوري', 'الملعب', 'المدرب', 'الهدف', 'الكأس'];
    const out: StyledArticle[] = [];
    for (let i = 0; i < 30; i++) {
      const topic = topics[i % topics.length]!;
      // Each outlet keeps to its spelling behind و, and writes both without it.
      out.push({ title: `ليفربول وتشلسي في ${topic}`, body: ['مباراة ليفربول وتشلسي'], sources: ['Outlet A'] });
      out.push({ title: `ليفربول وتشيلسي في ${topic}`, body: ['مباراة ليفربول وتشيلسي'], sources: ['Outlet B'] });
      out.push({ title: `${i % 2 ? 'تشلسي' : 'تشيلسي'} يفوز في ${topic}`, body: ['نتيجة المباراة'], sources: [i % 4 < 2 ? 'Outlet A' : 'Outlet B'] });
    }
    const pairs = houseStylePairs(out);
    expect(pairs.map((p) => [[...p.forms].sort(), p.behind])).toEqual([[['تشلسي', 'تشيلسي'], 'و']]);
  });

  it('counts an outlet that writes both for the one it writes more only below the 4 in 5 home share', () => {
    const topics = ['الكنيست', 'القدس', 'الحكومة', 'الشرطة', 'الليكود'];
    const out: StyledArticle[] = [];
    for (let i = 0; i < 30; i++) {
      const topic = topics[i % topics.length]!;
      out.push({ title: `نتنياهو يتحدث عن ${topic}`, body: [`قال نتنياهو في ${topic}`], sources: ['Outlet A'] });
      out.push({ title: `نتانياهو يتحدث عن ${topic}`, body: [`قال نتانياهو في ${topic}`], sources: ['Outlet B'] });
      // Outlet C writes نتانياهو three times in four: no form's home at 4 in 5.
      const form = i % 4 === 0 ? 'نتنياهو' : 'نتانياهو';
      out.push({ title: `${form} يزور ${topic}`, body: [`زار ${form} ${topic}`], sources: ['Outlet C'] });
    }
    // نتانياهو: 30 articles in B, 22 in C; only B's count at 4 in 5, a split of 30/52.
    expect(houseStylePairs(out)).toEqual([]);
    const lower = houseStylePairs(out, { homeShare: 0.7 });
    expect(lower.map((p) => [...p.forms].sort())).toEqual([['نتانياهو', 'نتنياهو']]);
    expect(lower[0]!.outlets.map((o) => [...o].sort())).toEqual([['Outlet B', 'Outlet C'], ['Outlet A']]);
  });

  it('finds a pair whose words are a vowel apart where light stemming cuts one as a suffix (بوتين: بوت)', () => {
    const topics = ['الكرملين', 'موسكو', 'الانتخابات', 'العقوبات', 'القمة'];
    const out: StyledArticle[] = [];
    for (let i = 0; i < 30; i++) {
      const topic = topics[i % topics.length]!;
      out.push({ title: `بوتين يتحدث عن ${topic}`, body: [`قال الرئيس بوتين في ${topic}`], sources: ['Outlet A'] });
      out.push({ title: `بوتن يتحدث عن ${topic}`, body: [`قال الرئيس بوتن في ${topic}`], sources: ['Outlet B'] });
    }
    // The stems are بوت and بوتن, not a long vowel apart: only the words are.
    expect(vowelNeighbours('بوتن')).not.toContain('بوت');
    const pairs = houseStylePairs(out);
    expect(pairs.map((p) => [...p.forms].sort())).toEqual([['بوتن', 'بوتين']]);
    expect([...pairs[0]!.stems].sort()).toEqual(['بوت', 'بوتن']);
  });
});

describe('foreign names written with ج and with غ', () => {
  it('reads stems with any of their first three ج and غ as the other, and words that are one so', () => {
    expect(letterNeighbours('غوغل').sort()).toEqual(['جوجل', 'جوغل', 'غوجل']);
    expect(letterNeighbours('سيرجي')).toEqual(['سيرغي']);
    expect(letterNeighbours('كتب')).toEqual([]);
    expect(letterVariants('الكونغرس', 'الكونجرس')).toBe(true);
    expect(letterVariants('إنستغرام', 'انستجرام')).toBe(true);
    expect(letterVariants('بوندسليغا', 'البوندسليجا')).toBe(true);
    // Stems one letter apart whose words are not: غير and جير (غيرها, جيرانها).
    expect(letterVariants('غيرها', 'جيرانها')).toBe(false);
    expect(letterVariants('بالونغ', 'كالونجي')).toBe(false);
    expect(letterVariants('غوغل', 'غوغل')).toBe(false);
  });

  it('pairs a name one outlet writes both ways, in the same stories and even the same articles, not two words a letter apart', () => {
    const topics = ['الهاتف', 'الشركة', 'التطبيق', 'البحث', 'الإعلانات'];
    const out: StyledArticle[] = [];
    for (let i = 0; i < 30; i++) {
      const topic = topics[i % topics.length]!;
      // One outlet and both spellings: no split, and the rarer often beside the commoner.
      out.push({ title: `غوغل تطلق ${topic} الجديد`, body: [`أعلنت غوغل عن ${topic}`], sources: ['Outlet A'] });
      if (i % 3 === 0) out.push({ title: `جوجل تطلق ${topic} الجديد`, body: [`أعلنت جوجل عن ${topic} كما كتبت غوغل`], sources: ['Outlet A'] });
      // تغلب (overcame) and تجلب (brings): a letter apart, said of other things.
      out.push({ title: `الفريق تغلب على خصمه في المباراة ${i}`, body: ['تغلب الفريق على منافسه'], sources: ['Outlet A'] });
      out.push({ title: `الأمطار تجلب الخير للمزارعين ${i}`, body: ['تجلب الأمطار الخير'], sources: ['Outlet B'] });
    }
    const pairs = houseStylePairs(out);
    expect(pairs.map((p) => [p.forms, p.kind])).toEqual([[['غوغل', 'جوجل'], 'letters']]);
    expect(pairs[0]!.split).toBe(0);
    expect(pairs[0]!.together).toBe(1);
    // The context is what keeps تغلب and تجلب apart.
    expect(houseStylePairs(out, { minLetterCosine: 0 }).map((p) => [...p.forms].sort().join(' '))).toContain('تجلب تغلب');
    // A rarer spelling in fewer articles than asked is left alone.
    expect(houseStylePairs(out, { minLetterDf: 11 })).toEqual([]);
  });

  it('lists a name found behind و too once, without the و', () => {
    const topics = ['المونديال', 'المنتخب', 'المباراة', 'الملعب', 'الكأس'];
    const out: StyledArticle[] = [];
    for (let i = 0; i < 30; i++) {
      const topic = topics[i % topics.length]!;
      out.push({ title: `الأرجنتين وأوروغواي في ${topic}`, body: ['مباراة الأرجنتين وأوروغواي، أوروغواي تفوز'], sources: ['Outlet A'] });
      if (i % 3 === 0) out.push({ title: `الأرجنتين وأوروجواي في ${topic}`, body: ['مباراة الأرجنتين وأوروجواي، أوروجواي تفوز'], sources: ['Outlet A'] });
    }
    const pairs = houseStylePairs(out);
    expect(pairs.map((p) => [...p.forms].sort())).toEqual([['أوروجواي', 'أوروغواي']]);
  });
});

describe('house styles in search', () => {
  const rows = archive().map((a, i) => JSON.stringify({ id: a.id, title: a.title, body: a.body, source: a.sources[0], date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString() }));
  const q = (index: Awaited<ReturnType<IndexReader['current']>>, text: string, o = searchOptions({}), settings = settingsOf(null, null)) =>
    search(index, { q: text, limit: 60, offset: 0, sort: 'relevance', facets: false, recency: 0 }, new ReadStats(), o, settings);
  const manifestOf = async (kv: Awaited<ReturnType<typeof buildKv>>) => JSON.parse(unsealValue(kv.values.get('manifest')!)!) as ArchiveManifest;

  it('a full build keeps the pairs in the manifest, and a publish keeps them', async () => {
    const kv = await buildKv(rows);
    expect((await manifestOf(kv)).houseStyles).toEqual([['ترامب', 'ترمب']]);
    await publish(kv, { add: await articlesOf([JSON.stringify({ id: 'late', title: 'ترامب في الكونغرس', body: 'نص', source: 'Outlet B', date: '2021-01-01' })]) });
    const after = await manifestOf(kv);
    expect(after.generation).toBe(1);
    expect(after.houseStyles).toEqual([['ترامب', 'ترمب']]);
    expect(manifestProblem({ ...after, houseStyles: [['ترامب']] })).toBe('bad houseStyles');
  }, 60_000);

  it('a search for one spelling finds the other outlet\'s articles too, below its own; the editor can keep them apart', async () => {
    const index = await new IndexReader(await buildKv(rows)).current(new ReadStats());
    const ids = (r: { hits: { id: string }[] }) => r.hits.map((h) => h.id);
    const both = await q(index, 'ترمب');
    expect(both.total).toBe(60);
    // Outlet A writes ترمب: its 30 articles first, then Outlet B's ترامب.
    expect(ids(both).slice(0, 30).every((id) => id.startsWith('a'))).toBe(true);
    expect(ids(both).slice(30).every((id) => id.startsWith('b'))).toBe(true);
    expect((await q(index, 'ترامب')).total).toBe(60);
    // Not read: houseStyleWeight 0, or the editor's `!=`.
    expect((await q(index, 'ترمب', searchOptions({ ranking: { houseStyleWeight: 0 } }))).total).toBe(30);
    const apart = parseSynonyms('ترمب != ترامب\n', 'synonyms.txt');
    expect(JSON.parse(unsealValue(apart.value)!).entries).toEqual([{ line: 1, kind: 'apart', words: ['ترمب', 'ترامب'] }]);
    expect((await q(index, 'ترمب', undefined, settingsOf(apart.value, null))).total).toBe(30);
    // Another editor entry leaves the pair in force.
    const other = parseSynonyms('الكونغرس، مجلس النواب\n', 'synonyms.txt');
    expect((await q(index, 'ترمب', undefined, settingsOf(other.value, null))).total).toBe(60);
    // Words the pairs do not name are searched as without them.
    expect(ids(await q(index, 'سيارة'))).toEqual(ids(await q(index, 'سيارة', searchOptions({ ranking: { houseStyleWeight: 0 } }))));
    // Excluding one spelling leaves out the other outlet's too (the same name), and behind a proclitic.
    const topic = await q(index, 'الكونغرس');
    expect(topic.total).toBe(12);
    for (const minus of ['الكونغرس -ترمب', 'الكونغرس -ترامب', 'الكونغرس -لترامب']) expect((await q(index, minus)).total, minus).toBe(0);
    expect((await q(index, 'الكونغرس -ترمب', undefined, settingsOf(apart.value, null))).total).toBe(6);
    // One spelling asked for and the other excluded: the articles that write the one.
    const only = await q(index, 'ترامب -ترمب');
    expect(only.total).toBe(30);
    expect(ids(only).every((id) => id.startsWith('b'))).toBe(true);
  }, 60_000);

  it('a typo corrected to one spelling finds the other outlet\'s articles too, as the word typed right does', async () => {
    const index = await new IndexReader(await buildKv(rows)).current(new ReadStats());
    const ids = (r: { hits: { id: string; score: number }[] }) => r.hits.map((h) => [h.id, h.score]);
    const right = await q(index, 'ترامب الكونغرس');
    for (const typo of ['تراامب الكونغرس', 'ترامبب الكونغرس']) {
      const read = await q(index, typo);
      expect(read.corrected, typo).toBe(true);
      expect(read.didYouMean, typo).toBe('ترامب الكونغرس');
      expect(read.total, typo).toBe(right.total);
      expect(ids(read), typo).toEqual(ids(right));
    }
    // The editor's `!=` holds for the reading too.
    const apart = settingsOf(parseSynonyms('ترمب != ترامب\n', 'synonyms.txt').value, null);
    expect((await q(index, 'تراامب', undefined, apart)).total).toBe(30);
  }, 60_000);

  it('/suggest lists the titles of both spellings, its own first, as the search finds them; the editor can keep them apart', async () => {
    const index = await new IndexReader(await buildKv(rows)).current(new ReadStats());
    const titles = async (text: string, settings = settingsOf(null, null), limit = 10) => (await suggest(index, text, limit, new ReadStats(), {}, settings.synonyms)).titles;
    const own = await titles('ترمب الكونغرس ', undefined, 10);
    // Outlet A writes ترمب: its six «ترمب يتحدث عن الكونغرس» first, then B's six ترامب.
    expect(own.map((t) => t.id[0])).toEqual(['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b']);
    expect(own.at(-1)!.titleHtml).toContain('<mark>ترامب</mark>');
    expect((await titles('ترامب الكونغرس ')).map((t) => t.id[0])).toEqual(['b', 'b', 'b', 'b', 'b', 'b', 'a', 'a', 'a', 'a']);
    // Excluded, both spellings are left out.
    expect(await titles('الكونغرس -ترمب ')).toEqual([]);
    // The editor's != keeps them apart here too.
    const apart = settingsOf(parseSynonyms('ترمب != ترامب\n', 'synonyms.txt').value, null);
    expect((await titles('ترمب الكونغرس ', apart)).map((t) => t.id[0])).toEqual(['a', 'a', 'a', 'a', 'a', 'a']);
  }, 60_000);

  it('excluding one spelling leaves out the other behind a proclitic, as a search for the one finds it', async () => {
    const clitic = JSON.stringify({ id: 'clitic', title: 'رسالة لترمب من الكونغرس', body: 'بعث الكونغرس رسالة لترمب', source: 'Outlet A', date: '2021-02-01' });
    const index = await new IndexReader(await buildKv([...rows, clitic])).current(new ReadStats());
    const ids = async (text: string) => (await q(index, text)).hits.map((h) => h.id);
    expect(await ids('ترامب')).toContain('clitic');
    expect(await ids('الكونغرس')).toContain('clitic');
    for (const minus of ['الكونغرس -ترامب', 'الكونغرس -ترمب', 'الكونغرس NOT ترامب']) expect(await ids(minus), minus).toEqual([]);
  }, 60_000);

  it('an article\'s page marks the other spelling, as the search found it', async () => {
    const index = await new IndexReader(await buildKv(rows)).current(new ReadStats());
    const marked = (q: string, text: string, table = index.synonymsWith(settingsOf(null, null).synonyms)) => highlightAll(text, queryMatcher(q, table)!).html;
    expect(marked('ترامب', 'قال ترمب ثم لترمب')).toBe('قال <mark>ترمب</mark> ثم <mark>لترمب</mark>');
    expect(marked('ترمب', 'قال ترامب')).toBe('قال <mark>ترامب</mark>');
    // Without the table (or kept apart by the editor), the word alone.
    expect(highlightAll('قال ترمب', queryMatcher('ترامب')!).html).toBe('قال ترمب');
    const apart = settingsOf(parseSynonyms('ترمب != ترامب\n', 'synonyms.txt').value, null);
    expect(marked('ترامب', 'قال ترمب', index.synonymsWith(apart.synonyms))).toBe('قال ترمب');
  }, 60_000);

  it('a build told not to look keeps no pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bahth-nostyles-'));
    try {
      writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
      await buildIndex({ inputs: [join(dir, 'in.jsonl')], outDir: join(dir, 'dist'), houseStyles: false });
      expect(JSON.parse(readFileSync(join(dir, 'dist', 'manifest.json'), 'utf8')).switch.value.houseStyles).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the example synonyms file publishes, with the corpus\'s false pairs kept apart', () => {
    const w = parseSynonyms(readFileSync(join(ROOT, 'docs', 'examples', 'synonyms.txt'), 'utf8'), 'synonyms.txt');
    const apart = (JSON.parse(unsealValue(w.value)!).entries as { kind: string; words: string[] }[]).filter((e) => e.kind === 'apart').map((e) => e.words.join(' '));
    expect(apart).toEqual(['البالغ بلاغ', 'الجيل جويلية', 'ترفع الترفيع']);
  });

  it('refuses a "!=" line it cannot read, naming it', () => {
    expect(() => parseSynonyms('ترمب != ترامب != ترامپ\n', 's.txt')).toThrow(/s\.txt:1: more than one "!="/);
    expect(() => parseSynonyms('ترمب != ترامب => بوتين\n', 's.txt')).toThrow(/s\.txt:1: both "=>" and "!="/);
    expect(() => parseSynonyms('ترمب !=\n', 's.txt')).toThrow(/s\.txt:1: nothing after "!="/);
  });
});

describe('npm run house-styles on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-styles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/house-styles.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('refuses a bad option value with one line naming it, and exit 2', () => {
    const r = run('--min-split', '2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^house-styles: --min-split takes a number from 0 to 1, not "2"/);
    const home = run('--home-share', '0.3');
    expect(home.status).toBe(2);
    expect(home.stderr).toMatch(/^house-styles: --home-share takes a number from 0.5 to 1, not "0.3"/);
  });

  it('names the file and line of a bad row, and writes nothing', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ id: 'x1', title: 'عنوان', body: 'نص', date: '2024-01-02', source: 'x' })}\n{not json\n`);
    const r = run(bad, '--out', join(dir, 'never.txt'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:2/);
    expect(() => readFileSync(join(dir, 'never.txt'))).toThrow();
  });

  it('prints the pairs and writes them as a synonyms file the publish reads', () => {
    const file = join(dir, 'archive.jsonl');
    writeFileSync(file, archive().map((a) => JSON.stringify({ id: a.id, title: a.title, body: a.body.join('\n'), date: '2024-01-02', source: a.sources[0] })).join('\n'));
    const out = join(dir, 'styles.txt');
    const r = run(file, '--out', out, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ترامب 30 articles \(Outlet B\) · ترمب 30 \(Outlet A\) · split 1\.00/);
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('\nترامب، ترمب\n');
    const parsed = parseSynonyms(written, out);
    expect(JSON.stringify(parsed)).toContain('ترمب');
  });
});
