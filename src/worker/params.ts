/**
 * Validation of query parameters: each helper returns the value or throws a BAD_PARAMETER
 * error naming the parameter, so handlers read as a list of what they accept.
 */
import { BahthError } from '../core/errors';
import type { ParamSpec } from './api-schema';

export type ParamValue = string | number | boolean | string[] | undefined;

/**
 * Reads the query parameters an endpoint declares (api-schema.ts), each validated against its
 * spec; a missing or over-long `q` gets its own error codes.
 */
export function readParams(url: URL, specs: readonly ParamSpec[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of specs) {
    if (p.in !== 'query') continue;
    const fallback = p.default;
    switch (p.type) {
      case 'integer':
        out[p.name] = integer(url, p.name, Number(fallback ?? 0), p.minimum ?? 0, p.maximum ?? Number.MAX_SAFE_INTEGER);
        break;
      case 'number':
        out[p.name] = decimal(url, p.name, Number(fallback ?? 0), p.minimum ?? 0, p.maximum ?? Number.MAX_VALUE);
        break;
      case 'boolean':
        out[p.name] = flag(url, p.name, Boolean(fallback));
        break;
      case 'date':
        out[p.name] = date(url, p.name);
        break;
      case 'list':
        out[p.name] = list(url, p.name, p.maxItems ?? 20, p.maxLength ?? 100);
        break;
      case 'string':
        out[p.name] = p.enum ? oneOf(url, p.name, p.enum, String(fallback)) : text(url, p);
        break;
    }
  }
  return out;
}

/**
 * The request's URL with only the query parameters the endpoint declares: what its answer
 * depends on, and so what its ETag and edge-cache key are made of. A parameter the endpoint
 * does not read (`utm_source`, a cache-buster) is ignored, and does not make a new cache entry.
 */
export function canonical(url: URL, specs: readonly ParamSpec[]): URL {
  const known = new Set(specs.filter((p) => p.in === 'query').map((p) => p.name));
  const out = new URL(url.href);
  out.search = '';
  for (const [name, value] of url.searchParams) if (known.has(name)) out.searchParams.append(name, value);
  return out;
}

/** A free-text parameter; for `q`, absence and excess length have their own codes. */
function text(url: URL, p: ParamSpec): string | undefined {
  const raw = single(url, p.name);
  const value = p.name === 'q' ? raw : raw?.trim();
  if (p.required && !value?.trim()) {
    throw new BahthError('QUERY_MISSING', `${p.name}: required${p.example ? `, e.g. ?${p.name}=${p.example}` : ''}`, { parameter: p.name });
  }
  if (value !== undefined) typedText(p.name, value);
  // Counted as searched: spaces around the words are not part of the query.
  const length = value === undefined ? 0 : characters(value.trim());
  if (p.maxLength !== undefined && length > p.maxLength) {
    throw new BahthError(p.name === 'q' ? 'QUERY_TOO_LONG' : 'BAD_PARAMETER', `${p.name}: at most ${p.maxLength} characters, got ${length}`, { parameter: p.name, maxLength: p.maxLength });
  }
  return value;
}

/** Half of a UTF-16 pair alone (JSON may write one: "\ud800"): no character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses text no one typed: bytes that were not UTF-8 (the URL parser decodes them as U+FFFD,
 * `%FF`) and control characters other than tab and line breaks (`%00`).
 */
export function typedText(name: string, value: string): void {
  if (value.includes('\uFFFD') || LONE_SURROGATE.test(value)) bad(name, 'is not UTF-8 text (percent-encoded bytes such as %FF that are not UTF-8)');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)) bad(name, 'holds a control character (such as %00)');
}

/**
 * Characters as JSON Schema's maxLength counts them (code points), not UTF-16 units: an emoji
 * is one character, as it is to the person who typed it.
 */
export function characters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The `from` and `to` dates of read parameters, `from` not after `to` (a 400 naming `from` otherwise). */
export function dateBounds(p: Record<string, ParamValue>): { from?: string; to?: string } {
  const from = p.from as string | undefined;
  const to = p.to as string | undefined;
  if (from && to && from > to) bad('from', `${from} is after to=${to}`);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export function bad(parameter: string, message: string): never {
  throw new BahthError('BAD_PARAMETER', `${parameter}: ${message}`, { parameter });
}

/** One value of a parameter; repeating a single-valued parameter is an error. */
export function single(url: URL, name: string): string | undefined {
  const all = url.searchParams.getAll(name);
  if (all.length > 1) bad(name, 'given more than once');
  return all[0];
}

/** An integer within [min, max], or the default when absent. */
export function integer(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = single(url, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw)) bad(name, `must be a whole number from ${min} to ${max}, not "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < min || n > max) bad(name, `must be from ${min} to ${max}, not ${n}`);
  return n;
}

/** A number within [min, max], or the default. */
export function decimal(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = single(url, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  // `0.5`, `.5` and `1.` as JSON Schema's number reads them; no sign, exponent or hex.
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw) || n < min || n > max) bad(name, `must be a number from ${min} to ${max}, not "${raw.slice(0, 40)}"`);
  return n;
}

/** One of a fixed set of words, or the default. */
export function oneOf<T extends string>(url: URL, name: string, values: readonly T[], fallback: T): T {
  const raw = single(url, name);
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) bad(name, `must be one of ${values.join(', ')}, not "${raw.slice(0, 40)}"`);
  return raw as T;
}

/** A true/false flag (`true`, `false`, `1`, `0`), or the default. */
export function flag(url: URL, name: string, fallback: boolean): boolean {
  const raw = single(url, name);
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return bad(name, `must be true or false, not "${raw.slice(0, 40)}"`);
}

/**
 * A list: repeated parameters and comma-separated values both count; at most `max` values. A
 * value with a comma of its own is given in double quotes (`source="Reuters, Inc.",AFP`); a
 * quote inside quotes is doubled.
 */
export function list(url: URL, name: string, max: number, maxLength = 100): string[] | undefined {
  const values = url.searchParams.getAll(name).flatMap((v) => splitList(name, v)).filter(Boolean);
  if (values.length === 0) return undefined;
  if (values.length > max) bad(name, `at most ${max} values`);
  for (const v of values) {
    typedText(name, v);
    if (characters(v) > maxLength) bad(name, `a value is longer than ${maxLength} characters`);
  }
  return values;
}

/**
 * One parameter's comma-separated values, trimmed; a value that starts with a double quote runs
 * to its closing quote, commas and all (a quote inside doubled). A quote elsewhere is a letter
 * of the value (`Reuters "Arabic"`), as before quoting was read.
 */
function splitList(name: string, raw: string): string[] {
  if (!raw.includes('"')) return raw.split(',').map((v) => v.trim());
  const out: string[] = [];
  const blank = /\s/;
  let i = 0;
  while (i <= raw.length) {
    while (i < raw.length && blank.test(raw[i]!)) i++;
    if (raw[i] !== '"') {
      const comma = raw.indexOf(',', i);
      const end = comma < 0 ? raw.length : comma;
      out.push(raw.slice(i, end).trim());
      i = end + 1;
      continue;
    }
    let value = '';
    let j = i + 1;
    for (;;) {
      const q = raw.indexOf('"', j);
      if (q < 0) bad(name, `a quoted value has no closing quote: ${raw.slice(i, i + 40)}`);
      value += raw.slice(j, q);
      if (raw[q + 1] === '"') {
        value += '"';
        j = q + 2;
        continue;
      }
      j = q + 1;
      break;
    }
    while (j < raw.length && blank.test(raw[j]!)) j++;
    if (j < raw.length && raw[j] !== ',') bad(name, `a quoted value must be followed by a comma or the end, not "${raw.slice(j, j + 20)}"`);
    if (!value.trim()) bad(name, 'a quoted value is empty');
    out.push(value.trim());
    i = j + 1;
  }
  return out;
}

/** A calendar date `YYYY-MM-DD`, or undefined. */
export function date(url: URL, name: string): string | undefined {
  const raw = single(url, name);
  if (raw === undefined || raw === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== raw) bad(name, `must be a date YYYY-MM-DD, not "${raw.slice(0, 40)}"`);
  return raw;
}
