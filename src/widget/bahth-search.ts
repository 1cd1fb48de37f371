/**
 * `<bahth-search>`: the embeddable search box. Browser code only, no framework; compiled by
 * scripts/build-widget.ts into the standalone module served at `GET /embed.js`.
 *
 * Results come from the Worker that served this script (or the `api` attribute). Highlights are
 * built from the API's `matches` offsets with text nodes and `<mark>` elements: no API text is
 * ever parsed as HTML, so a hostile article cannot inject markup.
 *
 * @example
 * <script src="https://YOUR-WORKER/embed.js" type="module"></script>
 * <bahth-search></bahth-search>
 */

/** A hit as `GET /search` returns it (the fields the widget uses). */
interface Hit {
  id: string;
  title: string;
  snippetText: string;
  date?: string;
  source?: string;
  sources?: string[];
  url?: string;
  matches?: { title?: [number, number][]; snippet?: [number, number][] };
}

interface SearchResponse {
  total: number;
  hits: Hit[];
  /** The query with typos corrected (the API's `didYouMean`). */
  didYouMean?: string;
  /** The hits are those of `didYouMean` (the API searched the corrected query). */
  corrected?: boolean;
  /** Words no article holds (and none corrected): the hits are the other words'. */
  unmatched?: string[];
  ignored?: string[];
  /** A query of exclusions alone: what it leaves out (the hits are the newest articles without it). */
  without?: string[];
  /** The query searched, its last word (still being typed) completed (the API's `prefix`). */
  completed?: string;
  /** Counts that are estimates (a quoted phrase checked in the best candidates only). */
  estimated?: string[];
}

/** What a `bahth-select` event carries: the hit, and where the widget will go unless prevented. */
export interface BahthSelectDetail {
  hit: Hit;
  href: string;
}

type Lang = 'ar' | 'en';

const arPlural = new Intl.PluralRules('ar');

const STRINGS = {
  ar: {
    placeholder: 'ابحث في الأخبار…',
    label: 'بحث في الأخبار',
    results: 'نتائج البحث',
    loading: 'جارٍ البحث…',
    error: 'تعذّر البحث',
    empty: 'لا نتائج',
    didYouMean: 'هل تقصد:',
    showing: (q: string): string => `نتائج «${q}». ابحث بدلًا من ذلك عن:`,
    unmatched: (words: string[]): string => `لا يحوي أيّ خبر ${words.map((w) => `«${w}»`).join('، ')}`,
    ignored: (words: string[]): string => `${words.map((w) => `«${w}»`).join('، ')}: كلمات أشيع من أن يُبحث بها، أضف اسمًا أو كلمة أدق`,
    without: (words: string[]): string => `أحدث الأخبار دون ${words.map((w) => `«${w}»`).join('، ')}`,
    more: (f: string): string => `كل النتائج (${f})`,
    // Arabic plural categories: ١ نتيجة واحدة، ٢ نتيجتان، ٣–١٠ نتائج، ١١+ نتيجة.
    count: (n: number, f: string): string => {
      const forms: Record<string, string> = { zero: 'لا نتائج', one: 'نتيجة واحدة', two: 'نتيجتان', few: `${f} نتائج` };
      return forms[arPlural.select(n)] ?? `${f} نتيجة`;
    },
    about: 'نحو ',
  },
  en: {
    placeholder: 'Search the news…',
    label: 'Search the news',
    results: 'Search results',
    loading: 'Searching…',
    error: 'Search failed',
    empty: 'No results',
    didYouMean: 'Did you mean:',
    showing: (q: string): string => `Showing results for “${q}”. Search instead for:`,
    unmatched: (words: string[]): string => `No article has ${words.map((w) => `“${w}”`).join(', ')}`,
    ignored: (words: string[]): string => `${words.map((w) => `“${w}”`).join(', ')}: too common to search; add a name or a more specific word`,
    without: (words: string[]): string => `Latest news without ${words.map((w) => `“${w}”`).join(', ')}`,
    more: (f: string): string => `All ${f} results`,
    count: (n: number, f: string): string => (n === 1 ? '1 result' : `${f} results`),
    about: 'About ',
  },
} satisfies Record<Lang, unknown>;

/** Eastern Arabic digits for the Arabic UI whatever the locale's default. */
const LOCALES: Record<Lang, string> = { ar: 'ar-u-nu-arab', en: 'en' };

/** Attributes that keep the box's searches to some articles: the API's filters of the same names. */
const SCOPE = ['source', 'category', 'tag'] as const;
const DEBOUNCE_MS = 150;
/** A search not answered by then shows the error state (a hung API must not spin forever). */
const TIMEOUT_MS = 10_000;
const MAX_QUERY = 256;

const CSS = `
:host{display:block;position:relative;font-family:var(--bahth-font,system-ui,"Noto Naskh Arabic","Segoe UI",Tahoma,sans-serif);font-size:var(--bahth-font-size,1rem);color:var(--bahth-fg,#1b1b1f);line-height:1.5}
:host([hidden]){display:none}
*{box-sizing:border-box}
input{width:100%;font:inherit;color:inherit;background:var(--bahth-bg,#fff);border:1px solid var(--bahth-border,#c6cad1);border-radius:var(--bahth-radius,.5rem);padding:.6em .8em;outline:none}
input:focus{border-color:var(--bahth-accent,#0b6e4f);box-shadow:0 0 0 3px color-mix(in srgb,var(--bahth-accent,#0b6e4f) 25%,transparent)}
[part=status]{min-height:1.4em;padding:.2em .2em 0;font-size:.85em;color:var(--bahth-muted,#5f6368)}
[part=status].error{color:var(--bahth-error,#b3261e)}
[part=hint]{padding:0 .2em;font-size:.85em;color:var(--bahth-muted,#5f6368)}
[part=hint][hidden]{display:none}
[part=suggestion]{font:inherit;color:var(--bahth-accent,#0b6e4f);background:none;border:0;padding:0 .25em;cursor:pointer;text-decoration:underline}
ul{position:absolute;z-index:var(--bahth-z,1000);inset-inline:0;margin:.25em 0 0;padding:.25em;list-style:none;max-height:var(--bahth-max-height,28rem);overflow:auto;background:var(--bahth-bg,#fff);border:1px solid var(--bahth-border,#c6cad1);border-radius:var(--bahth-radius,.5rem);box-shadow:var(--bahth-shadow,0 8px 24px rgb(0 0 0/.12))}
ul[hidden]{display:none}
li{padding:.55em .7em;border-radius:calc(var(--bahth-radius,.5rem) - .2em);cursor:pointer}
li+li{margin-top:.15em}
li:hover{background:var(--bahth-hover-bg,#f3f4f6)}
li[aria-selected=true]{background:var(--bahth-active-bg,#e6f2ee);outline:2px solid var(--bahth-accent,#0b6e4f);outline-offset:-2px}
li[part~=more]{color:var(--bahth-accent,#0b6e4f);font-weight:600}
[part=title]{font-weight:600;color:var(--bahth-title-fg,inherit)}
[part=snippet]{font-size:.9em;margin-top:.15em}
[part=meta]{font-size:.8em;color:var(--bahth-muted,#5f6368);margin-top:.2em}
mark{background:var(--bahth-mark-bg,#ffe58a);color:var(--bahth-mark-fg,inherit);border-radius:.15em;padding:0 .05em}
`;

/** The origin this script was served from: the API's default home. */
const SCRIPT_URL: string = import.meta.url;

let instances = 0;

/** The search box element. Attributes: `api`, `lang` (`ar`|`en`), `limit` (1–50), `placeholder`, `dir` (docs/widget.md). */
export class BahthSearch extends HTMLElement {
  static observedAttributes = ['placeholder', 'lang', 'dir', ...SCOPE];

  readonly #root: ShadowRoot;
  readonly #box: HTMLDivElement;
  readonly #input: HTMLInputElement;
  readonly #status: HTMLDivElement;
  readonly #hint: HTMLDivElement;
  readonly #suggestion: HTMLButtonElement;
  readonly #list: HTMLUListElement;
  readonly #prefix = `bahth-${++instances}-`;
  #hits: Hit[] = [];
  /**
   * The query whose hits are shown (the beacon reports it with a hit opened): as sent to the API,
   * or the query it completed a word being typed to (the analytics count the hit under it).
   */
  #shown = '';
  /** The query whose hits are shown, as searched (its correction applied): the article's page marks its words. */
  #searched = '';
  /** The hits shown were searched as typed (`correct=false`: the "search instead for" link). */
  #exact = false;
  #active = -1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: AbortController | undefined;
  #state: 'idle' | 'loading' | 'error' | 'done' = 'idle';
  #total = 0;
  /** The total is an estimate (the API's `estimated`): said as "about". */
  #about = false;
  /** Query words no article holds (the API's `unmatched`). */
  #unmatched: string[] = [];
  /** The query's words when all are stop words (the API's `ignored`). */
  #ignored: string[] = [];
  /** What a query of exclusions alone leaves out (the API's `without`). */
  #without: string[] = [];
  /** What the hint offers: the API's correction to search, or (when it already searched the correction) the query as typed. */
  #offer: { query: string; exact: boolean; corrected?: string } | undefined;

  constructor() {
    super();
    const root = (this.#root = this.attachShadow({ mode: 'open' }));
    try {
      // A constructed sheet is not an inline <style>: it works under a page's strict CSP.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(el('style', {}, CSS));
    }
    const listId = `${this.#prefix}list`;
    this.#input = el('input', {
      part: 'input', type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
      maxlength: String(MAX_QUERY), 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    });
    this.#status = el('div', { part: 'status', role: 'status', 'aria-live': 'polite' });
    this.#list = el('ul', { part: 'list', id: listId, role: 'listbox', hidden: '' });
    // "Did you mean" (the API's corrected query), or when the API already searched the correction,
    // "showing results for X; search instead for" the query as typed: one click (or tap) away.
    this.#suggestion = el('button', { part: 'suggestion', type: 'button', dir: 'auto' });
    this.#hint = el('div', { part: 'hint', hidden: '' }, el('span', {}), this.#suggestion);
    this.#box = el('div', { part: 'box' }, this.#input, this.#status, this.#hint, this.#list);
    root.append(this.#box);

    this.#input.addEventListener('input', () => this.#schedule());
    this.#input.addEventListener('keydown', (e) => this.#key(e));
    this.#input.addEventListener('focus', () => this.#hits.length && this.#open(true));
    this.#input.addEventListener('blur', () => this.#open(false));
    // Keep focus in the input when an option is clicked, so blur does not close the list first.
    this.#list.addEventListener('mousedown', (e) => e.preventDefault());
    this.#suggestion.addEventListener('mousedown', (e) => e.preventDefault());
    this.#suggestion.addEventListener('click', () => {
      const offer = this.#offer;
      if (!offer) return;
      this.#input.value = offer.query;
      this.#input.focus();
      void this.#search(offer.query, offer.exact);
    });
    this.#list.addEventListener('click', (e) => {
      const li = (e.target as Element).closest('li');
      if (li) this.#select(Number(li.dataset.i));
    });
  }

  connectedCallback(): void {
    this.#localize();
  }

  disconnectedCallback(): void {
    clearTimeout(this.#timer);
    this.#pending?.abort();
  }

  attributeChangedCallback(name: string, old: string | null, now: string | null): void {
    this.#localize();
    // A new scope: the words in the box are searched again within it.
    if ((SCOPE as readonly string[]).includes(name) && old !== now && this.#input.value.trim()) void this.#search(this.#input.value, this.#exact, this.#typing());
  }

  /** The `source`, `category` and `tag` attributes as the API's filters (`&source=…`): the box searches within them. */
  get #scope(): string {
    let out = '';
    for (const name of SCOPE) {
      const v = this.getAttribute(name)?.trim();
      if (v) out += `&${name}=${encodeURIComponent(v)}`;
    }
    return out;
  }

  /** The API origin: the `api` attribute, else where this script came from. */
  get api(): string {
    return (this.getAttribute('api') ?? new URL(SCRIPT_URL).origin).replace(/\/+$/, '');
  }

  /** The API's base URL, or an error naming a bad `api` attribute (not an absolute http(s) URL). */
  #apiBase(): string {
    const api = this.api;
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(api).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new Error(`the api attribute "${api.slice(0, 80)}" is not an absolute http(s) URL (e.g. api="https://search.example.com")`);
    return api;
  }

  get #lang(): Lang {
    return this.getAttribute('lang')?.toLowerCase().startsWith('en') ? 'en' : 'ar';
  }

  /** The `limit` attribute, 1–50; absent, empty or not a number of results: 5. */
  get #limit(): number {
    const raw = this.getAttribute('limit')?.trim();
    const n = raw ? Math.round(Number(raw)) : Number.NaN;
    return Number.isFinite(n) && n >= 1 ? Math.min(50, n) : 5;
  }

  #localize(): void {
    const lang = this.#lang;
    const t = STRINGS[lang];
    // The page's dir on the element wins; otherwise Arabic reads right to left, English left to right.
    if (this.hasAttribute('dir')) this.#box.removeAttribute('dir');
    else this.#box.dir = lang === 'en' ? 'ltr' : 'rtl';
    this.#box.lang = lang;
    this.#input.placeholder = this.getAttribute('placeholder') ?? t.placeholder;
    this.#input.setAttribute('aria-label', this.getAttribute('placeholder') ?? t.label);
    this.#list.setAttribute('aria-label', t.results);
    this.#renderHint();
    this.#renderStatus();
  }

  #schedule(): void {
    // The text changed: an answer still in flight is for other words and must not show, and
    // Enter must not open a result of the old words.
    this.#pending?.abort();
    this.#activate(-1);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#search(this.#input.value.trim(), false, this.#typing()), DEBOUNCE_MS);
  }

  /** The last word is still being typed (no space after it): the API completes it. */
  #typing(): boolean {
    return !/\s$/.test(this.#input.value);
  }

  /**
   * Searches `q`; `exact` asks the API not to correct it (the "search instead for" link);
   * `typing`, to search the query its last word completes to (the API's `prefix`): the results
   * follow the words the reader is typing, not the first letters of the last one.
   */
  async #search(q: string, exact = false, typing = false): Promise<void> {
    this.#pending?.abort();
    if (!q) {
      this.#pending = undefined;
      this.#show('idle', []);
      return;
    }
    const ctrl = (this.#pending = new AbortController());
    this.#state = 'loading';
    this.#renderStatus();
    this.#list.setAttribute('aria-busy', 'true');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, TIMEOUT_MS);
    try {
      const url = `${this.#apiBase()}/search?q=${encodeURIComponent(q)}&limit=${this.#limit}&facets=false${this.#scope}${exact ? '&correct=false' : typing ? '&prefix=true' : ''}`;
      const res = await fetch(url, { signal: ctrl.signal, headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as SearchResponse;
      if (ctrl.signal.aborted) return;
      this.#total = body.total;
      this.#about = body.estimated?.includes('total') ?? false;
      this.#unmatched = body.unmatched ?? [];
      this.#ignored = body.ignored ?? [];
      this.#without = body.without ?? [];
      // A completion that is no mere continuation of the letters typed read a typo in them
      // (بويت → بوتين): the box says whose results it shows, as for a corrected query.
      const readAs = body.completed && !loose(body.completed).startsWith(loose(q)) ? (body.corrected && body.didYouMean ? body.didYouMean : body.completed) : undefined;
      this.#offer = readAs ? { query: q, exact: true, corrected: readAs } : !body.didYouMean ? undefined : body.corrected ? { query: q, exact: true, corrected: body.didYouMean } : { query: body.didYouMean, exact: false };
      this.#renderHint();
      this.#shown = body.completed ?? q;
      this.#exact = exact;
      this.#searched = body.corrected && body.didYouMean ? body.didYouMean : this.#shown;
      this.#show('done', body.hits);
    } catch (err) {
      // A newer keystroke aborted this request: the newer one owns the UI.
      if (ctrl.signal.aborted && !timedOut) return;
      if (this.#pending === ctrl) this.#pending = undefined;
      this.#show('error', []);
      const error = timedOut ? `no answer from ${this.api} in ${TIMEOUT_MS / 1000} s` : String(err);
      this.dispatchEvent(new CustomEvent('bahth-error', { detail: { query: q, error }, bubbles: true, composed: true }));
    } finally {
      clearTimeout(timer);
    }
  }

  #show(state: 'idle' | 'error' | 'done', hits: Hit[]): void {
    // The old options go: none of them is active (a screen reader must not hear one as such).
    this.#activate(-1);
    this.#state = state;
    this.#hits = hits;
    this.#list.removeAttribute('aria-busy');
    this.#list.replaceChildren(...hits.map((hit, i) => this.#option(hit, i)));
    // More than it shows: a last option opens them all on the Worker's results page.
    if (state === 'done' && this.#total > hits.length && hits.length > 0) {
      const t = STRINGS[this.#lang];
      const li = el('li', { part: 'option more', role: 'option', id: `${this.#prefix}opt-more`, 'aria-selected': 'false' }, t.more(new Intl.NumberFormat(LOCALES[this.#lang]).format(this.#total)));
      li.dataset.i = String(hits.length);
      this.#list.appendChild(li);
    }
    this.#hint.hidden = state !== 'done' || !this.#offer;
    this.#renderStatus();
    this.#open(hits.length > 0 && this.#root.activeElement === this.#input);
  }

  #option(hit: Hit, i: number): HTMLLIElement {
    const li = el('li', { part: 'option', role: 'option', id: `${this.#prefix}opt-${i}`, 'aria-selected': 'false' },
      el('div', { part: 'title', dir: 'auto' }, ...marked(hit.title, hit.matches?.title)),
      el('div', { part: 'snippet', dir: 'auto' }, ...marked(hit.snippetText, hit.matches?.snippet)));
    li.dataset.i = String(i);
    const meta = [formatDate(hit.date, this.#lang), hit.source ?? hit.sources?.[0]].filter(Boolean).join(' · ');
    if (meta) li.appendChild(el('div', { part: 'meta' }, meta));
    return li;
  }

  #renderHint(): void {
    const t = STRINGS[this.#lang];
    const offer = this.#offer;
    this.#hint.firstChild!.textContent = offer?.corrected ? t.showing(offer.corrected) : t.didYouMean;
    this.#suggestion.textContent = offer?.query ?? '';
  }

  #renderStatus(): void {
    const t = STRINGS[this.#lang];
    const text = {
      idle: '',
      loading: t.loading,
      error: t.error,
      done: [...(this.#without.length ? [t.without(this.#without)] : []), this.#total ? (this.#about ? t.about : '') + t.count(this.#total, new Intl.NumberFormat(LOCALES[this.#lang]).format(this.#total)) : t.empty, ...(this.#total && this.#unmatched.length ? [t.unmatched(this.#unmatched)] : []), ...(!this.#total && this.#ignored.length ? [t.ignored(this.#ignored)] : [])].join(' · '),
    }[this.#state];
    if (this.#status.textContent !== text) this.#status.textContent = text;
    this.#status.classList.toggle('error', this.#state === 'error');
  }

  #open(open: boolean): void {
    this.#list.hidden = !open;
    this.#input.setAttribute('aria-expanded', String(open));
    if (!open) this.#activate(-1);
  }

  #activate(i: number): void {
    const items = this.#list.children;
    items[this.#active]?.setAttribute('aria-selected', 'false');
    this.#active = i;
    const li = items[i];
    if (li) {
      li.setAttribute('aria-selected', 'true');
      this.#input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else this.#input.removeAttribute('aria-activedescendant');
  }

  #key(e: KeyboardEvent): void {
    const n = this.#list.children.length;
    const open = !this.#list.hidden;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && this.#shown !== this.#input.value.trim()) {
      // The results are for other words than those in the box now: search these at once
      // rather than offer the old ones.
      e.preventDefault();
      clearTimeout(this.#timer);
      void this.#search(this.#input.value.trim(), false, this.#typing());
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && n) {
      e.preventDefault();
      if (!open) this.#open(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.#activate(this.#active < 0 ? (step > 0 ? 0 : n - 1) : (this.#active + step + n) % n);
    } else if (e.key === 'Enter' && open && this.#active >= 0) {
      e.preventDefault();
      this.#select(this.#active);
    } else if (e.key === 'Enter' && this.#input.value.trim()) {
      // No option chosen: the words typed, searched on the Worker's results page.
      e.preventDefault();
      this.#submit(this.#input.value.trim(), this.#input.value.trim() === this.#shown && this.#exact);
    } else if (e.key === 'Escape') {
      // Ours, not the search input's own (which would clear the box on the first Escape).
      e.preventDefault();
      if (open) this.#open(false);
      else if (this.#input.value) {
        this.#input.value = '';
        void this.#search('');
      }
    }
  }

  /**
   * Announces a search of `query` on the Worker's results page (`bahth-submit`, cancelable) and,
   * unless a listener prevents it, goes there. `exact`: searched as typed (`correct=false`).
   */
  #submit(query: string, exact: boolean): void {
    const href = `${this.api}/search?q=${encodeURIComponent(query)}${this.#scope}${exact ? '&correct=false' : ''}`;
    const go = this.dispatchEvent(new CustomEvent('bahth-submit', { detail: { query, href }, cancelable: true, bubbles: true, composed: true }));
    if (go) location.assign(href);
  }

  /** Announces the choice and reports it to the API; unless a listener prevents it, goes to the article (or, for the last option, every result). */
  #select(i: number): void {
    if (i === this.#hits.length && this.#list.children.length > i) {
      this.#submit(this.#shown, this.#exact);
      return;
    }
    const hit = this.#hits[i];
    if (!hit) return;
    const detail: BahthSelectDetail = { hit, href: hrefOf(hit, this.api, this.#searched) };
    const go = this.dispatchEvent(new CustomEvent('bahth-select', { detail, cancelable: true, bubbles: true, composed: true }));
    this.#report(hit, i + 1);
    if (go) location.assign(detail.href);
  }

  /**
   * Tells the API which hit of which query the reader opened (search analytics, docs/analytics.md):
   * a beacon, which outlives the page's unloading, sent as text so no preflight is needed. Nothing
   * about the reader is sent; `analytics="off"` on the element sends nothing at all. A failure is
   * nobody's concern.
   */
  #report(hit: Hit, position: number): void {
    if (!this.#shown || this.getAttribute('analytics') === 'off') return;
    const url = `${this.api}/clicks`;
    const body = JSON.stringify({ q: this.#shown, id: hit.id, position });
    try {
      if (!navigator.sendBeacon?.(url, body)) void fetch(url, { method: 'POST', body, keepalive: true, mode: 'no-cors' }).catch(() => {});
    } catch {
      // A page's policy may forbid it: the reader still gets the article.
    }
  }
}

/** Letters as a reader may type them either way (harakat, tatweel, alef forms, ta marbuta, alef maqsura). */
function loose(text: string): string {
  return text.replace(/[\u064b-\u065f\u0670\u0640]/g, '').replace(/[أإآ]/g, 'ا').replace(/ة/g, 'ه').replace(/ى/g, 'ي');
}

/**
 * The hit's own http(s) URL, else the article's page on the API with the query searched (`q`),
 * whose words the page marks: never a `javascript:` URL from the data.
 */
function hrefOf(hit: Hit, api: string, q: string): string {
  try {
    const u = new URL(hit.url ?? '', api);
    if (hit.url && (u.protocol === 'https:' || u.protocol === 'http:')) return u.href;
  } catch {
    // Not a URL: fall through to the article.
  }
  return `${api}/articles/${encodeURIComponent(hit.id)}${q ? `?q=${encodeURIComponent(q)}` : ''}`;
}

/** Text with the `[start, end)` ranges wrapped in `<mark part="mark">`, as DOM nodes (never HTML). */
function marked(text: string, ranges: [number, number][] = []): Node[] {
  const out: Node[] = [];
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(at, s);
    const end = Math.min(text.length, e);
    if (end <= start) continue;
    if (start > at) out.push(document.createTextNode(text.slice(at, start)));
    out.push(el('mark', { part: 'mark' }, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}

function formatDate(iso: string | undefined, lang: Lang): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  // replaceChildren, not append: workers-types' HTMLRewriter Element shadows the DOM's append here.
  node.replaceChildren(...children);
  return node;
}

if (!customElements.get('bahth-search')) customElements.define('bahth-search', BahthSearch);
