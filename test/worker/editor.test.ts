/**
 * The editor's controls inside workerd, on the corpus sample: synonyms (groups and one-way
 * expansions), names typed in Latin letters or Arabizi, rules that pin, hide and boost, and the
 * publishing of the files (one KV value each, live at the next read; a bad file writes nothing).
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planSettings, publishSettings, type SettingsFiles } from '../../src/indexer/settings-files';
import { SETTINGS_KEYS } from '../../src/core/settings/format';
import { call, getJson, loadIndex, q, type Result } from './helpers';

interface RuledResult extends Result {
  rules?: string[];
  query: string;
}

const kv = { putMany: async (entries: { key: string; value: string }[]) => { for (const e of entries) await env.INDEX.put(e.key, e.value); } };
const publish = (files: SettingsFiles) => publishSettings(kv, planSettings(files));
const synonyms = (text: string) => publish({ synonyms: { file: 'synonyms.txt', text } });
const rules = (list: unknown[]) => publish({ rules: { file: 'rules.json', text: JSON.stringify({ rules: list }, null, 2) } });
const find = async (s: string, extra = '&limit=50&facets=false') => {
  const { status, body } = await getJson<RuledResult>(q(s, extra));
  expect(status, s).toBe(200);
  return body;
};
const ids = (r: Result) => r.hits.map((h) => h.id);

beforeAll(() => loadIndex('sampleIndex'));
afterEach(async () => {
  await env.INDEX.delete(SETTINGS_KEYS.synonyms);
  await env.INDEX.delete(SETTINGS_KEYS.rules);
});

describe('synonyms', () => {
  it('finds every member of a group from any other', async () => {
    const before = await find('المونديال');
    const reverseBefore = await find('كأس العالم');
    await synonyms('# the World Cup, by either name\nالمونديال، كأس العالم\n');
    const after = await find('المونديال');
    expect(after.total).toBeGreaterThan(before.total);
    // Articles that say كأس العالم and never المونديال are found now.
    const added = after.hits.filter((h) => !ids(before).includes(h.id));
    expect(added.some((h) => h.title.includes('كأس العالم') && !/مونديال/.test(h.title + h.snippetText))).toBe(true);
    expect((await find('كأس العالم')).total).toBeGreaterThan(reverseBefore.total);
    // Below the word typed: the best results still hold it.
    expect(after.hits[0]!.id).toBe(before.hits[0]!.id);
  });

  it('expands one way only: الرئيس الروسي finds بوتين, بوتين does not find الرئيس الروسي', async () => {
    const before = await find('الرئيس الروسي');
    const putin = await find('بوتين');
    await synonyms('الرئيس الروسي => بوتين');
    const after = await find('الرئيس الروسي');
    expect(after.hits.slice(0, 10).filter((h) => /بوت/.test(h.title)).length).toBeGreaterThan(before.hits.slice(0, 10).filter((h) => /بوت/.test(h.title)).length);
    expect(JSON.stringify(await find('بوتين'))).toBe(JSON.stringify(putin));
  });

  it('pins the reading of a Latin word, in place of the model\'s', async () => {
    expect((await find('Tsar')).didYouMean).not.toBe('بوتين');
    await synonyms('Tsar → بوتين');
    const tsar = await find('Tsar');
    expect(tsar.didYouMean).toBeUndefined();
    expect(tsar.total).toBe((await find('بوتين')).total);
    expect(tsar.hits[0]!.titleHtml).toContain('<mark>');
  });

  it('marks on an article\'s page what the search found: the editor\'s synonyms (house styles: unit/house-styles)', async () => {
    const marks = async (id: string, words: string) => {
      const res = await call(`/articles/${encodeURIComponent(id)}?q=${encodeURIComponent(words)}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      return [...(await res.text()).matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]!);
    };
    // An article holding كأس العالم and not المونديال: marked for المونديال once they are synonyms
    // (the page cached before is not served under the new settings).
    const cup = (await find('كأس العالم')).hits.find((h) => h.title.includes('كأس العالم') && !/مونديال/.test(h.title + h.snippetText))!;
    expect((await marks(cup.id, 'المونديال')).filter((m) => /كأس|العالم/.test(m))).toEqual([]);
    await synonyms('المونديال، كأس العالم\n');
    const marked = await marks(cup.id, 'المونديال');
    expect(marked).toEqual(expect.arrayContaining(['كأس', 'العالم']));
  });

  it('leaves every Arabic query no entry matches exactly as it was', async () => {
    const queries = ['ترامب', 'السعودية', 'كرة القدم', 'أسعار النفط', 'الرئيس الفرنسي', 'روسيا', 'مصر', 'الانتخابات'];
    const before = await Promise.all(queries.map((s) => find(s, '&limit=20&facets=true')));
    await synonyms('المونديال، كأس العالم\nالرئيس الروسي => بوتين');
    await rules([{ id: 'world-cup', query: 'المونديال', boost: [{ source: 'BBC Arabic', factor: 3 }] }]);
    const after = await Promise.all(queries.map((s) => find(s, '&limit=20&facets=true')));
    expect(after.map((r) => JSON.stringify({ ...r, index: '' }))).toEqual(before.map((r) => JSON.stringify({ ...r, index: '' })));
  });
});

describe('names across scripts', () => {
  it('finds بوتين for Putin and Poutine (and the archive\'s other spelling بوتن), shows the reading in didYouMean', async () => {
    const arabic = await find('بوتين');
    for (const latin of ['Putin', 'Poutine']) {
      const r = await find(latin);
      expect(r.query).toBe(latin);
      expect(r.didYouMean).toBe('بوتين');
      expect(r.corrected).toBe(true);
      expect(r.hits[0]!.id).toBe(arabic.hits[0]!.id);
      expect(ids(r)).toEqual(expect.arrayContaining(ids(arabic)));
      expect(r.hits.some((h) => /بوتن/.test(h.title) && !/بوتين/.test(h.title + h.snippetText))).toBe(true);
      expect(r.hits[0]!.titleHtml).toContain('<mark>');
    }
  });

  it('reads Arabizi: el sa3oudiya is السعودية, 3abd el aziz is عبد العزيز', async () => {
    const saudi = await find('el sa3oudiya');
    expect(saudi.didYouMean).toBe('السعودية');
    expect(ids(saudi)).toEqual(ids(await find('السعودية')));
    const name = await find('3abd el aziz');
    expect(name.didYouMean).toBe('عبد العزيز');
    expect(name.total).toBeGreaterThan(0);
  });

  it('reads at most the budget of Latin words as names, the first ones, and names the cap', async () => {
    const arabic = await find('بوتين');
    const r = await find('Putin xqzvr wbltk mnrsd pqtxw');
    expect(r.capped).toContain('names');
    expect(r.hits[0]!.id).toBe(arabic.hits[0]!.id);
    expect((await find('Putin xqzvr')).capped ?? []).not.toContain('names');
  });

  it('searches the words as typed with correct=false', async () => {
    const r = await find('Putin', '&correct=false');
    expect(r.total).toBe(0);
    expect(r.didYouMean).toBeUndefined();
  });
});

describe('rules', () => {
  it('pins an article to the first place of a query, and names the rule', async () => {
    const trump = await find('ترامب');
    const other = (await find('المونديال')).hits.find((h) => !ids(trump).includes(h.id))!;
    await rules([{ id: 'pin-world-cup', query: 'ترامب', pin: [{ id: other.id, position: 1 }] }]);
    const r = await find('ترامب');
    expect(r.hits[0]!.id).toBe(other.id);
    expect(r.rules).toEqual(['pin-world-cup']);
    expect(r.total).toBe(trump.total + 1);
    expect(ids(r).slice(1, 20)).toEqual(ids(trump).slice(0, 19));
    // A query the rule does not name is untouched.
    expect((await find('ترامب الصين')).rules).toBeUndefined();
  });

  it('pins for a query that contains a phrase, at the position asked', async () => {
    const q3 = await find('قمة ترامب');
    const other = (await find('المونديال')).hits[0]!;
    await rules([{ id: 'summit', contains: 'ترامب', pin: [{ id: other.id, position: 3 }] }]);
    const r = await find('قمة ترامب');
    expect(ids(r).indexOf(other.id)).toBe(2);
    expect(ids(r).filter((id) => id !== other.id).slice(0, 10)).toEqual(ids(q3).slice(0, 10));
  });

  it('hides an article from a query: from its hits, total and facets', async () => {
    const before = await find('ترامب', '&limit=10&facets=true');
    const gone = before.hits[0]!;
    await rules([{ id: 'takedown', query: ['ترامب', 'trump'], hide: [gone.id] }]);
    const after = await find('ترامب', '&limit=10&facets=true');
    expect(ids(after)).not.toContain(gone.id);
    expect(after.total).toBe(before.total - 1);
    expect(after.facets!.source[gone.source!]).toBe(before.facets!.source[gone.source!]! - 1);
    expect(after.rules).toEqual(['takedown']);
    expect(ids(after)[0]).toBe(ids(before)[1]);
  });

  it('boosts and buries by source, for the queries named or for all', async () => {
    const before = await find('ترامب', '&limit=10');
    const rare = 'Jawhara FM';
    const count = (r: Result) => r.hits.filter((h) => h.source === rare).length;
    await rules([
      { id: 'local-first', query: 'ترامب', boost: [{ source: rare, factor: 20 }] },
      { id: 'less-sky', boost: [{ source: 'Sky News Arabia', factor: 0.01 }] },
    ]);
    const after = await find('ترامب', '&limit=10');
    expect(count(after)).toBeGreaterThan(count(before));
    expect(after.hits[0]!.source).toBe(rare);
    expect(after.hits.filter((h) => h.source === 'Sky News Arabia')).toEqual([]);
    expect(after.rules).toEqual(['local-first', 'less-sky']);
    expect(after.total).toBe(before.total);
    // The global burial applies to every query; the boost only to its own.
    expect((await find('روسيا', '&limit=10')).rules).toEqual(['less-sky']);
  });
});

describe('publishing the files', () => {
  it('refuses a malformed file with its line, and publishes nothing of either file', async () => {
    const good = 'المونديال، كأس العالم';
    const bad = 'المونديال، كأس العالم\n\nبوتين\nالرئيس الروسي => => بوتين\n';
    expect(() => planSettings({ synonyms: { file: 'synonyms.txt', text: good }, rules: { file: 'rules.json', text: '{"rules": [\n  {"id": "x", "query": "ترامب", "pin": [{"id": "a", "position": 0}]}\n]}' } })).toThrow(/rules\.json:2: .*position/);
    let message = '';
    try {
      await publish({ synonyms: { file: 'synonyms.txt', text: bad } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/synonyms\.txt:3: .*single word/);
    expect(message).toMatch(/synonyms\.txt:4: more than one "=>"/);
    expect(await env.INDEX.get(SETTINGS_KEYS.synonyms)).toBeNull();
    expect(await env.INDEX.get(SETTINGS_KEYS.rules)).toBeNull();
  });

  it('serves the last good settings when a value in KV is corrupt', async () => {
    await synonyms('المونديال، كأس العالم');
    const good = await find('المونديال');
    await env.INDEX.put(SETTINGS_KEYS.synonyms, '00000000:{"broken"');
    const r = await find('المونديال');
    expect(r.total).toBe(good.total);
  });
});
