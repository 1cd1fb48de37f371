/**
 * `npm run house-styles`: one word in two outlets' spellings (ترامب, ترمب) found with its
 * evidence, where two different words one long vowel apart are not: a plural and a word it
 * nearly spells (مدارس, مدرس: every outlet writes both), or two words that outlets split but say
 * of other things (سيارة, سيرة). On the command line: bad options refused, and `--out` a file the synonyms publish reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { houseStylePairs, vowelNeighbours, type StyledArticle } from '../../src/indexer/house-styles';
import { parseSynonyms } from '../../src/indexer/settings-files';

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
