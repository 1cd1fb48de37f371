/** Arabic typed on the Latin layout (layout.ts): the keys read back as the Arabic they type. */
import { describe, expect, it } from 'vitest';
import { throughArabicLayout, throughLatinLayout } from '../../src/core/search/layout';

describe('throughArabicLayout', () => {
  it('reads each key as the Arabic (101) layout types it', () => {
    expect(throughArabicLayout('f,jdk')).toBe('بوتين');
    expect(throughArabicLayout('hgsdsd lwv')).toBe('السيسي مصر');
    expect(throughArabicLayout('hgHll hgljp]m')).toBe('الأمم المتحدة');
    expect(throughArabicLayout('hlvd;h')).toBe('امريكا');
    expect(throughArabicLayout('Hlvd;h')).toBe('أمريكا'); // H: the shifted key of أ
    expect(throughArabicLayout('`gr')).toBe('ذلق');
    expect(throughArabicLayout("'vhfgs")).toBe('طرابلس');
    expect(throughArabicLayout('buf')).toBe('لاعب'); // b: the لا key
  });

  it('reads all capitals (caps lock on) as the keys unshifted, and keeps digits, spaces and shared marks', () => {
    expect(throughArabicLayout('F,JDK')).toBe('بوتين');
    expect(throughArabicLayout(';hs hguhgl 2018')).toBe('كاس العالم 2018');
    expect(throughArabicLayout('"lpl] wghp"')).toBe('"محمد صلاح"');
  });

  it('reads nothing from a query not wholly typed on those keys, or with no Latin letter', () => {
    for (const q of ['بوتين', 'f,jdk بوتين', 'putin@mail', 'Ä', '2018', '', '   ', 'f,jdk#']) expect(throughArabicLayout(q), q).toBeUndefined();
    // A capital whose shifted key types a mark, not a letter: a Latin name's.
    for (const q of ['Sochi', 'Qatar', 'el Sfaxi']) expect(throughArabicLayout(q), q).toBeUndefined();
  });
});

describe('throughLatinLayout', () => {
  it('reads each Arabic letter as the Latin key that types it, the لا key as b', () => {
    expect(throughLatinLayout('هحاخىث')).toBe('iphone');
    expect(throughLatinLayout('حعفهى')).toBe('putin');
    expect(throughLatinLayout('بشؤثلاخخن')).toBe('facebook');
    expect(throughLatinLayout('صاشفسشحح')).toBe('whatsapp');
    expect(throughLatinLayout('ؤىى ىثصس')).toBe('cnn news');
  });

  it('reads nothing from a query with a Latin letter, with no Arabic letter, or with a character of no key', () => {
    for (const q of ['putin', 'حعفهى putin', '2018', '', 'حعفهى#', 'ـــ']) expect(throughLatinLayout(q), q).toBeUndefined();
    // A key that types punctuation on the Latin layout (و is a comma) inside a word: Arabic meant.
    for (const q of ['لونغفيلد', 'بوتين', 'حعفهى ومديرتهن']) expect(throughLatinLayout(q), q).toBeUndefined();
    // No word of 4 letters: على would be ugn, ؤىى cnn.
    for (const q of ['على', 'ؤىى', 'ؤىى 24']) expect(throughLatinLayout(q), q).toBeUndefined();
  });
});
