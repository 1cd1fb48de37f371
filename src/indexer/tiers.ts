/**
 * Big terms in two tiers, so that a query reads the postings that can matter first. Tier A
 * keeps every title posting, the body postings of the docs whose title has the term, and the
 * body postings that can score well (the term said twice or more, or in a short body); tier B,
 * a key of its own, the other body postings of one occurrence in a body of at least a given
 * length. Every posting of tier B scores at most what the pair (one occurrence, that length)
 * does, so a reader that has read tier A knows how much tier B could add to any doc, and reads
 * it only when that could change the page (docs/architecture.md, "Tiers"). A doc's postings
 * are in one tier or the other, never both; and a doc tier A has by its title is complete there
 * (`TierRest.titled`): the docs a page is made of mostly have the word in their titles, and
 * before 2026-12-05, when their body postings could still be in tier B, each such doc could
 * take a tier B posting at its ceiling, and the bound never let a query stop.
 */
import { decodePostings, encodePostings, LENGTH_CODES, TF_UNIT, type FieldPostings } from '../core/format/codec';
import { encodeFixed, readFixed, type TermEntry, type TierRest } from '../core/format/layout';

/** Tier B must hold at least this share of a term's body postings to be worth a key. */
const MIN_REST_SHARE = 0.3;
/** ... and tier A keeps at most this share of them (the rest: the longest bodies). */
const HEAD_SHARE = 0.25;

/** A big term's entry split: tier A (with what tier B holds, when there is one) and tier B. */
export function splitTiers(entry: TermEntry, attributeWidth: number): { head: TermEntry; rest?: TermEntry } {
  const [df, title, body, attributes, titleWords, spellings, inUse] = entry;
  if (!body) return { head: entry };
  const t = title ? decodePostings(title) : undefined;
  const titleCount = t?.codes.length ?? 0;
  const titled = new Set<number>();
  for (const slot of t?.slots ?? []) for (const doc of slot ?? []) titled.add(doc);
  const b = decodePostings(body);
  // Single occurrences in bodies whose title lacks the term, by length code: the longest go to tier B.
  const single: number[] = [];
  let k0 = 0;
  for (const slot of b.slots) {
    for (const doc of slot ?? []) {
      const code = b.codes[k0++]!;
      if (Math.floor(code / LENGTH_CODES) === TF_UNIT && !titled.has(doc)) single.push(code % LENGTH_CODES);
    }
  }
  if (single.length < MIN_REST_SHARE * b.codes.length) return { head: entry };
  single.sort((x, y) => x - y);
  // The shortest length in tier B: as many single occurrences as leave tier A its share.
  const keepHead = Math.max(0, Math.ceil(HEAD_SHARE * b.codes.length) - (b.codes.length - single.length));
  const minLength = single[Math.min(single.length - 1, keepHead)]!;
  const inRest = (code: number, doc: number) => Math.floor(code / LENGTH_CODES) === TF_UNIT && code % LENGTH_CODES >= minLength && !titled.has(doc);
  const head: FieldPostings = { slots: [], codes: new Uint16Array(0) };
  const rest: FieldPostings = { slots: [], codes: new Uint16Array(0) };
  const headCodes: number[] = [];
  const restCodes: number[] = [];
  const headAttrs: number[] = [];
  const restAttrs: number[] = [];
  let k = 0;
  b.slots.forEach((slot, s) => {
    head.slots[s] = [];
    rest.slots[s] = [];
    for (const doc of slot) {
      const code = b.codes[k]!;
      const attr = readFixed(attributes, titleCount + k, attributeWidth);
      k++;
      if (inRest(code, doc)) {
        rest.slots[s]!.push(doc);
        restCodes.push(code);
        restAttrs.push(attr);
      } else {
        head.slots[s]!.push(doc);
        headCodes.push(code);
        headAttrs.push(attr);
      }
    }
  });
  if (restCodes.length < MIN_REST_SHARE * b.codes.length) return { head: entry };
  head.codes = Uint16Array.from(headCodes);
  rest.codes = Uint16Array.from(restCodes);
  const titleAttrs = attributes.slice(0, titleCount * attributeWidth);
  const tier: TierRest = { postings: restCodes.length, length: minLength, titled: true };
  const headEntry: TermEntry = [df, title, headCodes.length ? encodePostings(head) : '', titleAttrs + encodeFixed(headAttrs, attributeWidth), titleWords, spellings ?? '', inUse ?? 0, tier];
  const restEntry: TermEntry = [0, '', encodePostings(rest), encodeFixed(restAttrs, attributeWidth), ''];
  return { head: headEntry, rest: restEntry };
}
