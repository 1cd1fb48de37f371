/** Which queries are questions (question.ts): the head model may order questions' heads only. */
import { describe, expect, it } from 'vitest';
import { isQuestion } from '../../src/core/search/question';

describe('isQuestion', () => {
  it('reads a question mark, Arabic or Latin, anywhere', () => {
    expect(isQuestion('عاصمة سويسرا؟')).toBe(true);
    expect(isQuestion('- من هو جمال خاشقجي؟ ال')).toBe(true);
    expect(isQuestion('who is Putin?')).toBe(true);
  });

  it('reads an interrogative first, after a conjunction, or after a preposition', () => {
    for (const q of ['ما عاصمة سويسرا', 'متى ولد خاشقجي', 'أين تقع سيناء', 'اين تقع سيناء', 'كم عدد سكان مصر', 'كيف تستثمر الفيفا أموالها', 'لماذا ارتفع الدولار', 'هل يلتزم المنتجون', 'ماذا قال ترامب', 'وما هي الحدود', 'فهل ينجح', 'في أي عام تأسست الجامعة', 'إلى متى تستمر الأزمة', 'منذ متى', 'من أين جاء', 'من هو جمال خاشقجي', 'ومن الذي أسس', 'أيّ دولة', '«ما» عاصمة سويسرا', '2018 ما الذي تغير', 'اذكر اسم شعبة تويوتا الفاخرة', '‏أعطِ مثالًا عن عقار']) {
      expect(isQuestion(q), q).toBe(true);
    }
  });

  it('does not take words that begin like an interrogative, من as "from", nor a preposition before a plain word', () => {
    for (const q of ['ماكرون الوفد', 'منتخب مصر', 'متحف القاهرة', 'كما قال', 'هلال رمضان', 'في القاهرة', 'من القاهرة إلى دبي', 'الصين تفرض رسوما جمركية', 'قطر للإرهاب', 'بوتين', 'Putin', '', '؛ ،']) {
      expect(isQuestion(q), q).toBe(false);
    }
  });
});
