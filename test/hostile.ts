/**
 * Articles written to break out of their text, for the worker and browser tests: every field a
 * hit, a suggestion or an article page shows must come out as text and run nothing.
 */

/** The article the widget tests search for (`pwned`, `مريب`). */
export const HOSTILE = {
  id: 'hostile-1',
  title: '<img src=x onerror="window.__pwned=1"> خبر مريب pwned',
  body: '<script>window.__pwned=1</script> هذا خبر مريب يحاول حقن الشيفرة في الصفحة pwned.\nفقرة ثانية <b>عريضة</b> للتجربة.',
  date: '2024-01-15',
  url: 'https://news.example/hostile-1',
};

/** One that imitates our own marks and entities, and quotes of both kinds. */
export const MIMIC = {
  id: 'hostile-2',
  title: 'مريب </mark><mark>مزيف</mark> &amp; &lt;b&gt; "اقتباس" \'مفرد\'',
  body: 'نص مريب فيه </mark><script>alert(1)</script><mark> و &amp;lt; و "علامات" \'مفردة\' و <a href="javascript:alert(1)">رابط</a> في آخره.',
  date: '2024-01-16',
  source: '<i>مصدر</i>',
};

/** Both, as the lines of a JSONL file. */
export const HOSTILE_JSONL = `${[HOSTILE, MIMIC].map((a) => JSON.stringify(a)).join('\n')}\n`;
