/** Compact encodings of the index format that are not postings (see codec tests in facets.test.ts). */
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { checkSealed, daysTableProblem, decodeDays, decodeShard, DEFLATE_FROM, encodeDays, encodeShard, ESCAPED_TERM, sealShard, shardTerm, type TermEntry, type TermShard, fnv1a, sealValue, unsealValue, utf8Checksum } from '../../src/core/format/layout';
import { decodeLexicon, decodePostings, encodeLexicon, encodePostings, lengthCode, lengthOfCode, lexiconList, postingCode, readLexiconList, RESOLUTION, TF_UNIT, VarintWriter, type LexiconList } from '../../src/core/format/codec';
import { globalRuns, runRecency, runYears, yearOfDay } from '../../src/core/search/days';
import type { SegmentMeta } from '../../src/core/format/manifest';
import { encodePostingsV6 } from '../format6';

describe('the days table', () => {
  it('round-trips runs of days, newest first, with gaps, a day of many docs and undated docs last', () => {
    const runs: [number, number][] = [[20_400, 0], [20_399, 3], [20_350, 4], [18_000, 5_000], [18_000 - 365 * 40, 5_001], [-1, 70_000]];
    const text = encodeDays(runs);
    expect(decodeDays(text)).toEqual(runs);
    expect(decodeDays(encodeDays([]))).toEqual([]);
  });

  it('costs a few characters a run, not the 13 of JSON', () => {
    const runs: [number, number][] = Array.from({ length: 1_000 }, (_, i) => [20_000 - i, i * 27]);
    expect(encodeDays(runs).length).toBeLessThan(3 * runs.length + 8);
    expect(JSON.stringify(runs).length).toBeGreaterThan(12 * runs.length);
  });

  it('rejects a cut or padded table', () => {
    const text = encodeDays([[20_000, 0], [19_990, 12]]);
    expect(() => decodeDays(text.slice(0, -1))).toThrow();
    expect(() => decodeDays(`${text}0`)).toThrow(/trailing/);
  });

  it('has its shape checked without decoding: foreign characters, a cut-off number or too few characters are found, a whole table passes', () => {
    // Runs whose numbers take one, two and three characters (a count over 31, days far apart).
    const runs: [number, number][] = Array.from({ length: 40 }, (_, i) => [20_000 - i * 400 + (i % 3) * 7, i * 1_500 + (i % 5)]);
    runs.push([-1, 70_000]);
    for (const table of [runs, runs.slice(0, 3), []]) {
      const text = encodeDays(table);
      expect(daysTableProblem(text)).toBeUndefined();
      expect(daysTableProblem(`${text.slice(0, 1)}.${text.slice(1)}`)).toMatch(/alphabet/);
      expect(daysTableProblem(`${text}W`)).toMatch(/cut off/);
      expect(daysTableProblem('')).toMatch(/count/);
      // Every cut is found, by the check or by decoding (what the first query with dates does).
      for (let cut = 0; cut < text.length; cut++) {
        const part = text.slice(0, cut);
        expect(daysTableProblem(part) !== undefined || (() => { try { decodeDays(part); return false; } catch { return true; } })(), `cut at ${cut}`).toBe(true);
      }
    }
    expect(daysTableProblem(encodeDays(runs).slice(0, 20))).toMatch(/too few/);
  });
});

const wordsOf = (l: LexiconList) => Array.from({ length: l.length }, (_, i) => l.word(i));

describe('typo-lexicon lists', () => {
  it('round-trip words and counts in order, zero and negative counts (a delta\'s net) included', () => {
    const list: [string, number][] = [['الجزائر', 1200], ['الجزار', 4], ['الجزاير', 0], ['الجزاء', -2]];
    const text = encodeLexicon(list);
    expect(text).toBe('الجزائر الجزار الجزاير الجزاء\n1200 4 0 -2');
    expect(decodeLexicon(text)).toEqual(list);
    expect(decodeLexicon(encodeLexicon([]))).toEqual([]);
    expect(text.length).toBeLessThan(JSON.stringify(list).length);
  });

  it('are read by queries as columns: the same words and counts, and the same errors', () => {
    const list: [string, number][] = [['الجزائر', 1200], ['الجزار', 4], ['الجزاير', 0], ['الجزاء', -2]];
    const read = readLexiconList(encodeLexicon(list));
    expect(wordsOf(read)).toEqual(list.map((e) => e[0]));
    expect([...read.df]).toEqual(list.map((e) => e[1]));
    expect(wordsOf(read)).toEqual(wordsOf(lexiconList(list)));
    expect([...read.df]).toEqual([...lexiconList(list).df]);
    expect(readLexiconList(encodeLexicon([])).length).toBe(0);
    expect(wordsOf(readLexiconList('[["ترامب",900],["ترام",3]]'))).toEqual(['ترامب', 'ترام']);
    expect(() => readLexiconList('ترامب ترام\n900')).toThrow(/2 words but 1 counts/);
    expect(() => readLexiconList('ترامب\nninety')).toThrow(/not an integer/);
    expect(() => readLexiconList('ترامب\n9 8')).toThrow(/1 words but 2 counts/);
    expect(() => readLexiconList('ترامب ترام\n9  8')).toThrow(/not an integer/);
    expect(() => readLexiconList('ترامب\n9-')).toThrow(/not an integer/);
  });

  it('find a word in their text without making the others, and only a whole word', () => {
    const list: [string, number][] = Array.from({ length: 500 }, (_, i) => [`ب${'ت'.repeat(i % 7)}${i}`, 1000 - i]);
    for (const read of [readLexiconList(encodeLexicon(list)), lexiconList(list)]) {
      for (const i of [0, 1, 37, 250, 498, 499]) expect(read.indexOf(list[i]![0])).toBe(i);
      expect(read.indexOf('ب')).toBe(-1); // the start of every word
      expect(read.indexOf('تت1')).toBe(-1); // the middle of some
      expect(read.indexOf('ب0 ب')).toBe(-1); // across a space
      expect(read.indexOf('')).toBe(-1);
      expect(read.indexOf('1000')).toBe(-1); // in the counts' line, not a word
      // Each word sits between its start and the next one's.
      for (let i = 0; i < read.length; i++) expect(read.text.slice(read.starts[i]!, read.starts[i + 1]! - 1)).toBe(list[i]![0]);
    }
  });

  it('still reads the JSON pairs of archives built before', () => {
    expect(decodeLexicon('[["ترامب",900],["ترام",3]]')).toEqual([['ترامب', 900], ['ترام', 3]]);
  });

  it('refuses a damaged list instead of reading wrong counts', () => {
    expect(() => decodeLexicon('ترامب ترام\n900')).toThrow(/2 words but 1 counts/);
    expect(() => decodeLexicon('ترامب\nninety')).toThrow(/not an integer/);
  });
});

describe('term shards', () => {
  it('writes terms escaped when asked, so that the value is ASCII, and reads both forms back', () => {
    const entry = (df: number): TermEntry => [df, '', 'H10', '0', ''];
    const shard: TermShard = { 'بحث': entry(3), abc: entry(1), '#tag:50%': entry(2), '#tag:أخبار': entry(4) };
    const plain = encodeShard(shard);
    const ascii = encodeShard(shard, true);
    expect(/[^\x00-\x7f]/.test(plain)).toBe(true);
    expect(/[^\x00-\x7f]/.test(ascii)).toBe(false);
    expect(decodeShard(ascii)).toEqual(shard);
    expect(decodeShard(plain)).toEqual(shard);
    // A '%' in a term written plain is the term's own.
    expect(shardTerm('#tag:50%')).toBe('#tag:50%');
    expect(() => decodeShard(`${ESCAPED_TERM}%D8\t1\t\tH10\t0\t\n`)).toThrow(RangeError);
  });

  it('writes a tier B\'s `titled` mark as a third field, reads tiers written before it as not titled, and refuses any other', () => {
    const shard: TermShard = {
      new: [9, '', 'H10', '0', '', '', 0, { postings: 40, length: 12, titled: true }],
      old: [9, '', 'H10', '0', '', '', 0, { postings: 40, length: 12 }],
    };
    const text = encodeShard(shard);
    expect(text).toContain('\t40,12,1\n');
    expect(text).toContain('\t40,12\n');
    expect(decodeShard(text)).toEqual(shard);
    for (const bad of ['40,12,2', '40,12,1,1', '40,12,x']) expect(() => decodeShard(`t\t9\t\tH10\t0\t\t\t0\t${bad}`), bad).toThrow(RangeError);
  });
});

describe('sealed values', () => {
  // Long texts cross the checksum's 16,384-unit steps, one with a surrogate pair across a step.
  const long = `${'x'.repeat(16_383)}😀${'بحث '.repeat(9000)}${'y'.repeat(5)}`;
  const samples = ['', 'abc', '{"a":"بحث في الأخبار"}', 'emoji 😀 and \u200emarks\u200f', '\u0800\u07ff\u0080\u007f', 'a\ud800b', long];

  it('checks the checksum and counts UTF-8 bytes in one pass', () => {
    for (const text of samples) {
      const sealed = sealValue(text, false);
      expect(sealed.charAt(8)).toBe(';');
      expect(checkSealed(sealed)).toEqual({ json: text, bytes: Buffer.byteLength(sealed, 'utf8') });
      expect(unsealValue(sealed)).toBe(text);
      expect(utf8Checksum(sealed, 9)).toEqual(utf8Checksum(text, 0));
    }
  });

  it('reads the values archives built before the UTF-8 seal hold (FNV-1a over code units, `hex:text`)', () => {
    // (Its byte count takes a lone surrogate for two bytes, not three: JSON.stringify writes none.)
    for (const text of samples.filter((t) => !t.includes('\ud800'))) {
      const legacy = `${fnv1a(text)}:${text}`;
      expect(checkSealed(legacy)).toEqual({ json: text, bytes: Buffer.byteLength(legacy, 'utf8') });
      expect(checkSealed(`${utf8Checksum(text, 0).hash.toString(16).padStart(8, '0')}:${text}`)).toBeUndefined();
    }
  });

  it('sums the UTF-8 bytes, not the code units: a changed character anywhere, or two words swapped, is caught', () => {
    const base = utf8Checksum(long, 0);
    expect(base.bytes).toBe(Buffer.byteLength(long, 'utf8'));
    for (const at of [0, 1, 16_382, 16_383, 16_385, 20_000, long.length - 1]) {
      const changed = `${long.slice(0, at)}${long[at] === 'z' ? 'w' : 'z'}${long.slice(at + 1)}`;
      expect(utf8Checksum(changed, 0).hash).not.toBe(base.hash);
    }
    expect(utf8Checksum('abcdefgh', 0).hash).not.toBe(utf8Checksum('efghabcd', 0).hash);
    expect(utf8Checksum('بحثبحثبحثبحث', 0).hash).not.toBe(utf8Checksum('ةحثةحثةحثةحث', 0).hash);
  });

  it('stores a long text deflated, smaller, and reads it back exactly, bytes counted as stored', () => {
    for (const text of samples) {
      expect(sealValue(text)).toBe(sealValue(text, false)); // plain unless asked
      const stored = sealValue(text, true);
      if (text.length < DEFLATE_FROM) {
        expect(stored).toBe(sealValue(text, false));
        continue;
      }
      expect(stored.charAt(0)).toBe('~');
      expect(stored.length).toBeLessThan(Buffer.byteLength(sealValue(text, false), 'utf8') / 4);
      expect(stored.slice(1)).toBe(deflateSync(Buffer.from(text, 'utf8'), { level: 6 }).toString('base64'));
      expect(checkSealed(stored)).toEqual({ json: text, bytes: stored.length });
    }
    // A term shard is deflated when its segment is at the shard cap, else kept as it is.
    expect(sealShard(long, true)).toBe(sealValue(long, true));
    expect(sealShard(long, false)).toBe(sealValue(long, false));
    // A text that deflating would not shrink is stored as it is.
    let state = 7;
    const noise = Array.from({ length: 400 }, () => String.fromCharCode(0x21 + ((state = (state * 48271) % 2147483647) % 90))).join('');
    expect(sealValue(noise, true).charAt(8)).toBe(';');
  });

  it('refuses a deflated value that is cut, changed or not base64', () => {
    const text = `{"body":"${'الأخبار العاجلة من بحث '.repeat(40)}"}`;
    const stored = sealValue(text, true);
    expect(stored.charAt(0)).toBe('~');
    expect(checkSealed(stored)?.json).toBe(text);
    expect(checkSealed(stored.slice(0, -4))).toBeUndefined(); // cut by a whole quad: still base64
    // Cut inside a quad, past any padding (a value that only lost its '=' still holds every byte).
    expect(checkSealed(stored.slice(0, stored.replace(/=+$/, '').length - 1))).toBeUndefined();
    for (const at of [1, 2, 10, Math.floor(stored.length / 2), stored.length - 8]) {
      const c = stored[at] === 'A' ? 'B' : 'A';
      expect(checkSealed(`${stored.slice(0, at)}${c}${stored.slice(at + 1)}`), `changed at ${at}`).toBeUndefined();
    }
    expect(checkSealed(`${stored.slice(0, 20)}ب${stored.slice(21)}`)).toBeUndefined();
    expect(checkSealed(`${stored.slice(0, 20)}.${stored.slice(21)}`)).toBeUndefined();
    expect(checkSealed('~')).toBeUndefined();
    expect(checkSealed('~AAAA')).toBeUndefined();
  });

  it('refuses a value whose checksum, prefix or length is wrong', () => {
    const sealed = sealValue('{"words":"الجزائر"}');
    expect(checkSealed(sealed.slice(0, -1))).toBeUndefined(); // truncated
    expect(checkSealed(`${sealed.slice(0, 9)}x${sealed.slice(10)}`)).toBeUndefined(); // one character changed
    expect(checkSealed(sealed.toUpperCase())).toBeUndefined();
    expect(checkSealed(`${sealed.slice(0, 8)}:${sealed.slice(9)}`)).toBeUndefined(); // the other seal's mark
    expect(checkSealed(`${fnv1a('{"words":"الجزائر"}')};{"words":"الجزائر"}`)).toBeUndefined();
    expect(checkSealed(`zzzzzzzz;${sealed.slice(9)}`)).toBeUndefined();
    expect(checkSealed('0000000')).toBeUndefined();
  });
});

/** A seeded generator of integers below `n` (the same lists every run). */
function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => Math.floor(((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
}

describe('posting lists', () => {
  it('round-trip slots of ascending docs and their codes, moved by the segment\'s first doc', () => {
    const next = seeded(3);
    for (let t = 0; t < 200; t++) {
      const slots = Array.from({ length: RESOLUTION }, () => {
        if (next(3) === 0) return [];
        let doc = -1;
        return Array.from({ length: 1 + next(t % 7 === 0 ? 2_000 : 20) }, () => (doc += 1 + next(t % 5 === 0 ? 100_000 : 50)));
      });
      const n = slots.reduce((a, x) => a + x.length, 0);
      const codes = Uint16Array.from({ length: n }, () => postingCode(1 + next(62), next(70_000)));
      const text = encodePostings({ slots, codes });
      const back = decodePostings(text, 1_000);
      expect(back.slots.map((x) => Array.from(x, (d) => d - 1_000))).toEqual(slots);
      expect(back.codes).toEqual(codes);
      expect(back.codes.length).toBe(n);
      // Cut or padded, a list is refused.
      if (n > 0) expect(() => decodePostings(text.slice(0, -1))).toThrow();
      expect(() => decodePostings(`${text}0`)).toThrow(/trailing/);
    }
  });

  it('refuse a character outside the alphabet, ASCII or not, wherever it is', () => {
    const docs = Array.from({ length: 300 }, (_, i) => 5 * i);
    const text = encodePostings({ slots: [docs], codes: Uint16Array.from(docs, () => postingCode(TF_UNIT, 300)) });
    for (const at of [0, 3, text.length >> 1, text.length - 1]) {
      for (const bad of ['!', ' ', 'ب', '\u00e9', '\ud83d\ude00']) {
        expect(() => decodePostings(text.slice(0, at) + bad + text.slice(at + 1)), `${JSON.stringify(bad)} at ${at}`).toThrow(RangeError);
      }
    }
    // The same list still reads after them (the buffers are the decoder's, not the bad list's).
    expect(decodePostings(text).slots[0]).toEqual(Int32Array.from(docs));
  });
});

describe('decoded posting lists', () => {
  it('own their docs and codes: decoding another list (through the same buffers) leaves them as they were', () => {
    const a = { slots: [[], [3, 9, 40], [], [41, 500]], codes: Uint16Array.of(300, 301, 302, 303, 304) };
    const b = { slots: [[0, 1, 2, 3, 4, 5, 6, 7]], codes: new Uint16Array(8).fill(299) };
    const first = decodePostings(encodePostings(a));
    const big = Array.from({ length: 20_000 }, (_, i) => 2 * i); // past the buffers' first size: they grow
    decodePostings(encodePostings({ slots: [big], codes: new Uint16Array(big.length).fill(299) }));
    decodePostings(encodePostings(b));
    expect(first.slots.map((x) => Array.from(x))).toEqual(a.slots);
    expect(first.codes).toEqual(a.codes);
    // An empty slot is a list of no docs, like a filled one to the code that reads it.
    expect(first.slots[0]!.length).toBe(0);
    expect([...first.slots[0]!]).toEqual([]);
  });
});

describe('posting lists of format 6', () => {
  it('are read as they were written, codes not packed', () => {
    const next = seeded(11);
    for (let t = 0; t < 50; t++) {
      const slots = Array.from({ length: RESOLUTION }, () => {
        let doc = -1;
        return next(2) ? [] : Array.from({ length: 1 + next(300) }, () => (doc += 1 + next(40)));
      });
      const n = slots.reduce((a, x) => a + x.length, 0);
      const codes = Uint16Array.from({ length: n }, () => postingCode(1 + next(62), next(5_000)));
      const old = encodePostingsV6({ slots, codes });
      expect(old.charCodeAt(0)).toBe('9'.charCodeAt(0)); // the slot count as it is, not packed
      expect(decodePostings(old, 7)).toEqual(decodePostings(encodePostings({ slots, codes }), 7));
      expect(decodePostings(old).codes).toEqual(codes);
    }
  });

  it('packed, take one character for one occurrence in a field near the list\'s usual length', () => {
    const docs = Array.from({ length: 1_000 }, (_, i) => 3 * i);
    const slots = [[], [], [], [], [], [], [], [], docs];
    // One occurrence in bodies of 200–400 words: within 16 length codes of the median.
    const codes = Uint16Array.from(docs, (_, i) => postingCode(TF_UNIT, 200 + (i % 200)));
    const packed = encodePostings({ slots, codes });
    const old = encodePostingsV6({ slots, codes });
    expect(old.length).toBeGreaterThan(2.9 * docs.length);
    expect(packed.length).toBeLessThan(2.05 * docs.length);
    expect(decodePostings(packed).codes).toEqual(codes);
    // A value whose length falls below code 0, or whose tf is past the last, is refused.
    const list = (value: number) => { const w = new VarintWriter(); for (const x of [16 + 9, 1, 0, 8, 1, 0, value]) w.write(x); return w.toString(); };
    expect(decodePostings(list(0)).codes).toEqual(Uint16Array.of(postingCode(TF_UNIT, 0)));
    expect(() => decodePostings(list(1))).toThrow(/out of range/);
    expect(() => decodePostings(list(64 * 256))).toThrow(/tf is out of range/);
    // Any other tf, and lengths far from the median, still round-trip.
    const mixed = Uint16Array.from(docs, (_, i) => postingCode(1 + (i % 63), i % 2 ? 1 : 60_000));
    expect(decodePostings(encodePostings({ slots, codes: mixed })).codes).toEqual(mixed);
  });
});

describe('days and lengths as a fresh isolate works them out', () => {
  it('gives every day from 1600 to 2200 the year Date gives it, and undated runs year 0', () => {
    for (let day = Date.UTC(1600, 0, 1) / 86_400_000; day < Date.UTC(2200, 0, 1) / 86_400_000; day++) {
      const want = new Date(day * 86_400_000).getUTCFullYear();
      if (yearOfDay(day) !== want) expect(yearOfDay(day), `day ${day}`).toBe(want);
    }
    expect(yearOfDay(0)).toBe(1970);
    expect(yearOfDay(-1)).toBe(1969);
    expect(yearOfDay(Date.UTC(2024, 1, 29) / 86_400_000)).toBe(2024);
    expect([...runYears({ first: Int32Array.from([0, 5, 9]), day: Int32Array.from([-1, 0, 19_723]), count: 3 })]).toEqual([0, 1970, 2024]);
  });

  it('reads each length code back as a length that codes the same', () => {
    for (let code = 0; code < 128; code++) expect(lengthCode(lengthOfCode(code))).toBe(code);
    expect(lengthOfCode(31)).toBe(31);
    for (let code = 1; code < 128; code++) expect(lengthOfCode(code)).toBeGreaterThan(lengthOfCode(code - 1));
    expect(lengthOfCode(127)).toBeGreaterThan(50_000);
  });
});

describe('the day runs over segments', () => {
  const seg = (first: number, end: number, runs: [number, number][]) => ({ id: `s${first}`, first, end, days: encodeDays(runs) }) as unknown as SegmentMeta;
  const runsOf = (segments: SegmentMeta[]) => { const r = globalRuns(segments); return { first: [...r.first], day: [...r.day], count: r.count }; };

  it('joins the segments\' tables, a day going on across a segment counted once', () => {
    expect(runsOf([seg(0, 10, [[20_000, 0], [20_001, 4]]), seg(10, 20, [[20_001, 0], [20_003, 6]])])).toEqual({ first: [0, 4, 16], day: [20_000, 20_001, 20_003], count: 3 });
  });

  it('puts an undated run before a table that does not start at doc 0, and one alone for no table', () => {
    expect(runsOf([seg(0, 10, [[20_000, 3]])])).toEqual({ first: [0, 3], day: [-1, 20_000], count: 2 });
    expect(runsOf([seg(0, 10, [])])).toEqual({ first: [0], day: [-1], count: 1 });
    expect(runsOf([])).toEqual({ first: [0], day: [-1], count: 1 });
  });

  it('gives an undated run the recency prior\'s mean over the dated docs, weighed by their count', () => {
    // Docs 0–1 undated, 2–4 on the newest day (factor 1), 5–9 a half-life older (0.5), 10–11 undated again.
    const runs = { first: Int32Array.from([0, 2, 5, 10]), day: Int32Array.from([-1, 20_365, 20_000, -1]), count: 4 };
    const f = runRecency(runs, 20_365, 365, 12);
    const mean = (3 * 1 + 5 * 0.5) / 8;
    expect(f[1]).toBeCloseTo(1, 6);
    expect(f[2]).toBeCloseTo(0.5, 6);
    expect(f[0]).toBeCloseTo(mean, 6);
    expect(f[3]).toBeCloseTo(mean, 6);
    // Nothing dated: nothing to favour.
    expect([...runRecency({ first: Int32Array.from([0]), day: Int32Array.from([-1]), count: 1 }, 0, 365, 5)]).toEqual([0]);
  });

  it('refuses a table that runs past its segment', () => {
    expect(() => globalRuns([seg(0, 5, [[20_000, 0], [20_001, 5]])])).toThrow(/runs past/);
  });
});
