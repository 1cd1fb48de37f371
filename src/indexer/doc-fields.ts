/**
 * What the index keeps of an article besides its postings: its card, its filter terms and the
 * text its completions come from. Runtime-neutral (the build and a publish share it).
 */
import { normalize } from '../core/analyzer/index';
import type { Article } from '../core/article';
import { filterTerm, type Card } from '../core/format/layout';

/** Characters of a card's lead. */
const LEAD_CHARS = 220;

/** What a list of articles shows of one. */
export function toCard(a: Article): Card {
  const text = a.body.join(' ');
  let lead = text.slice(0, LEAD_CHARS);
  if (text.length > LEAD_CHARS) lead = `${lead.slice(0, Math.max(lead.lastIndexOf(' '), LEAD_CHARS / 2))}…`;
  return { id: a.id, title: a.title, ...(a.date ? { date: a.date } : {}), sources: a.sources, ...(a.category ? { category: a.category } : {}), lead };
}

/** A doc's tags as filter terms (too short a tag is no filter). */
export function tagTerms(tags: string[]): string[] {
  return tags.map((t) => filterTerm.tag(normalize(t))).filter((t) => t.length > 5);
}

/** The text of a doc whose words complete a query: its title and tags. */
export function titleText(a: Article): string {
  return [a.title, ...a.tags].join('\n');
}

