/**
 * Atom feeds (RFC 4287) of a search and of a listing (`format=atom` on `/search` and
 * `/articles`): a reader's feed reader, or a newsroom's alert, follows what the archive publishes
 * on a subject. Every value is escaped as XML text; control characters XML cannot hold are
 * dropped.
 */

/** One entry: an article as a feed shows it. */
export interface FeedEntry {
  id: string;
  title: string;
  /** Where it opens: its source page, else its page on this Worker (absolute). */
  link: string;
  /** ISO date; the feed's own when the article has none. */
  updated?: string;
  summary: string;
  source?: string;
  category?: string;
}

export interface Feed {
  title: string;
  /** This feed's own URL (absolute). */
  self: string;
  /** The same as a page (absolute). */
  alternate?: string;
  /** The archive's last publish: the feed's `updated`, and an undated entry's. */
  updated: string;
  entries: FeedEntry[];
}

/** Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML character data or an attribute value. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An ISO date as Atom wants it (RFC 3339, UTC), or undefined for none or a malformed one. */
function atomDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The feed as Atom XML. */
export function atomFeed(f: Feed): string {
  const updated = atomDate(f.updated) ?? new Date(0).toISOString();
  const entries = f.entries.map((e) => `<entry>
<id>${xmlText(e.id)}</id>
<title>${xmlText(e.title)}</title>
<link rel="alternate" href="${xmlText(e.link)}"/>
<updated>${atomDate(e.updated) ?? updated}</updated>
${e.source ? `<author><name>${xmlText(e.source)}</name></author>\n` : ''}${e.category ? `<category term="${xmlText(e.category)}"/>\n` : ''}<summary>${xmlText(e.summary)}</summary>
</entry>
`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
<id>${xmlText(f.self)}</id>
<title>${xmlText(f.title)}</title>
<link rel="self" type="application/atom+xml" href="${xmlText(f.self)}"/>
${f.alternate ? `<link rel="alternate" type="text/html" href="${xmlText(f.alternate)}"/>\n` : ''}<updated>${updated}</updated>
<author><name>بحث</name></author>
<generator>bahth</generator>
${entries}</feed>
`;
}

/** An article's link for a feed: its source page when it has an http(s) one, else its page here. */
export function entryLink(origin: string, id: string, url: string | undefined): string {
  if (url) {
    try {
      const u = new URL(url);
      if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
    } catch {
      // not a URL: its page here
    }
  }
  return `${origin}/articles/${encodeURIComponent(id)}`;
}
