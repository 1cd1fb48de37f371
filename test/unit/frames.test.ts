/** A news reader's frame read off a query (frames.ts), and what the parse makes of the rest. */
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../src/core/search/frames';
import { parseQuery } from '../../src/core/search/query';
import { isQuestion } from '../../src/core/search/question';

const rest = (q: string) => readFrame(q).rest.trim();

describe('readFrame', () => {
  it('reads the frames a news reader types around a topic, before it and after it', () => {
    expect(readFrame('آخر أخبار سوريا')).toEqual({ rest: ' سوريا', framing: ['آخر', 'أخبار'], typed: 2 });
    expect(rest('أخبار تونس')).toBe('تونس');
    expect(rest('اخر اخبار الاهلي')).toBe('الاهلي'); // as typed without hamza
    expect(rest('آخر مستجدات اليمن')).toBe('اليمن');
    expect(rest('أحدث تطورات الأزمة الخليجية')).toBe('الأزمة الخليجية');
    expect(rest('آخر التطورات في سوريا')).toBe('سوريا');
    expect(rest('عاجل: زلزال في إندونيسيا')).toBe(': زلزال في إندونيسيا'); // the rest is parsed: its punctuation is no word
    expect(rest('مصر اليوم')).toBe('مصر');
    expect(rest('أخبار ميسي اليوم')).toBe('ميسي');
    expect(rest('ماذا حدث في الغوطة')).toBe('الغوطة');
    expect(rest('شو صار في حلب')).toBe('حلب');
    expect(rest('ايش الجديد عن الانتخابات')).toBe('الانتخابات');
    expect(rest('وين الزلزال')).toBe('الزلزال');
    expect(readFrame('ماذا حدث في الغوطة').framing).toEqual(['حدث']); // ماذا and في are stop words
    expect(readFrame('شو صار في حلب')).toMatchObject({ framing: ['شو'], typed: 3 });
  });

  it('leaves topics that use the same words, and queries with no frame, as typed', () => {
    for (const q of [
      'الأخبار الكاذبة', // the definite noun is a topic, not a construct before one
      'من هو آخر ملوك الأندلس', // «the last» before anything but a noun of news
      'ما عاصمة سويسرا', // an interrogative before no verb of happening
      'حدث في مثل هذا اليوم', // a verb of happening with no interrogative before it
      'شاهد فيديو ترامب', // a headline's own opening words
      'بوتين',
      'اليوم العالمي للمرأة', // «today» not at the end
      '',
    ]) {
      expect(readFrame(q), q).toEqual({ rest: q, framing: [], typed: 0 });
    }
  });

  it('searches a query that is all frame as typed', () => {
    for (const q of ['آخر الأخبار', 'أخبار اليوم', 'عاجل', 'ماذا حدث اليوم', 'شو صار', 'آخر أخبار -ترامب', 'أخبار -"ترامب"']) expect(readFrame(q).framing, q).toEqual([]);
    // Excluded as the parser excludes: every word of a phrase after a minus, a word after NOT.
    for (const q of ['آخر أخبار -"البيت الأبيض"', 'آخر أخبار NOT ترامب', 'NOT اليوم']) expect(readFrame(q).framing, q).toEqual([]);
  });

  it('reads only the plain ends: a quoted phrase or an excluded word ends the scan', () => {
    expect(rest('آخر أخبار "محمد صلاح"')).toBe('"محمد صلاح"');
    expect(rest('"محمد صلاح" اليوم')).toBe('"محمد صلاح"');
    expect(readFrame('"آخر أخبار" سوريا').framing).toEqual([]);
    expect(readFrame('سوريا -اليوم').framing).toEqual([]);
    expect(readFrame('سوريا NOT اليوم').framing).toEqual([]);
    expect(rest('أخبار سوريا NOT تركيا')).toBe('سوريا NOT تركيا');
    expect(rest('أخبار سوريا -تركيا')).toBe('سوريا -تركيا');
  });
});

describe('parseQuery with a frame', () => {
  it('searches the rest and counts the frame as typed words', () => {
    const framed = parseQuery('آخر أخبار بوتين');
    const plain = parseQuery('بوتين');
    expect(framed.words).toEqual(plain.words);
    expect(framed.framing).toEqual(['آخر', 'أخبار']);
    expect(framed.typed).toBe(3); // not one word typed alone
    expect(plain.framing).toEqual([]);
    expect(parseQuery('آخر الأخبار').words.map((w) => w.norm)).toEqual(['اخر', 'الاخبار']);
  });

  it('asks for news, not a passage, when a question is all frame but its topic; a question mark stays a question', () => {
    expect(isQuestion('ماذا حدث في الغوطة')).toBe(true);
    expect(isQuestion(parseQuery('ماذا حدث في الغوطة').text)).toBe(false);
    expect(isQuestion(parseQuery('ما الجديد في الانتخابات').text)).toBe(false);
    expect(isQuestion(parseQuery('ماذا يحدث اثناء مراحل الهوس؟').text)).toBe(true);
    expect(parseQuery('من هو بوتين').text).toBe('من هو بوتين');
  });
});
