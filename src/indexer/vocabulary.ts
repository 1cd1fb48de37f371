/**
 * Completions for search-as-you-type: the words of titles and tags, by normalized form, with
 * the spelling readers see most often (hamza and all) and how many titles use them. Grouped by
 * their first two normalized letters, one KV key per group, so a keystroke reads one small value.
 */
import { isStop, stem, tokenize } from '../core/analyzer/index';
import { BEFORE_KEPT, beforePairs, beforeText, type SuggestEntry } from '../core/format/layout';

/** Completions kept per prefix key. */
const PER_PREFIX = 400;
/** A crowded group is split by one more letter, down to prefixes of this length. */
const MAX_SPLIT_PREFIX = 6;

interface WordStats {
  count: number;
  spellings: Map<string, number>;
  /** Titles (net) that put a content word right before it, by that word's stem. */
  before?: Map<string, number>;
}

export class Vocabulary {
  private readonly words = new Map<string, WordStats>();

  /** Counts the words of one title (each word once per title). */
  addTitle(text: string): void {
    this.count(text, 1);
  }

  /**
   * Uncounts the words of a title that a publish removes (a delta's counts are net: negative
   * for a word only removed; a reader sums them over the segments).
   */
  removeTitle(text: string): void {
    this.count(text, -1);
  }

  /** Adds the counts of another vocabulary's groups (a merge of segments). */
  addEntries(entries: Iterable<SuggestEntry>): void {
    for (const [norm, display, count, before] of entries) {
      const w = this.stats(norm);
      w.count += count;
      w.spellings.set(display, (w.spellings.get(display) ?? 0) + count);
      for (const [b, n] of beforePairs(before)) addTo((w.before ??= new Map()), b, n);
    }
  }

  private stats(norm: string): WordStats {
    let w = this.words.get(norm);
    if (!w) this.words.set(norm, (w = { count: 0, spellings: new Map() }));
    return w;
  }

  /**
   * Counts the words of a title and its tags (a line each: titleText), each once, and each word's
   * content word right before it on its line (stop words between them skipped: «قتلى في غارات»
   * puts قتلى before غارات), each pair once.
   */
  private count(text: string, sign: 1 | -1): void {
    const seen = new Set<string>();
    const paired = new Set<string>();
    let previous: string | undefined;
    let end = 0;
    for (const t of tokenize(text)) {
      if (t.norm.length < 2 || isStop(t.norm)) continue;
      const before = text.slice(end, t.start).includes('\n') ? undefined : previous;
      // A number completes (كأس العالم 201 → 2018: years are much of what news titles number),
      // but is no word before another: it stands for nothing the next word goes with (suggest.ts).
      if (!/^\d+$/.test(t.norm)) {
        previous = stem(t.norm);
        end = t.end;
      }
      const w = this.stats(t.norm);
      if (before !== undefined && !paired.has(`${before} ${t.norm}`)) {
        paired.add(`${before} ${t.norm}`);
        addTo((w.before ??= new Map()), before, sign);
      }
      if (seen.has(t.norm)) continue;
      seen.add(t.norm);
      w.count += sign;
      // The display form: as written, without harakat and tatweel (they vary per writer).
      const spelling = text.slice(t.start, t.end).replace(/[\u0640\u064b-\u065f\u0670]/g, '');
      w.spellings.set(spelling, (w.spellings.get(spelling) ?? 0) + sign);
    }
  }

  /**
   * Groups of completions for a split segment: by two-letter prefix, each its `perPrefix` most
   * used; a group with more words than that (ال: most nouns; وا, با, لل) is also split by one
   * more letter (الك, الن …), and so on, so that a word typed a few letters further is found
   * however crowded its first two letters are. `split` lists the prefixes split so: a reader
   * reads the key of the longest of them the typed word starts with, plus a letter.
   */
  splitGroups(perPrefix = PER_PREFIX): { groups: [prefix: string, entries: SuggestEntry[]][]; split: string[] } {
    const groups: [string, SuggestEntry[]][] = [];
    const split: string[] = [];
    const place = (prefix: string, entries: SuggestEntry[]) => {
      groups.push([prefix, entries.slice(0, perPrefix)]);
      if (entries.length <= perPrefix || prefix.length >= MAX_SPLIT_PREFIX) return;
      split.push(prefix);
      const next = new Map<string, SuggestEntry[]>();
      for (const e of entries) {
        if (e[0].length <= prefix.length) continue; // typed whole, it is in this group's head
        const key = e[0].slice(0, prefix.length + 1);
        const list = next.get(key);
        if (list) list.push(e);
        else next.set(key, [e]);
      }
      for (const [key, list] of [...next].sort(([a], [b]) => (a < b ? -1 : 1))) place(key, list);
    };
    for (const [prefix, entries] of this.groups(Infinity)) place(prefix, entries);
    return { groups, split: split.sort() };
  }

  /** Groups of completions by two-letter prefix, most used first (net counts: words counted 0 are left out). */
  *groups(perPrefix = PER_PREFIX): Generator<[prefix: string, entries: SuggestEntry[]]> {
    const byPrefix = new Map<string, SuggestEntry[]>();
    for (const [norm, w] of this.words) {
      if (w.count === 0) continue;
      const prefix = norm.slice(0, 2);
      const display = [...w.spellings.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
      const list = byPrefix.get(prefix);
      const before = beforeList(w.before);
      const entry: SuggestEntry = before.length ? [norm, display, w.count, beforeText(before)] : [norm, display, w.count];
      if (list) list.push(entry);
      else byPrefix.set(prefix, [entry]);
    }
    for (const [prefix, list] of byPrefix) {
      list.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
      yield [prefix, list.slice(0, perPrefix)];
    }
  }
}

function addTo(m: Map<string, number>, key: string, n: number): void {
  const v = (m.get(key) ?? 0) + n;
  if (v === 0) m.delete(key);
  else m.set(key, v);
}

/**
 * The words before a completion its entry keeps: the {@link BEFORE_KEPT} put before it most often
 * (net counts; a delta's removed titles count below zero, and are kept so that a reader's sum
 * over the segments is right), most first.
 */
function beforeList(before: Map<string, number> | undefined): [string, number][] {
  if (!before?.size) return [];
  return [...before].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, BEFORE_KEPT);
}
