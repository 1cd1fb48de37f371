/**
 * `GET /embed.js`: the `<bahth-search>` widget (built from src/widget/ by `npm run build:widget`),
 * loadable by any page. `GET /`: a demo of the widget on the live index, with the embedding guide.
 */
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { EMBED_JS } from '../../widget/embed-source';
import type { AppEnv } from '../context';
import { notModified } from '../http-cache';

let embedTag: Promise<string> | undefined;

/** A strong ETag of the script's content (SHA-256), computed once per isolate on first use. */
function embedEtag(): Promise<string> {
  embedTag ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(EMBED_JS)).then((d) => {
    const hex = [...new Uint8Array(d)].slice(0, 12).map((b) => b.toString(16).padStart(2, '0')).join('');
    return `"embed-${hex}"`;
  });
  return embedTag;
}

export const embedRoute = new Hono<AppEnv>().get('/', async (c) => {
  const etag = await embedEtag();
  const headers = {
    etag,
    'cache-control': 'public, max-age=300',
    // Third-party pages load it as a module script: cross-origin fetch, so CORS and CORP must allow it.
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
    'x-content-type-options': 'nosniff',
  };
  if (notModified(c.req.raw, etag)) return c.body(null, 304, headers);
  return c.body(EMBED_JS, 200, { ...headers, 'content-type': 'application/javascript; charset=utf-8' });
});

/** The page's own rules: the widget's script and API calls are same-origin; styles are inline. */
const DEMO_CSP = [
  "default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'unsafe-inline'",
  "img-src 'self' data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export const demoRoute = new Hono<AppEnv>().get('/', (c) => {
  const origin = new URL(c.req.url).origin;
  const snippet = `<script src="${origin}/embed.js" type="module"></script>\n<bahth-search></bahth-search>`;
  return c.html(demoPage(snippet), 200, {
    'cache-control': 'public, max-age=300',
    'content-security-policy': DEMO_CSP,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  });
});

const ATTRIBUTES: [name: string, ar: string, en: string][] = [
  ['api', 'عنوان الخادم (افتراضياً: مصدر السكربت)', 'API origin (default: where the script came from)'],
  ['lang', '<code>ar</code> (افتراضي) أو <code>en</code>', '<code>ar</code> (default) or <code>en</code>'],
  ['limit', 'عدد النتائج، ١–٥٠ (افتراضياً ٥)', 'results shown, 1–50 (default 5)'],
  ['placeholder', 'نص الحقل الفارغ', 'the empty box text'],
  ['dir', 'اتجاه الواجهة (افتراضياً rtl للعربية و ltr للإنجليزية)', 'UI direction (default rtl for Arabic, ltr for English)'],
];

const PROPERTIES = [
  '--bahth-font', '--bahth-font-size', '--bahth-fg', '--bahth-bg', '--bahth-accent', '--bahth-muted', '--bahth-border',
  '--bahth-radius', '--bahth-mark-bg', '--bahth-mark-fg', '--bahth-active-bg', '--bahth-hover-bg', '--bahth-shadow',
  '--bahth-max-height', '--bahth-error', '--bahth-z',
];
const PARTS = ['box', 'input', 'status', 'list', 'option', 'title', 'snippet', 'meta', 'mark'];

function demoPage(snippet: string) {
  // Built from the constants above (trusted markup), never from the request.
  const rows = ATTRIBUTES.map(([name, ar, en]) => `<tr><td><code>${name}</code></td><td>${ar}</td><td lang="en" dir="ltr">${en}</td></tr>`).join('');
  return html`<!doctype html>
<html dir="rtl" lang="ar">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>بحث — ابحث في الأخبار العربية</title>
<link rel="icon" href="data:,">
<script src="/embed.js" type="module"></script>
<style>
body{margin:0 auto;max-width:46rem;padding:2rem 1.25rem 4rem;font:1rem/1.7 system-ui,"Noto Naskh Arabic","Segoe UI",Tahoma,sans-serif;color:#1b1b1f;background:#fafafa}
h1{margin:0;font-size:2rem}h2{margin-top:2.5rem;font-size:1.25rem}
.lead{color:#5f6368;margin:.25rem 0 1.25rem}
.live{min-height:33rem}
pre{direction:ltr;text-align:left;background:#1f2430;color:#e6e6e6;padding:1rem;border-radius:.5rem;overflow:auto}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #e3e5e8;padding:.35rem .5rem;vertical-align:top}
</style>
</head>
<body>
<main>
<h1>بحث</h1>
<p class="lead">بحث نصّي كامل في الأخبار العربية. جرّب: بوتين، الصين، أوكرانيا.</p>
<div class="live"><bahth-search limit="5"></bahth-search></div>

<h2>ضعه في صفحتك</h2>
<p>سطران في أي صفحة، من أي موقع: السكربت ثم العنصر. يبحث الصندوق في الخادم الذي قدّم السكربت.</p>
<pre><code>${snippet}</code></pre>
<table>${raw(rows)}</table>
<p>عند اختيار نتيجة يُطلق الحدث <code>bahth-select</code> (قابل للإلغاء، وفيه <code>detail.hit</code> و<code>detail.href</code>)؛ إن لم يُلغَ يفتح الصندوق الخبر. التنسيق بمتغيرات CSS وبـ <code>::part()</code>:</p>
<pre><code>bahth-search { --bahth-accent: #8a1538; --bahth-radius: 0; }
bahth-search::part(mark) { background: #fde2e4; }</code></pre>

<section lang="en" dir="ltr">
<h2>Embed it</h2>
<p>Two lines on any page, on any site: the script, then the element. The box searches the Worker that served the script (or the <code>api</code> attribute).</p>
<pre><code>${snippet}</code></pre>
<p>Attributes: <code>api</code>, <code>lang</code> (<code>ar</code>|<code>en</code>), <code>limit</code>, <code>placeholder</code>, <code>dir</code>.
Events: <code>bahth-select</code> (cancelable; <code>detail.hit</code>, <code>detail.href</code>), <code>bahth-error</code>.</p>
<p>CSS custom properties: ${PROPERTIES.join(', ')}.<br>Parts: ${PARTS.join(', ')}.</p>
</section>
</main>
</body>
</html>`;
}
