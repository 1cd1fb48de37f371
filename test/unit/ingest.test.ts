import { corpusPath } from '../corpus';
import { afterAll, describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ARTICLE_ID_PATTERN, type Article } from '../../src/core/article';
import { BahthError } from '../../src/core/errors';
import { IgnoredFields, readArticles } from '../../src/indexer/ingest/index';
import { readJsonl } from '../../src/indexer/ingest/jsonl';
import { parseSeedPage } from '../../src/indexer/ingest/seed-page';

const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

function seedText(name: string): string {
  return readFileSync(join(SEEDS_DIR, name), 'utf8');
}

function parseSeed(name: string): Article[] {
  return parseSeedPage(seedText(name), `seeds/${name}`);
}

async function collect(articles: AsyncIterable<Article>): Promise<Article[]> {
  const out: Article[] = [];
  for await (const article of articles) out.push(article);
  return out;
}

/** The BahthError that reading fails with (any other outcome fails the test). */
async function failure(articles: AsyncIterable<Article>): Promise<BahthError> {
  try {
    await collect(articles);
  } catch (err) {
    if (err instanceof BahthError) return err;
    throw err;
  }
  throw new Error('expected reading to fail');
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-ingest-'));
  tempDirs.push(dir);
  return dir;
}

// --- seed pages -----------------------------------------------------------------------------

const RELATED_004 = [
  'الرئيس السيسي يتلقي اتصالا هاتفياً من نظيره الروسي فلاديمير بوتين',
  'الرئيسان السيسى وبوتين يبحثان هاتفيا مشروعي المنطقة الصناعية والضبعة النووى',
  'الرئيس السيسي يتلقى اتصالا هاتفياً من الرئيس الروسي بوتين',
  'مستقبل العلاقات الصينية الأمريكية في إدارة ترامب الثانية',
  'الزعيمان الروسي والصيني يعقدان اجتماعاً مشتركاً',
  'اجتماع بين السفيرين الروسي والصيني لمناقشة العملية السياسية الليبية',
  'الرئيسان الروسي والصيني يبحثان ضمان الأمن بالعالم بأسره',
  'الرئيس الصيني يجري اتصالاً مع الرئيس الروسي',
  'الرئيس الصيني: مستعدون لرفع العلاقات مع روسيا إلى مستوى جديد في 2025',
  'نائب الرئيس الصيني يدعو الشركات الأمريكية لتوثيق العلاقات مع بكين',
];

interface Expected {
  id: string;
  title: string;
  date?: string;
  sources: string[];
  place?: string;
  tags: string[];
  related: string[];
  paragraphs: number;
}

/** Every article each seed yields, in page order. */
const SEEDS: Record<string, Expected[]> = {
  '000_bd41f4d4b492a657.txt': [
    {
      id: '000-bd41f4d4b492a657',
      title: 'وشكر بوتين على جهود مصر في التوصل إلى اتفاق بين إسرائيل وحماس',
      sources: ['وكالة تسنیم للأنباء'],
      tags: [],
      related: [],
      paragraphs: 4,
    },
    {
      id: '000-bd41f4d4b492a657-2',
      title: 'الكرملين: محادثة بوتين وشي جين بينغ لا علاقة لها بتنصيب ترامب',
      sources: ['وكالة تسنیم للأنباء'],
      tags: [],
      related: [],
      paragraphs: 3,
    },
  ],
  '001_8a7ac69372d375fc.txt': [
    {
      id: '001-8a7ac69372d375fc',
      title: 'الكرملين: بوتين يؤكد لنتنياهو موقفه المبدئي المتمثل في رفضه وإدانته للإرهاب بكل أشكاله',
      date: '2023-12-10',
      sources: ['RT', 'RT Arabic'],
      tags: ['الجيش', 'الإسرائيلي', 'الحرب', 'على', 'غزة', 'القضية', 'الفلسطينية', 'الكرملين', 'بنيامين',
        'نتنياهو', 'طوفان', 'الأقصى', 'فلاديمير', 'بوتين', 'قطاع'],
      related: [],
      paragraphs: 7,
    },
    {
      id: '001-8a7ac69372d375fc-2',
      title: 'الصين مستعدة لأداء "دور بناء" لإنهاء حرب أوكرانيا',
      sources: [],
      tags: [],
      related: [],
      paragraphs: 8,
    },
  ],
  '002_dceb01e7f804bfd1.txt': [
    {
      id: '002-dceb01e7f804bfd1',
      title: 'الكرملين: بوتين وبزشكيان أكدا أهمية تنسيق الجهود ضمن صيغة أستانا لحل الوضع بسوريا',
      date: '2024-12-02',
      sources: ['بوابة الوفد'],
      tags: ['الكرملين', 'بزشكيان', 'بوتين', 'روسيا', 'وإيران'],
      related: [],
      paragraphs: 10,
    },
    {
      id: '002-dceb01e7f804bfd1-2',
      title: 'موسكو ترد على وزيرة خارجية ألمانيا بشأن القواعد الروسية في سوريا',
      sources: [],
      tags: [],
      related: [],
      paragraphs: 8,
    },
  ],
  '003_0300bacb8aeb6261.txt': [
    {
      id: '003-0300bacb8aeb6261',
      title: 'تحدث الرئيس الروسي فلاديمير بوتين يوم الثلاثاء مع الرئيس الصيني شي جين بينغ',
      sources: ['أ ف ب'],
      place: 'موسكو',
      tags: [],
      related: [],
      paragraphs: 22,
    },
  ],
  '004_bafdca1a404276d3.txt': [
    {
      id: '004-bafdca1a404276d3',
      title: 'أكد الرئيس الروسي فلاديمير بوتين أن العلاقات بين بلاده والصين ليست موجهة ضد أي جهة',
      sources: ['سانا', 'الوكالة العربية السورية للأنباء'],
      place: 'بكين',
      tags: [],
      related: RELATED_004,
      paragraphs: 8,
    },
    {
      id: '004-bafdca1a404276d3-2',
      title: 'الرئيسان السيسى وبوتين يبحثان هاتفيا مشروعي المنطقة الصناعية والضبعة النووى',
      sources: [],
      tags: [],
      // its own title is in the page's list too, but a story is not related to itself
      related: RELATED_004.filter((t) => !t.startsWith('الرئيسان السيسى')),
      paragraphs: 5,
    },
  ],
};

function summary(a: Article): Expected {
  const { id, title, date, sources, place, tags, related } = a;
  return { id, title, date, sources, place, tags, related, paragraphs: a.body.length };
}

/** Page furniture that must not reach a title or body. */
const FURNITURE = /^(?:©|شاركها\.$|Exit mobile version$|المصدر:|كلمات دلالية:|تاريخ النشر:|إقرأ أيضاً:$|مقالات مشابهة$|•)/;
/** The seeds' datelines, removed from their paragraph. */
const DATELINE = /^(?:موسكو \(أ ف ب\) – |بكين-سانا$)/;

/** The story lines of a seed, as ingest should keep them. */
function storyLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !FURNITURE.test(line))
    .map((line) => line.replace(DATELINE, ''))
    .filter((line) => line !== '');
}

describe('parseSeedPage', () => {
  for (const [name, expected] of Object.entries(SEEDS)) {
    describe(name, () => {
      const articles = parseSeed(name);

      it('yields its articles with their ids, titles, dates, sources, places, tags and related titles', () => {
        expect(articles.map(summary)).toEqual(expected);
      });

      it('keeps every story line in exactly one title or body, and invents none', () => {
        const lines = storyLines(seedText(name));
        const texts = articles.flatMap((a) => [a.title, ...a.body]);
        for (const line of lines) expect(texts.filter((t) => t === line), line).toHaveLength(1);
        for (const paragraph of articles.flatMap((a) => a.body)) expect(lines).toContain(paragraph);
      });

      it('drops page furniture from titles and bodies', () => {
        for (const text of articles.flatMap((a) => [a.title, ...a.body])) {
          expect(text).not.toMatch(FURNITURE);
          expect(text).not.toMatch(/شاركها|Exit mobile version|©|\(أ ف ب\)|بكين-سانا/);
        }
      });

      it('gives URL-safe ids and the file as origin', () => {
        for (const a of articles) {
          expect(a.id).toMatch(ARTICLE_ID_PATTERN);
          expect(a.origin).toBe(`seeds/${name}`);
        }
      });
    });
  }

  it('makes each "إقرأ أيضاً" story an article of its own, without the page date', () => {
    const [main, readAlso] = parseSeed('001_8a7ac69372d375fc.txt');
    expect(main?.body.at(-1)).toBe('واتفقا على مواصلة الاتصالات الثنائية بهذا الصدد.');
    expect(readAlso?.title).toBe('الصين مستعدة لأداء "دور بناء" لإنهاء حرب أوكرانيا');
    expect(readAlso?.body[0]).toMatch(/^أعلن وزير الخارجية الصيني وانغ يي/);
    expect(readAlso?.date).toBeUndefined();
    expect(readAlso?.tags).toEqual([]);
  });

  it('splits the second headline of seed 000 into its own story', () => {
    const [first, second] = parseSeed('000_bd41f4d4b492a657.txt');
    expect(first?.body.at(-1)).toMatch(/^كما ناقش بوتين والسيسي/);
    expect(second?.body[0]).toMatch(/^ذكّر الكرملين أيضًا/);
  });

  it('strips the dateline and keeps the rest of its paragraph', () => {
    const [moscow] = parseSeed('003_0300bacb8aeb6261.txt');
    expect(moscow?.body[0]).toMatch(/^تحدث الرئيس الروسي فلاديمير بوتين يوم الثلاثاء/);
    const [beijing] = parseSeed('004_bafdca1a404276d3.txt');
    expect(beijing?.body[0]).toMatch(/^أكد الرئيس الروسي فلاديمير بوتين أن العلاقات/);
  });

  it('keeps the short sub-heading نفاذ المساعدات الإنسانية inside its story', () => {
    const readAlso = parseSeed('004_bafdca1a404276d3.txt')[1];
    expect(readAlso?.body[2]).toBe('نفاذ المساعدات الإنسانية');
  });

  it('does not take a short unpunctuated body sentence for a headline', () => {
    const page = [
      'عنوان الخبر الرئيسي عن القمة',
      'قال الرئيس اليوم إن القمة ناجحة.',
      'وأضاف الرئيس أن العلاقات بين البلدين قوية جدا',
      'وتابع الرئيس في حديثه للصحفيين أن هناك اتفاقات كثيرة سيتم التوقيع عليها في الأيام المقبلة بين البلدين الجارين.',
    ].join('\n');
    const articles = parseSeedPage(page, 'page.txt');
    expect(articles).toHaveLength(1);
    expect(articles[0]?.body).toHaveLength(3);
  });

  it('accepts "اقرأ أيضا" spellings, with the title on the same line', () => {
    const page = 'عنوان\nنص الخبر الأول.\nاقرأ أيضًا: عنوان الخبر الثاني\nنص الخبر الثاني.\nاقرأ ايضا\nعنوان ثالث\nنص ثالث.';
    const articles = parseSeedPage(page, 'page.txt');
    expect(articles.map((a) => [a.id, a.title, a.body])).toEqual([
      ['page', 'عنوان', ['نص الخبر الأول.']],
      ['page-2', 'عنوان الخبر الثاني', ['نص الخبر الثاني.']],
      ['page-3', 'عنوان ثالث', ['نص ثالث.']],
    ]);
  });

  it('keeps a "read also" title without text as a related title of the main story', () => {
    const [main, ...rest] = parseSeedPage('عنوان\nنص الخبر.\nإقرأ أيضاً:\nخبر آخر', 'page.txt');
    expect(rest).toEqual([]);
    expect(main?.related).toEqual(['خبر آخر']);
  });

  it('reads "December 10, 2023" and ISO dates, and refuses a date it cannot read by file and line', () => {
    expect(parseSeedPage('عنوان\nتاريخ النشر: December 10, 2023\nنص.', 'p.txt')[0]?.date).toBe('2023-12-10');
    expect(parseSeedPage('عنوان\nتاريخ النشر: 2023-12-10\nنص.', 'p.txt')[0]?.date).toBe('2023-12-10');
    expect(() => parseSeedPage('عنوان\nتاريخ النشر: 31st, February 2023 GMT\nنص.', 'p.txt')).toThrow(
      /^bahth: p\.txt:2: unreadable publication date/,
    );
  });

  it('gives a URL-safe id to a page whose file name is in Arabic', () => {
    const [article] = parseSeedPage('عنوان\nنص.', 'seeds/خبر_اليوم.txt');
    expect(article?.id).toMatch(ARTICLE_ID_PATTERN);
    expect(article?.id).not.toBe(parseSeedPage('عنوان\nنص.', 'seeds/خبر_أمس.txt')[0]?.id);
  });
});

// --- JSONL ---------------------------------------------------------------------------------

const GOOD = {
  id: 'ant2:AL-culture-1-20180218',
  title: 'هكذا تحالفت أحلام وإليسا',
  body: 'الفقرة الأولى.\n\nالفقرة الثانية.',
  date: '2018-02-18T10:22:00+00:00',
  source: 'AlArabiya',
  category: 'culture',
  url: 'https://example.com/a',
  tags: ['ذا فويس', 'ذا فويس', ''],
};
const QA = { id: 'arcd:0:0', title: 'جمال خاشقجي', body: 'جمال أحمد حمزة خاشقجي صحفي سعودي.', dataset: 'arcd' };

function jsonl(rows: unknown[], eol = '\n'): string {
  return rows.map((r) => JSON.stringify(r)).join(eol) + eol;
}

function expectedGood(origin: string): Article {
  return {
    id: GOOD.id,
    title: GOOD.title,
    body: ['الفقرة الأولى.', 'الفقرة الثانية.'],
    date: GOOD.date,
    sources: ['AlArabiya'],
    category: 'culture',
    tags: ['ذا فويس'],
    related: [],
    url: GOOD.url,
    origin,
  };
}

describe('readJsonl', () => {
  const dir = tempDir();
  const write = (name: string, content: string | Buffer): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('reads a plain file, skipping blank lines and CRLF endings, and maps source and dataset', async () => {
    const file = write('plain.jsonl', `${JSON.stringify(GOOD)}\r\n\r\n   \n${JSON.stringify(QA)}`);
    const articles = await collect(readJsonl(file));
    expect(articles).toEqual([
      expectedGood(`${file}:1`),
      { id: 'arcd:0:0', title: 'جمال خاشقجي', body: [QA.body], sources: [], category: 'arcd', tags: [], related: [], origin: `${file}:4` },
    ]);
  });

  it('reads gzip by extension and by its magic bytes', async () => {
    const content = gzipSync(jsonl([GOOD, QA]));
    for (const name of ['rows.jsonl.gz', 'rows-without-suffix.jsonl']) {
      const file = write(name, content);
      const articles = await collect(readJsonl(file));
      expect(articles.map((a) => a.id)).toEqual([GOOD.id, QA.id]);
      expect(articles[0]).toEqual(expectedGood(`${file}:1`));
    }
  });

  it('decodes Arabic text whose characters straddle chunk boundaries', async () => {
    // fs streams read 64 KiB chunks: make byte 65536 fall inside a two-byte Arabic letter.
    const head = JSON.stringify({ id: 'split', title: 't' }).slice(0, -1) + ',"body":"';
    const first = { id: 'split', title: head.length % 2 === 1 ? 't' : 'tt', body: 'ب'.repeat(40_000) };
    const rest = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, title: `عنوان ${i}`, body: `نص ${'ب'.repeat(i % 97)} طويل` }));
    const rows = [first, ...rest];
    const plain = jsonl(rows);
    expect(Buffer.from(plain)[65_536]! & 0xc0).toBe(0x80);
    for (const [name, content] of [['long.jsonl', plain], ['long.jsonl.gz', gzipSync(plain)]] as const) {
      const articles = await collect(readJsonl(write(name, content)));
      expect(articles.map((a) => [a.title, a.body[0]])).toEqual(rows.map((r) => [r.title, r.body]));
    }
  });

  it('reads an article as /articles/:id gives it: paragraphs, sources, place and related titles', async () => {
    const row = { id: 'round', title: 'عنوان', body: ['الفقرة الأولى.', ' الفقرة الثانية. '], source: 'سانا', sources: ['سانا', 'الوكالة العربية السورية للأنباء'], place: 'دمشق', related: ['خبر آخر', 'خبر آخر'] };
    const file = write('round-trip.jsonl', jsonl([row]));
    expect(await collect(readJsonl(file))).toEqual([
      { id: 'round', title: 'عنوان', body: ['الفقرة الأولى.', 'الفقرة الثانية.'], sources: ['سانا', 'الوكالة العربية السورية للأنباء'], place: 'دمشق', tags: [], related: ['خبر آخر'], origin: `${file}:1` },
    ]);
  });

  it('names each field it does not read, once a file, where first seen', async () => {
    const file = write('unread.jsonl', jsonl([GOOD, { ...QA, autor: 'x', sources: ['a'] }, { ...GOOD, id: 'g2', autor: 'y', views: 3 }]));
    const seen: [string, string][] = [];
    const articles = await collect(readJsonl(file, { onIgnored: (field, origin) => seen.push([field, origin]) }));
    expect(articles).toHaveLength(3);
    expect(seen).toEqual([['autor', `${file}:2`], ['views', `${file}:3`]]);
    const ignored = new IgnoredFields();
    await collect(readArticles([file], { onIgnored: ignored.add }));
    expect(ignored.message()).toMatch(new RegExp(`^ignored field\\(s\\) "autor" \\(first at ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2\\), "views" .*: bahth reads id, title, body`));
    expect(new IgnoredFields().message()).toBeUndefined();
  });

  const badRows: Array<[string, string, RegExp]> = [
    ['invalid JSON', '{"id": "x", "title": ', /invalid JSON \(/],
    ['an array', '[1, 2]', /expected a JSON object, got an array/],
    ['a number', '42', /expected a JSON object, got a number/],
    ['a missing id', JSON.stringify({ title: 't', body: 'b' }), /missing id/],
    ['a numeric id', JSON.stringify({ id: 7, title: 't', body: 'b' }), /id must be a string, not a number/],
    ['an id with a slash', JSON.stringify({ id: 'a/b', title: 't', body: 'b' }), /id "a\/b" is not URL-safe/],
    ['an id over 128 characters', JSON.stringify({ id: 'x'.repeat(129), title: 't', body: 'b' }), /is not URL-safe/],
    ['a missing title', JSON.stringify({ id: 'x', body: 'b' }), /missing or empty title/],
    ['a numeric title', JSON.stringify({ id: 'x', title: 123, body: 'b' }), /title must be a string, not a number/],
    ['a body that is an object', JSON.stringify({ id: 'x', title: 't', body: { text: 'b' } }), /body must be a string or an array of paragraphs \(strings\), not an object/],
    ['paragraphs that are not all strings', JSON.stringify({ id: 'x', title: 't', body: ['a', 2] }), /body must be a string or an array of paragraphs \(strings\), not an array/],
    ['an empty list of paragraphs', JSON.stringify({ id: 'x', title: 't', body: [' ', ''] }), /missing or empty body/],
    ['sources that are not a list of strings', JSON.stringify({ id: 'x', title: 't', body: 'b', sources: 'RT' }), /sources must be an array of strings/],
    ['a numeric place', JSON.stringify({ id: 'x', title: 't', body: 'b', place: 7 }), /place must be a string, not a number/],
    ['a blank title', JSON.stringify({ id: 'x', title: '  ', body: 'b' }), /missing or empty title/],
    ['an empty body', JSON.stringify({ id: 'x', title: 't', body: '\n ' }), /missing or empty body/],
    ['a date that does not parse', JSON.stringify({ id: 'x', title: 't', body: 'b', date: 'yesterday' }), /date "yesterday" is not a date: expected ISO 8601, a day \(2024-05-01\)/],
    ['a day that does not exist', JSON.stringify({ id: 'x', title: 't', body: 'b', date: '2023-02-31' }), /"2023-02-31" is not a date/],
    ['tags that are not strings', JSON.stringify({ id: 'x', title: 't', body: 'b', tags: [1] }), /tags must be an array of strings/],
    ['a javascript: url', JSON.stringify({ id: 'x', title: 't', body: 'b', url: 'javascript:alert(1)' }), /url "javascript:alert\(1\)" is not an http: or https: URL/],
    ['a JavaScript: url with spaces before it', JSON.stringify({ id: 'x', title: 't', body: 'b', url: '  JavaScript:alert(1)' }), /is not an http: or https: URL/],
    ['a data: url', JSON.stringify({ id: 'x', title: 't', body: 'b', url: 'data:text/html,<script>alert(1)</script>' }), /url "data:text\/html,<script>/],
    ['a vbscript: url', JSON.stringify({ id: 'x', title: 't', body: 'b', url: 'vbscript:msgbox(1)' }), /is not an http: or https: URL/],
    ['an ftp: url', JSON.stringify({ id: 'x', title: 't', body: 'b', url: 'ftp://example.com/a' }), /is not an http: or https: URL/],
    ['a relative url', JSON.stringify({ id: 'x', title: 't', body: 'b', url: '/news/1' }), /url "\/news\/1" is not an http: or https: URL/],
    ['a body over 1,000,000 characters', JSON.stringify({ id: 'x', title: 't', body: 'ب'.repeat(1_000_001) }), /body longer than 1000000 characters/],
    ['a title over 1,000 characters', JSON.stringify({ id: 'x', title: 'ب'.repeat(1_001), body: 'b' }), /title longer than 1000 characters \(1,001\): the body in the title field\?/],
    ['a line over 2 MB', JSON.stringify({ id: 'x', title: 't', body: 'b'.repeat(2_200_000) }), /line longer than 2097152 bytes/],
    ['a duplicate id', JSON.stringify(GOOD), /duplicate id "ant2:AL-culture-1-20180218" \(first on line 1\)/],
  ];

  for (const [what, row, message] of badRows) {
    it(`refuses ${what} by file and line, or skips it with skipInvalid`, async () => {
      const file = write(`bad-${what.replace(/\W+/g, '-')}.jsonl`, `${JSON.stringify(GOOD)}\n${row}\n${JSON.stringify(QA)}\n`);
      const err = await failure(readJsonl(file));
      expect(err.code).toBe('INPUT_INVALID');
      expect(err.message).toMatch(`bahth: ${file}:2: `);
      expect(err.message).toMatch(message);
      expect(err.details).toEqual({ file, line: 2 });

      const skipped: BahthError[] = [];
      const articles = await collect(readJsonl(file, { skipInvalid: true, onSkip: (e) => skipped.push(e) }));
      expect(articles.map((a) => a.id)).toEqual([GOOD.id, QA.id]);
      expect(skipped.map((e) => e.message)).toEqual([err.message]);
    });
  }

  it('catches a duplicate id across files through a shared seenIds', async () => {
    const seenIds = new Set<string>();
    await collect(readJsonl(write('first.jsonl', jsonl([GOOD])), { seenIds }));
    const second = write('second.jsonl', jsonl([QA, GOOD]));
    const err = await failure(readJsonl(second, { seenIds }));
    expect(err.message).toBe(`bahth: ${second}:2: duplicate id "${GOOD.id}" (already read from another file)`);
  });

  const unreadable: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(dir, 'missing.jsonl'), /missing\.jsonl: no such file$/],
    ['an empty file', () => write('empty.jsonl', ''), /empty\.jsonl: empty file \(no articles\)$/],
    ['a file of blank lines', () => write('blank.jsonl', '\n  \n\n'), /blank\.jsonl: empty file \(no articles\)$/],
    ['binary content', () => write('binary.jsonl', Buffer.from([0x7b, 0x00, 0x01, 0x0a])), /binary\.jsonl:1: binary content \(NUL byte\)/],
    ['a truncated gzip', () => {
      const gz = gzipSync(jsonl(Array.from({ length: 500 }, (_, i) => ({ ...QA, id: `q${i}`, body: `${QA.body} ${i}` }))));
      return write('truncated.jsonl.gz', gz.subarray(0, gz.length >> 1));
    }, /truncated\.jsonl\.gz: truncated or corrupt gzip \(/],
    ['a .gz file that is not gzip', () => write('plain.jsonl.gz', jsonl([QA])), /plain\.jsonl\.gz: truncated or corrupt gzip \(/],
    ['a directory', () => dir, /: is a directory$/],
    ['UTF-16 text', () => write('windows.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(jsonl([QA]), 'utf16le')])), /windows\.jsonl: UTF-16 text .*save it as UTF-8/],
  ];

  it('reads a mis-encoded line as a bad row: named with its line, skipped with skipInvalid', async () => {
    const file = write('latin1.jsonl', Buffer.concat([Buffer.from(jsonl([QA])), Buffer.from('{"id":"é"}\n', 'latin1'), Buffer.from(jsonl([GOOD]))]));
    const err = await failure(readJsonl(file));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toMatch(/latin1\.jsonl:2: not valid UTF-8$/);
    const skipped: string[] = [];
    const read = await collect(readJsonl(file, { skipInvalid: true, onSkip: (e) => skipped.push(e.message) }));
    expect(read.map((a) => a.id)).toEqual([QA.id, GOOD.id]);
    expect(skipped).toEqual([expect.stringMatching(/latin1\.jsonl:2: not valid UTF-8$/)]);
  });

  for (const [what, make, message] of unreadable) {
    it(`refuses ${what} with a clear INPUT_UNREADABLE, even with skipInvalid`, async () => {
      const err = await failure(readJsonl(make(), { skipInvalid: true }));
      expect(err.code).toBe('INPUT_UNREADABLE');
      expect(err.message).toMatch(message);
    });
  }

  it('reads the first 200 rows of the shared ANT corpus', async () => {
    const articles: Article[] = [];
    for await (const article of readJsonl(corpusPath())) {
      articles.push(article);
      if (articles.length === 200) break;
    }
    expect(articles).toHaveLength(200);
    expect(articles[0]?.id).toBe('ant2:AL-culture-1-20180218');
    for (const a of articles) {
      expect(a.id).toMatch(ARTICLE_ID_PATTERN);
      expect(a.title).not.toBe('');
      expect(a.body.length).toBeGreaterThan(0);
      expect(a.sources).toHaveLength(1);
      expect(Date.parse(a.date ?? '')).not.toBeNaN();
    }
  });
});

// --- readArticles --------------------------------------------------------------------------

describe('readArticles', () => {
  it('reads the seeds folder in name order, announcing each file', async () => {
    const files: string[] = [];
    const articles = await collect(readArticles([SEEDS_DIR], { onFile: (f) => files.push(f) }));
    expect(files.map((f) => f.split('/').pop())).toEqual(Object.keys(SEEDS));
    expect(articles.map((a) => a.id)).toEqual(Object.values(SEEDS).flatMap((e) => e.map((x) => x.id)));
  });

  it('expands folders recursively, sorted by name, reading only .txt, .jsonl and .jsonl.gz', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a.jsonl'), jsonl([{ ...QA, id: 'a' }]));
    writeFileSync(join(dir, 'b', 'x.jsonl.gz'), gzipSync(jsonl([{ ...QA, id: 'bx' }])));
    writeFileSync(join(dir, 'c.txt'), 'عنوان\nنص.');
    writeFileSync(join(dir, 'd.json'), '[]');
    writeFileSync(join(dir, 'notes.md'), '# notes');
    writeFileSync(join(dir, '.hidden.jsonl'), jsonl([{ ...QA, id: 'hidden' }]));
    const articles = await collect(readArticles([dir]));
    expect(articles.map((a) => a.id)).toEqual(['a', 'bx', 'c']);
  });

  it('refuses a missing path and a file of another type before reading anything', async () => {
    const dir = tempDir();
    const other = join(dir, 'rows.json');
    writeFileSync(other, '[]');
    const missing = await failure(readArticles([SEEDS_DIR, join(dir, 'nope')]));
    expect(missing.code).toBe('INPUT_UNREADABLE');
    expect(missing.message).toMatch(/nope: no such file or directory$/);
    const unsupported = await failure(readArticles([other]));
    expect(unsupported.code).toBe('INPUT_UNREADABLE');
    expect(unsupported.message).toMatch(/rows\.json: unsupported file type/);
  });

  it('refuses an id seen in another file, naming both origins, or skips it', async () => {
    const dir = tempDir();
    const page = join(dir, 'page.txt');
    const rows = join(dir, 'rows.jsonl');
    writeFileSync(page, 'عنوان\nنص.');
    writeFileSync(rows, jsonl([QA, { ...QA, id: 'page' }]));
    const err = await failure(readArticles([page, rows]));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toBe(`bahth: ${rows}:2: duplicate id "page" (first read from ${page})`);
    expect(err.details).toMatchObject({ file: rows, line: 2 });

    const skipped: BahthError[] = [];
    const articles = await collect(readArticles([page, rows], { skipInvalid: true, onSkip: (e) => skipped.push(e) }));
    expect(articles.map((a) => a.id)).toEqual(['page', QA.id]);
    expect(skipped).toHaveLength(1);
  });

  it('refuses seed pages that are empty, binary or not UTF-8, by name; skips the empty ones with skipInvalid', async () => {
    const dir = tempDir();
    const cases: Array<[string, string | Buffer, RegExp, boolean]> = [
      ['empty.txt', ' \n\n', /empty\.txt: empty file/, true],
      ['binary.txt', Buffer.from([0xd8, 0xb9, 0x00]), /binary\.txt: binary content/, false],
      ['latin1.txt', Buffer.concat([Buffer.from('عنوان\nنص\n'), Buffer.from('café', 'latin1')]), /latin1\.txt:3: not valid UTF-8/, false],
      ['windows.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('عنوان\nنص', 'utf16le')]), /windows\.txt: UTF-16 text .*save it as UTF-8/, false],
      ['furniture.txt', 'شاركها.\nExit mobile version', /furniture\.txt: no story text/, true],
    ];
    for (const [name, content, message, skippable] of cases) {
      writeFileSync(join(dir, name), content);
      const err = await failure(readArticles([join(dir, name)]));
      expect(err.code).toBe('INPUT_UNREADABLE');
      expect(err.message).toMatch(message);
      const skipped: string[] = [];
      const read = readArticles([join(dir, name)], { skipInvalid: true, onSkip: (e) => skipped.push(e.message) });
      if (skippable) {
        for await (const _ of read) void _;
        expect(skipped, name).toEqual([expect.stringMatching(message)]);
      } else expect((await failure(read)).message).toMatch(message);
    }
  });

  it('skips a seed page that does not parse with skipInvalid', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad-date.txt'), 'عنوان\nتاريخ النشر: someday\nنص.');
    writeFileSync(join(dir, 'good.txt'), 'عنوان\nنص.');
    const err = await failure(readArticles([dir]));
    expect(err.message).toMatch(/bad-date\.txt:2: unreadable publication date "someday"/);
    const skipped: BahthError[] = [];
    const articles = await collect(readArticles([dir], { skipInvalid: true, onSkip: (e) => skipped.push(e) }));
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(skipped).toHaveLength(1);
  });
});

describe('files with nothing to read, among others', () => {
  const root = mkdtempSync(join(tmpdir(), 'bahth-empty-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stop a build, or are skipped and named with skipInvalid', async () => {
    writeFileSync(join(root, 'a.jsonl'), `${JSON.stringify({ id: 'a1', title: 'خبر', body: 'نص الخبر', date: '2024-01-01' })}\n`);
    writeFileSync(join(root, 'b.jsonl'), '');
    writeFileSync(join(root, 'c.txt'), ' \n\n');
    await expect((async () => { for await (const _ of readArticles([root])) void _; })()).rejects.toThrow(/b\.jsonl: empty file/);
    const skipped: string[] = [];
    const ids: string[] = [];
    for await (const a of readArticles([root], { skipInvalid: true, onSkip: (e) => skipped.push(e.message) })) ids.push(a.id);
    expect(ids).toEqual(['a1']);
    expect(skipped).toEqual([expect.stringMatching(/b\.jsonl: empty file/), expect.stringMatching(/c\.txt: empty file/)]);
  });
});

describe('input folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'bahth-folders-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads any case of the extensions, follows links once, and names every file it does not read', async () => {
    const line = (id: string) => `${JSON.stringify({ id, title: `خبر ${id}`, body: 'نص الخبر', date: '2024-01-01' })}\n`;
    mkdirSync(join(root, 'in', 'sub'), { recursive: true });
    writeFileSync(join(root, 'in', 'a.jsonl'), line('a1'));
    writeFileSync(join(root, 'in', 'b.JSONL'), line('b1'));
    writeFileSync(join(root, 'in', 'notes.csv'), 'x');
    symlinkSync('a.jsonl', join(root, 'in', 'again.jsonl'));
    symlinkSync('..', join(root, 'in', 'sub', 'up'));
    symlinkSync('nowhere.jsonl', join(root, 'in', 'broken.jsonl'));
    const ignored: string[] = [];
    const ids: string[] = [];
    for await (const a of readArticles([join(root, 'in')], { onIgnoredFile: (p, why) => ignored.push(`${p.slice(root.length + 4)}: ${why}`) })) ids.push(a.id);
    expect(ids.sort()).toEqual(['a1', 'b1']);
    expect(ignored.sort()).toEqual([
      'again.jsonl: a file already read (a link to it)',
      'broken.jsonl: a link that leads nowhere (or back to itself)',
      'notes.csv: not .txt, .jsonl, .jsonl.gz',
      'sub/up: a folder already read (a link to it)',
    ]);
  });
});

describe('a duplicate id says why when it can', () => {
  const root = mkdtempSync(join(tmpdir(), 'bahth-dup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names pages of one file name in two folders, and a file given twice', async () => {
    const page = 'عنوان الخبر\nنص الخبر الكامل هنا.';
    mkdirSync(join(root, '2023'));
    mkdirSync(join(root, '2024'));
    writeFileSync(join(root, '2023', 'page.txt'), page);
    writeFileSync(join(root, '2024', 'page.txt'), page);
    const read = async (paths: string[]) => { for await (const _ of readArticles(paths)) void _; };
    await expect(read([root])).rejects.toThrow(/duplicate id "page" .*: a page's id is its file name, so pages of one name in two folders clash; rename one/);
    const one = join(root, 'one.jsonl');
    writeFileSync(one, `${JSON.stringify({ id: 'x1', title: 'خبر', body: 'نص', date: '2024-01-01' })}\n`);
    await expect(read([one, one])).rejects.toThrow(/duplicate id "x1" \(first read from .*one\.jsonl:1\): the same file given twice\?/);
  });
});

describe('a seed page whose story has no words to title it', () => {
  it('is a bad page, named with its line', () => {
    expect(() => parseSeedPage('موسكو (أ ف ب) – !!!\n', 'dateline.txt')).toThrow(/dateline\.txt:1: a story with no title/);
  });
});
