/**
 * The widget in a real headless Chromium, embedded by a page on another loopback origin with the
 * two-line snippet, talking to the real Worker. Screenshots land in test-results/screenshots/;
 * `UPDATE_DOCS_SCREENSHOT=1` (or a missing docs/widget.png) also refreshes the README's.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from './chromium';
import { DOCS_SCREENSHOT, HOSTILE, screenshotDir, startHarness, type Harness } from './harness';

const WAIT = 15_000;
/** axe-core's browser build, injected into a page to check its accessibility. */
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let h: Harness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // CHROMIUM_PATH, /usr/bin/chromium or the packaged one (chromium.ts); fails, never skips, without one.
  const found = await findChromium();
  browser = await launchChromium(found);
  console.info(`browser tests: Chromium ${browser.version()} (${found.source}, ${found.executablePath})`);
  h = await startHarness();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await h?.close();
});

/** A fresh page on the third-party site (`/`, `/en`, `/broken`), widget defined. */
async function open(path = '/'): Promise<Page> {
  page = await browser.newPage({ viewport: { width: 820, height: 620 }, locale: 'ar' });
  page.setDefaultTimeout(WAIT);
  await page.goto(h.page + path);
  await page.waitForFunction(() => customElements.get('bahth-search') !== undefined);
  return page;
}

afterEach(async (ctx) => {
  // A failed test leaves a picture of what the browser showed.
  if (ctx.task.result?.state === 'fail') await shot(page, `failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  await page?.close().catch(() => undefined);
});

const input = (p: Page) => p.locator('bahth-search input');
const options = (p: Page) => p.locator('bahth-search [role=option]');
const status = (p: Page) => p.locator('bahth-search [role=status]');

async function type(p: Page, text: string): Promise<void> {
  await input(p).click();
  await input(p).fill('');
  await p.keyboard.type(text, { delay: 30 });
}

async function searchTotal(q: string): Promise<number> {
  const res = await fetch(`${h.worker}/search?q=${encodeURIComponent(q)}&limit=5&facets=false`);
  return ((await res.json()) as { total: number }).total;
}

async function shot(p: Page, name: string): Promise<string> {
  const file = join(screenshotDir(), `${name}.png`);
  await p.screenshot({ path: file });
  return file;
}

describe('GET /embed.js', () => {
  it('serves the widget as a cacheable, cross-origin JavaScript module', async () => {
    const res = await fetch(`${h.worker}/embed.js`, { headers: { origin: 'https://news.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain('bahth-search');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${h.worker}/embed.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await fetch(`${h.worker}/embed.js`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves a right-to-left demo page at / with the two-line embed snippet', async () => {
    const res = await fetch(`${h.worker}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await res.text();
    expect(body).toContain('<html dir="rtl" lang="ar">');
    expect(body).toContain(`&lt;script src=&quot;${h.worker}/embed.js&quot; type=&quot;module&quot;&gt;&lt;/script&gt;\n&lt;bahth-search&gt;&lt;/bahth-search&gt;`);
    expect(body).toContain('<bahth-search');
  });
});

describe('<bahth-search> on a third-party page', () => {
  it('shows highlighted results for بوتين as the reader types, right to left, and announces the count', async () => {
    const p = await open('/');
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    const marks = await p.locator('bahth-search mark').allTextContents();
    expect(marks.some((m) => m.includes('بوتين'))).toBe(true);
    expect(await p.locator('bahth-search mark[part=mark]').count()).toBe(marks.length);
    const total = await searchTotal('بوتين');
    const count = new Intl.NumberFormat('ar-u-nu-arab').format(total);
    await expect.poll(() => status(p).textContent()).toContain(count);
    expect(await status(p).getAttribute('aria-live')).toBe('polite');
    expect(await input(p).evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await options(p).first().evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await shot(p, 'widget-ar-results');
  });

  it('shows no hint for a word the archive holds, and one for a query the API corrected', async () => {
    const p = await open('/');
    const hint = p.locator('bahth-search [part=hint]');
    const suggestion = p.locator('bahth-search [part=suggestion]');
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    expect(await hint.isVisible()).toBe(false);
    // Seed 002 spells فلاديميير, and the spelling model leaves a word the archive holds as typed
    // (5 articles against 1 do not pay a doubled letter): its article, no hint.
    await type(p, 'فلاديميير');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBe(1);
    expect(await hint.isVisible()).toBe(false);
    // A word no article writes is searched as its reading, and the box says so.
    await type(p, 'الكرملن');
    await expect.poll(() => hint.isVisible(), { timeout: WAIT }).toBe(true);
    expect(await hint.textContent()).toContain('نتائج «الكرملين»');
    expect(await suggestion.textContent()).toBe('الكرملن');
    expect(await options(p).count()).toBeGreaterThan(0);
  });

  it('shows the results of the word being typed completed, and says when the completion read a typo', async () => {
    const p = await open('/');
    const sent: URLSearchParams[] = [];
    p.on('request', (r) => r.url().includes('/search?') && sent.push(new URL(r.url()).searchParams));
    const hint = p.locator('bahth-search [part=hint]');
    const answer = async (q: string, extra = '') => (await (await fetch(`${h.worker}/search?q=${encodeURIComponent(q)}&limit=5&facets=false${extra}`)).json()) as { completed?: string; hits: { title: string }[] };
    const titles = async (q: string, extra = '') => (await answer(q, extra)).hits.map((x) => x.title);
    // الكرم is no word of the seeds: as typed, the hits would be بوتين's alone; with prefix, those
    // of بوتين الكرملين (ranked by the prefix weights).
    expect((await answer('بوتين الكرم', '&prefix=true')).completed).toBe('بوتين الكرملين');
    const completed = await titles('بوتين الكرم', '&prefix=true');
    expect(completed).not.toEqual(await titles('بوتين الكرم'));
    await type(p, 'بوتين الكرم');
    await expect.poll(() => p.locator('bahth-search [part=title]').allTextContents(), { timeout: WAIT }).toEqual(completed);
    expect(sent.at(-1)!.get('prefix')).toBe('true');
    // A continuation of the letters typed needs no word of explanation.
    expect(await hint.isVisible()).toBe(false);
    // A typo in the letters (بويت for بوتي…): the completion reads it, and the box says so.
    await type(p, 'بويت');
    await expect.poll(() => hint.isVisible(), { timeout: WAIT }).toBe(true);
    expect(await hint.textContent()).toContain('نتائج «بوتين»');
    // A space after the last word finishes it: searched as typed.
    await type(p, 'بوتين الكرم ');
    await expect.poll(() => sent.at(-1)?.get('q'), { timeout: WAIT }).toBe('بوتين الكرم');
    expect(sent.at(-1)!.get('prefix')).toBeNull();
  });

  it('says which words of the query no article holds, beside the results of the others', async () => {
    const p = await open('/');
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    expect(await status(p).textContent()).not.toContain('لا يحوي');
    // A word in no article, far from every word (no reading): the hits are بوتين's, and the box says so.
    await type(p, 'بوتين ظغثقفخ');
    await expect.poll(() => status(p).textContent(), { timeout: WAIT }).toContain('لا يحوي أيّ خبر «ظغثقفخ»');
    expect(await options(p).count()).toBeGreaterThan(0);
    // Alone, it finds nothing: "no results" says it all.
    await type(p, 'ظغثقفخ');
    await expect.poll(() => status(p).textContent(), { timeout: WAIT }).toBe('لا نتائج');
    // Stop words alone (the index holds none): the box says why nothing is found.
    await type(p, 'من هو ');
    await expect.poll(() => status(p).textContent(), { timeout: WAIT }).toBe('لا نتائج · «من»، «هو»: كلمات أشيع من أن يُبحث بها، أضف اسمًا أو كلمة أدق');
    await type(p, 'من هو بوتين ');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    expect(await status(p).textContent()).not.toContain('أشيع');
    // Exclusions alone: the newest stories without them, said first; gone with a word to search.
    await type(p, '-الصين ');
    await expect.poll(() => status(p).textContent(), { timeout: WAIT }).toMatch(/^أحدث الأخبار دون «الصين» · [٠-٩]+ نتائج$/);
    expect(await options(p).count()).toBeGreaterThan(0);
    await type(p, 'بوتين -الصين ');
    await expect.poll(() => status(p).textContent(), { timeout: WAIT }).not.toContain('دون');
  });

  it('says when it shows the corrected query\'s results, and searches the words as typed on request', async () => {
    const p = await open('/');
    const hint = p.locator('bahth-search [part=hint]');
    const suggestion = p.locator('bahth-search [part=suggestion]');
    await type(p, 'فلاديمر'); // in no article: the API searched فلاديمير
    await expect.poll(() => hint.isVisible(), { timeout: WAIT }).toBe(true);
    expect(await options(p).count()).toBeGreaterThan(0);
    expect(await hint.textContent()).toContain('نتائج «فلاديمير»');
    expect(await suggestion.textContent()).toBe('فلاديمر');
    await suggestion.click();
    await expect.poll(() => p.locator('bahth-search [part=status]').textContent(), { timeout: WAIT }).toBe('لا نتائج');
    expect(await input(p).inputValue()).toBe('فلاديمر');
    expect(await hint.isVisible()).toBe(false);
  });

  it('is a combobox whose aria-activedescendant follows the arrow keys; Escape closes it', async () => {
    const p = await open('/');
    const box = input(p);
    expect(await box.getAttribute('role')).toBe('combobox');
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(1);
    const list = p.locator('bahth-search [role=listbox]');
    expect(await box.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    const ids = await options(p).evaluateAll((els) => els.map((e) => e.id));
    await p.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[0]);
    expect(await options(p).first().getAttribute('aria-selected')).toBe('true');
    await p.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[1]);
    await p.keyboard.press('ArrowUp');
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[0]);
    await shot(p, 'widget-ar-keyboard');
    await p.keyboard.press('Escape');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    expect(await list.isVisible()).toBe(false);
  });

  it('leaves no option active once the words change, and offers no result of the old words', async () => {
    const p = await open('/');
    const box = input(p);
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(1);
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).not.toBeNull();
    // Hold the new words' answer: until it comes, the old results are all there is.
    const sent: string[] = [];
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    await p.route('**/search?**', async (route) => {
      sent.push(new URL(route.request().url()).searchParams.get('q')!);
      await released;
      await route.continue().catch(() => undefined);
    });
    await p.keyboard.type(' الصين', { delay: 10 });
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    expect(await p.locator('bahth-search [aria-selected=true]').count()).toBe(0);
    // ↓ now searches the words in the box at once, and selects none of the old results.
    await p.keyboard.press('ArrowDown');
    await expect.poll(() => sent.at(-1)).toBe('بوتين الصين');
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    // Enter opens no old result: it searches the words in the box on the results page (held here).
    await p.evaluate(() => document.querySelector('bahth-search')!.addEventListener('bahth-submit', (e) => {
      e.preventDefault();
      (window as unknown as { submitted: unknown }).submitted = (e as CustomEvent).detail;
    }));
    await p.keyboard.press('Enter');
    expect(p.url()).toBe(h.page + '/');
    expect(await p.evaluate(() => (window as unknown as { submitted: { query: string } }).submitted.query)).toBe('بوتين الصين');
    release();
    await expect.poll(() => status(p).textContent()).toContain(new Intl.NumberFormat('ar-u-nu-arab').format(await searchTotal('بوتين الصين')));
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
  });

  it('says "about" before a count the API estimated (a quoted phrase checked in the best candidates only)', async () => {
    // The seeds are too few for a phrase to pass the check's cap: the Worker's own answer is
    // passed on with its count marked as an estimate, as it is on a large archive.
    const p = await open('/');
    let marked = false;
    await p.route('**/search?**', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { total: number; estimated?: string[] };
      marked = body.total > 0;
      await route.fulfill({ response: res, json: { ...body, estimated: ['total'] } });
    });
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    const count = new Intl.NumberFormat('ar-u-nu-arab').format(await searchTotal('بوتين'));
    await expect.poll(() => status(p).textContent()).toContain(`نحو ${count}`);
    expect(marked).toBe(true);
    // An exact count is said as it is.
    await p.unroute('**/search?**');
    await type(p, 'الصين');
    const exact = new Intl.NumberFormat('ar-u-nu-arab').format(await searchTotal('الصين'));
    await expect.poll(() => status(p).textContent()).toContain(exact);
    expect(await status(p).textContent()).not.toContain('نحو');
  });

  it('closes the list on the first Escape and clears the box on the second', async () => {
    const p = await open('/');
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    await p.keyboard.press('Escape');
    expect(await input(p).getAttribute('aria-expanded')).toBe('false');
    expect(await input(p).inputValue()).toBe('بوتين');
    await p.keyboard.press('Escape');
    expect(await input(p).inputValue()).toBe('');
  });

  it('shows the error state for a search the API does not answer in 10 s, and says why', async () => {
    const p = await open('/');
    await p.clock.install();
    await p.route('**/search?**', () => undefined); // never answered
    const errors = p.evaluate(() => new Promise<string>((r) => document.querySelector('bahth-search')!.addEventListener('bahth-error', (e) => r((e as CustomEvent<{ error: string }>).detail.error))));
    await type(p, 'بوتين');
    await p.clock.runFor(200);
    await expect.poll(() => status(p).textContent()).toBe('جارٍ البحث…');
    await p.clock.runFor(10_000);
    await expect.poll(() => status(p).textContent()).toBe('تعذّر البحث');
    expect(await errors).toMatch(/no answer from .* in 10 s/);
  });

  it('says what is wrong with an api attribute that is not a URL; an empty limit means 5', async () => {
    const p = await open('/bad-api');
    const errors = p.evaluate(() => new Promise<string>((r) => document.querySelector('bahth-search')!.addEventListener('bahth-error', (e) => r((e as CustomEvent<{ error: string }>).detail.error))));
    await type(p, 'بوتين');
    await expect.poll(() => status(p).textContent()).toBe('تعذّر البحث');
    expect(await errors).toContain('the api attribute "search.example.com" is not an absolute http(s) URL');
    await p.close();
    const q = await open('/empty-limit');
    const sent: string[] = [];
    q.on('request', (r) => r.url().includes('/search?') && sent.push(new URL(r.url()).searchParams.get('limit')!));
    await type(q, 'بوتين');
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    expect(sent[0]).toBe('5');
  });

  it('fires a cancelable bahth-select with the hit on Enter, and opens the article when not prevented', async () => {
    const p = await open('/');
    await p.evaluate(() => {
      document.querySelector('bahth-search')!.addEventListener('bahth-select', (e) => {
        const w = window as unknown as { selected: unknown[] };
        (w.selected ??= []).push((e as CustomEvent).detail);
        if (w.selected.length === 1) e.preventDefault();
      });
    });
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    const firstTitle = await options(p).first().locator('[part=title]').textContent();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    const selected = (await p.evaluate(() => (window as unknown as { selected: { hit: { id: string; title: string }; href: string }[] }).selected))[0]!;
    expect(selected.hit.title).toBe(firstTitle);
    expect(selected.href).toMatch(/^https?:\/\//);
    expect(p.url()).toBe(`${h.page}/`);
    // The second time the listener lets it through: the widget navigates to the hit.
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    await p.waitForURL((u) => u.href !== `${h.page}/`);
    expect(p.url()).toMatch(/^https?:\/\//);
  });

  it('renders a hostile article’s markup as visible text and runs none of it', async () => {
    const p = await open('/');
    await p.evaluate(() => {
      document.querySelector('bahth-search')!.addEventListener('bahth-select', (e) => {
        (window as unknown as { href: string }).href = (e as CustomEvent<{ href: string }>).detail.href;
        e.preventDefault();
      });
    });
    await type(p, 'pwned');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    const hostile = options(p).filter({ hasText: 'خبر مريب' }).first();
    expect(await hostile.locator('[part=title]').innerText()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await hostile.locator('[part=snippet]').innerText()).toContain('<script>window.__pwned=1</script>');
    const injected = await p.evaluate(() => {
      const root = document.querySelector('bahth-search')!.shadowRoot!;
      return { inShadow: root.querySelectorAll('img, script, b, [onerror]').length, inPage: document.querySelectorAll('img, b, [onerror]').length };
    });
    expect(injected).toEqual({ inShadow: 0, inPage: 0 });
    expect(await p.locator('bahth-search mark').allTextContents()).toContain('pwned');
    // Its `javascript:` URL is never followed: the widget falls back to the article on the API.
    await hostile.hover();
    await hostile.click();
    expect(await p.evaluate(() => (window as unknown as { href: string }).href)).toBe(`${h.worker}/articles/${HOSTILE.id}?q=pwned`);
    await shot(p, 'widget-hostile');
    expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('debounces typing and cancels the stale request', async () => {
    const p = await open('/');
    const sent: string[] = [];
    const failed: string[] = [];
    p.on('request', (r) => r.url().includes('/search?') && sent.push(new URL(r.url()).searchParams.get('q')!));
    p.on('requestfailed', (r) => r.url().includes('/search?') && failed.push(new URL(r.url()).searchParams.get('q')!));
    // Hold the first answer back until a newer query overtakes it (however slow the machine).
    let held = false;
    await p.route('**/search?**', async (route) => {
      if (!held) {
        held = true;
        for (const until = Date.now() + WAIT; sent.length < 2 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
      }
      await route.continue().catch(() => undefined);
    });
    await input(p).click();
    await p.keyboard.type('الصين', { delay: 20 });
    await expect.poll(() => sent.length).toBe(1);
    const more = ' بوتين';
    await p.keyboard.type(more, { delay: 20 });
    // The newer query is sent once typing pauses (on a loaded machine the held answer may come
    // back first and show its results meanwhile: wait for the request, not for the results).
    await expect.poll(() => sent.at(-1), { timeout: WAIT }).toBe('الصين بوتين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    // One request per pause, not per keystroke (a slow machine may pause mid-word: allow for it).
    expect(sent[0]).toBe('الصين');
    expect(sent.length).toBeLessThan(1 + more.length);
    await expect.poll(() => failed).toContain('الصين');
    const total = await searchTotal('الصين بوتين');
    await expect.poll(() => status(p).textContent()).toContain(new Intl.NumberFormat('ar-u-nu-arab').format(total));
  });

  it('shows a form put inside the element where no script runs, which searches on the results page; hidden once the widget runs', async () => {
    const markup = `<bahth-search><form action="${h.worker}/search"><input name="q" type="search" aria-label="ابحث"> <button>بحث</button></form></bahth-search>`;
    const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'ar' });
    try {
      const np = await plain.newPage();
      np.setDefaultTimeout(WAIT);
      await np.goto(h.page);
      await np.setContent(`<!doctype html><html dir="rtl" lang="ar"><body><script src="${h.worker}/embed.js" type="module"></script>${markup}</body></html>`);
      expect(await np.locator('bahth-search input[name=q]').isVisible()).toBe(true);
      await np.locator('bahth-search input[name=q]').fill('بوتين');
      await np.locator('bahth-search input[name=q]').press('Enter');
      await np.waitForURL(`${h.worker}/search?q=*`);
      expect(await np.locator('ol.hits > li').count()).toBeGreaterThan(0);
    } finally {
      await plain.close();
    }
    // With script: the widget's own box, the form not shown.
    const p = await open('/');
    await p.evaluate((m) => document.body.insertAdjacentHTML('beforeend', `<div id="fallback">${m}</div>`), markup);
    await expect.poll(() => p.locator('#fallback bahth-search').evaluate((e) => !!e.shadowRoot)).toBe(true);
    expect(await p.locator('#fallback bahth-search form').isVisible()).toBe(false);
    expect(await p.locator('#fallback bahth-search').locator('input[role=combobox]').isVisible()).toBe(true);
  });

  it('offers every result on the results page as a last option, and sends Enter with none chosen there', async () => {
    const p = await open('/');
    await p.evaluate(() => document.querySelector('bahth-search')!.setAttribute('limit', '2'));
    await type(p, 'بوتين');
    const total = await searchTotal('بوتين');
    expect(total).toBeGreaterThan(2);
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBe(3);
    const more = options(p).last();
    expect(await more.textContent()).toBe(`كل النتائج (${new Intl.NumberFormat('ar-u-nu-arab').format(total)})`);
    // The arrow keys reach it (↑ from none: the last option); Enter opens the results page.
    await p.keyboard.press('ArrowUp');
    expect(await more.getAttribute('aria-selected')).toBe('true');
    await p.keyboard.press('Enter');
    await p.waitForURL(`${h.worker}/search?q=*`);
    expect(new URL(p.url()).searchParams.get('q')).toBe('بوتين');
    expect(await p.locator('ol.hits > li').count()).toBeGreaterThan(2);
    // Enter with no option chosen: the words typed, there too.
    const again = await open('/');
    await type(again, 'الصين');
    await expect.poll(() => options(again).count(), { timeout: WAIT }).toBeGreaterThan(0);
    await again.keyboard.press('Enter');
    await again.waitForURL(`${h.worker}/search?q=*`);
    expect(new URL(again.url()).searchParams.get('q')).toBe('الصين');
  });

  it('searches within its source, category and tag attributes, and again when they change', async () => {
    const p = await open('/');
    const sent: URLSearchParams[] = [];
    p.on('request', (r) => { if (r.url().includes('/search?')) sent.push(new URL(r.url()).searchParams); });
    const all = await searchTotal('بوتين');
    const res = await fetch(`${h.worker}/search?q=${encodeURIComponent('بوتين')}&limit=5&facets=false&source=RT`);
    const rt = (await res.json()) as { total: number; hits: { title: string }[] };
    expect(rt.total).toBeGreaterThan(0);
    expect(rt.total).toBeLessThan(Math.min(all, 5));
    await p.evaluate(() => document.querySelector('bahth-search')!.setAttribute('source', 'RT'));
    await type(p, 'بوتين ');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBe(rt.total);
    expect(await options(p).first().locator('[part=title]').textContent()).toBe(rt.hits[0]!.title);
    expect(sent.at(-1)!.get('source')).toBe('RT');
    // The scope lifted: the words in the box are searched again, over every article.
    await p.evaluate(() => document.querySelector('bahth-search')!.removeAttribute('source'));
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBe(Math.min(all, 5) + (all > 5 ? 1 : 0));
    expect(sent.at(-1)!.get('source')).toBeNull();
    // Within a section and a topic, the results page keeps the scope too.
    await p.evaluate(() => { const b = document.querySelector('bahth-search')!; b.setAttribute('category', 'sport, culture'); b.setAttribute('tag', 'روسيا'); });
    await expect.poll(() => sent.at(-1)?.get('tag'), { timeout: WAIT }).toBe('روسيا');
    expect(sent.at(-1)!.get('category')).toBe('sport, culture');
    await input(p).press('Enter');
    await p.waitForURL(`${h.worker}/search?q=*`);
    const landed = new URL(p.url()).searchParams;
    expect([landed.get('q'), landed.get('category'), landed.get('tag')]).toEqual(['بوتين', 'sport, culture', 'روسيا']);
  });

  it('says لا نتائج when nothing matches and تعذّر البحث when the API fails', async () => {
    const p = await open('/');
    await type(p, 'qqqqzzzzxxxx');
    await expect.poll(() => status(p).textContent()).toBe('لا نتائج');
    expect(await options(p).count()).toBe(0);
    await p.close();
    const broken = await open('/broken');
    await type(broken, 'بوتين');
    await expect.poll(() => status(broken).textContent()).toBe('تعذّر البحث');
  });

  it('speaks English, left to right unless the page sets dir, with lang="en"', async () => {
    const p = await open('/en');
    expect(await input(p).getAttribute('placeholder')).toBe('Search the news…');
    expect(await input(p).evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    await type(p, 'بوتين');
    await expect.poll(() => status(p).textContent()).toMatch(/^\d+ results?$/);
    expect(await status(p).textContent()).toBe(`${await searchTotal('بوتين')} results`);
    await type(p, 'qqqqzzzzxxxx');
    await expect.poll(() => status(p).textContent()).toBe('No results');
    await type(p, 'بوتين');
    await expect.poll(() => options(p).count()).toBeGreaterThan(0);
    await shot(p, 'widget-en-results');
    // The page's own dir on the element wins over the language's default.
    await p.locator('bahth-search').evaluate((el) => el.setAttribute('dir', 'rtl'));
    expect(await input(p).evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  });

  it('works on the demo page (the README screenshot) under its own Content-Security-Policy', async () => {
    const p = await browser.newPage({ viewport: { width: 900, height: 760 } });
    page = p;
    p.setDefaultTimeout(WAIT);
    const errors: string[] = [];
    p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const violations: string[] = [];
    await p.exposeFunction('cspViolation', (v: string) => violations.push(v));
    await p.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { cspViolation: (v: string) => void }).cspViolation(`${e.violatedDirective} ${e.blockedURI}`)));
    const res = await p.goto(`${h.worker}/`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    await type(p, 'الصين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    expect(await p.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
    const file = await shot(p, 'demo-page');
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(DOCS_SCREENSHOT)) {
      mkdirSync(dirname(DOCS_SCREENSHOT), { recursive: true });
      copyFileSync(file, DOCS_SCREENSHOT);
    }
  });
});

describe('the demo page under axe-core', () => {
  /** axe-core's findings on the page as it is now, for these rule tags. */
  async function axe(p: Page, tags: string[]): Promise<{ id: string; impact: string | null; nodes: string[] }[]> {
    // Evaluated through the DevTools protocol: the page's CSP allows no inline script, rightly.
    if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
    return p.evaluate(async (runOnly) => {
      const w = window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } };
      const r = await w.axe.run(document, { runOnly: { type: 'tag', values: runOnly }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    }, tags);
  }

  it('finds no WCAG 2.1 A or AA violation and no landmark problem, with results open', async () => {
    const p = await browser.newPage({ viewport: { width: 900, height: 760 }, locale: 'ar' });
    page = p;
    p.setDefaultTimeout(WAIT);
    await p.goto(`${h.worker}/`);
    await p.waitForFunction(() => customElements.get('bahth-search') !== undefined);
    await type(p, 'الصين');
    await expect.poll(() => options(p).count(), { timeout: WAIT }).toBeGreaterThan(0);
    await p.keyboard.press('ArrowDown');
    expect(await input(p).getAttribute('aria-expanded')).toBe('true');
    expect(await axe(p, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])).toEqual([]);
    const practice = await axe(p, ['best-practice']);
    expect(practice.filter((v) => v.id === 'landmark-one-main' || v.id === 'region')).toEqual([]);
    expect(practice).toEqual([]);
  });
});
