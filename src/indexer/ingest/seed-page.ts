/**
 * One raw scraped news page (`seeds/*.txt`) → the articles it holds.
 *
 * Every line is first classified on its own (metadata, boilerplate, markers, story text); a small
 * assembler then groups the story text into stories. A page has a main section (its own story,
 * possibly followed by further headlined stories) and one section per "إقرأ أيضاً" block.
 */
import type { Article } from '../../core/article';
import { BahthError } from '../../core/errors';

type Line =
  | { kind: 'text'; no: number; text: string }
  | { kind: 'bullet'; no: number; text: string; item: string }
  | { kind: 'date'; no: number; date: string }
  | { kind: 'source'; no: number; source: string }
  | { kind: 'tags'; no: number; tags: string[] }
  | { kind: 'credit'; no: number; source: string | undefined }
  | { kind: 'readAlso'; no: number; title: string }
  | { kind: 'relatedHeading'; no: number }
  | { kind: 'dropped'; no: number };

interface Story {
  /** Undefined for a page that opens with a dateline: derived from the body at the end. */
  title: string | undefined;
  line: number;
  body: string[];
  /** Whether the first paragraph, the only one a dateline may open, has been seen. */
  opened: boolean;
  place?: string;
  agency?: string;
  related: string[];
  section: Section;
}

interface Section {
  /** The page's own content, as opposed to a "read also" teaser of another page. */
  main: boolean;
  /** Set by the lines that end a story (sources, tags, related list): later text is a new story. */
  closed: boolean;
  stories: Story[];
  sources: string[];
  tags: string[];
}

const DATE_LINE = /^تاريخ النشر ?: ?(.*)$/;
const SOURCE_LINE = /^المصدر ?: ?(.*)$/;
const TAGS_LINE = /^(?:ال)?كلمات (?:ال)?دلالية ?: ?(.*)$/;
// "إقرأ أيضاً", "اقرأ أيضا", "اقرأ ايضًا": the scrapes spell hamza and tanween every way.
const READ_ALSO = /^[اأإآ]قر[أا] [أا]يض(?:اً|ًا|ا) ?[:：]? ?(.*)$/;
const RELATED_HEADING = /^(?:مقالات مشابهة|مقالات ذات صلة|أخبار ذات صلة) ?:?$/;
const BULLET = /^[•●▪◦·] ?(.+)$/;
const CREDIT = /^©/;
/** "… من مصدر وكالة تسنیم للأنباء |": the outlet a credit line names, when it names one simply. */
const CREDIT_SOURCE = /(?:^| )(?:ال)?مصدر ([^|]+?) ?(?:\||$)/;
const BOILERPLATE = [/^شاركها\.?$/, /^Exit mobile version$/i];
/**
 * A dateline opening a story: "موسكو (أ ف ب) – …" or "بكين-سانا". The place is one to three
 * Arabic words; the agency is either in parentheses before a dash, or after a dash and then
 * followed by another dash, a colon or the end of the line.
 */
const DATELINE =
  /^(\p{Script=Arabic}+(?: \p{Script=Arabic}+){0,2}) ?(?:\(([^()]{1,30})\) ?[-–—] ?|[-–—] ?([^()\-–—:]{1,30}?) ?(?:[-–—:] ?|$))/u;

const SENTENCE_END = /[.!?؟…]["'”’»)]*$/;
/** Sentence punctuation anywhere (a dot between digits is a decimal point, not a full stop). */
const SENTENCE_PUNCTUATION = /[!?؟…]|\.(?!\d)/;
/** A page's first line longer than this is a paragraph, not a headline. */
const PAGE_TITLE_MAX_WORDS = 25;
/** In-page headlines: sub-headings are shorter ("نفاذ المساعدات الإنسانية"), sentences longer. */
const HEADLINE_MIN_WORDS = 5;
const HEADLINE_MAX_WORDS = 15;
/**
 * Discourse connectives that open a sentence continuing the story ("وأضاف", "كما"). A short
 * unpunctuated line opening with one is a body paragraph whose full stop the scrape lost.
 */
const CONTINUATION_OPENERS = new Set([
  'وقال', 'وقالت', 'وأضاف', 'وأضافت', 'وأكد', 'وأكدت', 'وأشار', 'وأشارت', 'وأعلن', 'وأعلنت',
  'وأوضح', 'وأوضحت', 'وتابع', 'وتابعت', 'وذكر', 'وذكرت', 'وشدد', 'وشددت', 'وتحدث', 'وتحدثت',
  'وأعرب', 'وأعربت', 'وكان', 'وكانت', 'وفي', 'ومن', 'كما', 'لكن', 'ولكن', 'بينما', 'وبينما',
]);
/** Derived titles: cut at a clause break that leaves this many words, else at the fallback. */
const DERIVED_TITLE_MIN_WORDS = 6;
const DERIVED_TITLE_MAX_WORDS = 15;
const DERIVED_TITLE_FALLBACK_WORDS = 12;

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/**
 * Parses one raw scraped page into its articles: the page's story first, then further
 * headlined and "إقرأ أيضاً" stories in page order.
 *
 * @example parseSeedPage(text, 'seeds/000_bd41f4d4b492a657.txt')[1]?.id // '000-bd41f4d4b492a657-2'
 */
export function parseSeedPage(text: string, file: string): Article[] {
  const assembler = new PageAssembler(file);
  const lines = classifyLines(text, file);
  lines.forEach((line, i) => assembler.add(line, lines[i + 1]));
  return assembler.articles();
}

function classifyLines(text: string, file: string): Line[] {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(classifyLine(line, i + 1, file));
  });
  return lines;
}

function classifyLine(text: string, no: number, file: string): Line {
  let m: RegExpExecArray | null;
  if (BOILERPLATE.some((re) => re.test(text))) return { kind: 'dropped', no };
  if (CREDIT.test(text)) return { kind: 'credit', no, source: CREDIT_SOURCE.exec(text)?.[1] };
  if ((m = DATE_LINE.exec(text))) return { kind: 'date', no, date: parsePageDate(m[1] ?? '', file, no) };
  if ((m = SOURCE_LINE.exec(text))) return m[1] ? { kind: 'source', no, source: m[1] } : { kind: 'dropped', no };
  if ((m = TAGS_LINE.exec(text))) return { kind: 'tags', no, tags: (m[1] ?? '').split(' ').filter(Boolean) };
  if ((m = READ_ALSO.exec(text))) return { kind: 'readAlso', no, title: m[1] ?? '' };
  if (RELATED_HEADING.test(text)) return { kind: 'relatedHeading', no };
  if ((m = BULLET.exec(text))) return { kind: 'bullet', no, text, item: m[1] ?? '' };
  return { kind: 'text', no, text };
}

/** "10th, December 2023 GMT", "December 10, 2023" or "2023-12-10" → "2023-12-10". */
function parsePageDate(value: string, file: string, no: number): string {
  const dayFirst = /(\d{1,2})(?:st|nd|rd|th)?,? ([A-Za-z]+)\.?,? (\d{4})/.exec(value);
  const monthFirst = /([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})/.exec(value);
  const iso = /(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const date = dayFirst
    ? isoDay(dayFirst[3], monthNumber(dayFirst[2]), dayFirst[1])
    : monthFirst
      ? isoDay(monthFirst[3], monthNumber(monthFirst[1]), monthFirst[2])
      : iso
        ? isoDay(iso[1], Number(iso[2]), iso[3])
        : undefined;
  if (date === undefined) {
    throw new BahthError('INPUT_INVALID', `${file}:${no}: unreadable publication date "${value}"`, { file, line: no });
  }
  return date;
}

function monthNumber(name: string | undefined): number {
  const lower = (name ?? '').toLowerCase();
  return lower.length >= 3 ? MONTHS.findIndex((m) => m.startsWith(lower)) + 1 : 0;
}

/** The ISO day, or undefined for a day that does not exist (February 30th). */
function isoDay(year: string | undefined, month: number, day: string | undefined): string | undefined {
  const d = new Date(Date.UTC(Number(year), month - 1, Number(day)));
  const valid = month >= 1 && d.getUTCMonth() === month - 1 && d.getUTCDate() === Number(day);
  return valid ? d.toISOString().slice(0, 10) : undefined;
}

/** Groups classified lines into sections and stories, then turns them into articles. */
class PageAssembler {
  private readonly sections: Section[] = [];
  private section: Section;
  private story: Story | undefined;
  private previous: Line | undefined;
  private inRelatedList = false;
  private date: string | undefined;
  private readonly credits: string[] = [];
  /** Every related title of the page: they are all related to its main story too. */
  private readonly related: string[] = [];

  constructor(private readonly file: string) {
    this.section = this.openSection(true);
  }

  add(line: Line, next: Line | undefined): void {
    if (line.kind !== 'bullet') this.inRelatedList = false;
    switch (line.kind) {
      case 'text':
        this.addText(line, next);
        break;
      case 'bullet':
        if (this.inRelatedList) this.addRelated(line.item);
        else this.addText(line, next);
        break;
      case 'date':
        this.date ??= line.date;
        break;
      case 'credit':
        if (line.source) this.credits.push(line.source);
        break;
      case 'source':
        this.section.sources.push(line.source);
        this.section.closed = true;
        break;
      case 'tags':
        this.section.tags.push(...line.tags);
        this.section.closed = true;
        break;
      case 'readAlso':
        this.section = this.openSection(false);
        this.story = undefined;
        if (line.title) this.startStory({ kind: 'text', no: line.no, text: line.title });
        break;
      case 'relatedHeading':
        this.inRelatedList = true;
        this.section.closed = true;
        break;
      case 'dropped':
        break;
    }
    this.previous = line;
  }

  articles(): Article[] {
    const stories = this.sections.flatMap((s) => s.stories).filter((story) => this.hasText(story));
    const stem = idStem(this.file);
    return stories.map((story, i) => this.toArticle(story, i === 0, i === 0 ? stem : `${stem}-${i + 1}`));
  }

  private openSection(main: boolean): Section {
    const section: Section = { main, closed: false, stories: [], sources: [], tags: [] };
    this.sections.push(section);
    return section;
  }

  private addText(line: Line & { text: string }, next: Line | undefined): void {
    if (this.section.closed) {
      // Text after a story's closing lines belongs to the page but is no longer that story.
      this.section = this.openSection(false);
      this.story = undefined;
    }
    const story = this.story;
    if (story === undefined) this.startStory(line);
    else if (this.startsNewStory(line.text, story, next)) this.newStory(line.no, line.text);
    else this.addParagraph(story, line.text);
  }

  /** The first text of a section is its title, unless it opens with a dateline or is a paragraph. */
  private startStory(line: Line & { text: string }): void {
    const isTitle = !DATELINE.test(line.text) && wordCount(line.text) <= PAGE_TITLE_MAX_WORDS;
    const story = this.newStory(line.no, isTitle ? line.text : undefined);
    if (!isTitle) this.addParagraph(story, line.text);
  }

  private newStory(line: number, title: string | undefined): Story {
    const story: Story = { title, line, body: [], opened: false, related: [], section: this.section };
    this.section.stories.push(story);
    this.story = story;
    return story;
  }

  private addParagraph(story: Story, text: string): void {
    let paragraph = text;
    if (!story.opened) {
      story.opened = true;
      const dateline = splitDateline(text);
      if (dateline) {
        story.place = dateline.place;
        story.agency = dateline.agency;
        paragraph = dateline.rest;
      }
    }
    if (paragraph !== '') story.body.push(paragraph);
  }

  private addRelated(title: string): void {
    this.story?.related.push(title);
    this.related.push(title);
  }

  /**
   * A second story starts at a headline: a short line without sentence punctuation, right after
   * a finished sentence of the current story and followed by a much longer paragraph.
   */
  private startsNewStory(text: string, story: Story, next: Line | undefined): boolean {
    const words = wordCount(text);
    const previous = this.previous?.kind === 'text' ? story.body.at(-1) : undefined;
    return (
      previous !== undefined &&
      SENTENCE_END.test(previous) &&
      words >= HEADLINE_MIN_WORDS &&
      words <= HEADLINE_MAX_WORDS &&
      !SENTENCE_PUNCTUATION.test(text) &&
      !/[:"'”’»]$/.test(text) &&
      !CONTINUATION_OPENERS.has(text.split(' ')[0] ?? '') &&
      next?.kind === 'text' &&
      wordCount(next.text) >= Math.max(2 * words, HEADLINE_MAX_WORDS)
    );
  }

  /**
   * A story needs text. A main story without any is a broken page; a "read also" title without
   * text is only a link to another page, so it is kept as a related title of the main story.
   */
  private hasText(story: Story): boolean {
    if (story.body.length > 0) return true;
    if (story.section.main || story.title === undefined) {
      const line = story.line;
      throw new BahthError('INPUT_INVALID', `${this.file}:${line}: a story with no text`, { file: this.file, line });
    }
    this.related.push(story.title);
    return false;
  }

  private toArticle(story: Story, isMain: boolean, id: string): Article {
    const { section } = story;
    const title = story.title ?? deriveTitle(story.body[0] ?? '');
    // A JSONL row needs a title too: a page whose first line is only a dateline and punctuation has none.
    if (!title.trim() || !/[\p{L}\p{N}]/u.test(title)) throw new BahthError('INPUT_INVALID', `${this.file}:${story.line}: a story with no title (nothing but a dateline or punctuation to take one from)`, { file: this.file, line: story.line });
    // The page's date and credit describe the page's own stories. A "read also" story is a
    // teaser of another page written at another time: seed 001 is dated 10 December 2023, its
    // "read also" story reports a visit "from 31 March to 2 April" three years into the war.
    const date = section.main ? this.date : undefined;
    const credits = section.main ? this.credits : [];
    const related = distinct(isMain ? [...story.related, ...this.related] : story.related);
    return {
      id,
      title,
      body: story.body,
      ...(date === undefined ? {} : { date }),
      sources: distinct([...(story.agency ? [story.agency] : []), ...section.sources, ...credits]),
      ...(story.place === undefined ? {} : { place: story.place }),
      tags: distinct(section.tags),
      // A story is not related to itself (seed 004 lists its "read also" story among them).
      related: related.filter((r) => r !== title),
      origin: this.file,
    };
  }
}

function splitDateline(text: string): { place: string; agency: string; rest: string } | undefined {
  const m = DATELINE.exec(text);
  const agency = (m?.[2] ?? m?.[3])?.trim();
  if (!m || !m[1] || !agency) return undefined;
  return { place: m[1], agency, rest: text.slice(m[0].length).trim() };
}

/**
 * A title for a story that has none: its first sentence when that is short, else its opening
 * cut at the last clause break (a comma, or a word opening with the conjunction و) that leaves
 * 6–15 words, else its first 12 words.
 */
function deriveTitle(paragraph: string): string {
  const words = paragraph.split(' ');
  const sentenceEnd = words.findIndex((w) => SENTENCE_END.test(w));
  if (sentenceEnd >= 0 && sentenceEnd < DERIVED_TITLE_MAX_WORDS) return trimTitle(words.slice(0, sentenceEnd + 1));
  for (let n = DERIVED_TITLE_MAX_WORDS; n >= DERIVED_TITLE_MIN_WORDS; n--) {
    const breaksAfter = /[،,:;]$/.test(words[n - 1] ?? '') || (words[n]?.startsWith('و') ?? false);
    if (n < words.length && breaksAfter) return trimTitle(words.slice(0, n));
  }
  return trimTitle(words.slice(0, DERIVED_TITLE_FALLBACK_WORDS));
}

function trimTitle(words: string[]): string {
  return words.join(' ').replace(/[\s،,:;.!?؟…–—-]+$/, '');
}

/** "seeds/000_bd41f4d4b492a657.txt" → "000-bd41f4d4b492a657": URL-safe, stable across runs. */
function idStem(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  const stem = name.replace(/\.txt$/i, '');
  const safe = stem.replace(/[^A-Za-z0-9.~-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 100);
  // Names in Arabic script would lose most of their letters: a hash keeps them apart.
  const lossy = /[^A-Za-z0-9._~ -]/.test(stem);
  return lossy || safe === '' ? [safe, fnv1a(stem)].filter(Boolean).join('-') : safe;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function wordCount(text: string): number {
  return text.split(' ').length;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}
