/**
 * JSON read with the line of every value, so a file an editor wrote can be checked with
 * messages that say `rules.json:14: …` (JSON.parse says neither line nor where a member was).
 * Strict JSON (RFC 8259): no comments, no trailing commas.
 */

/** Where each object or array, and each member of an object, starts (1-based lines). */
export interface JsonLines {
  value: unknown;
  /** Line of an object or array. */
  lineOf(node: object): number;
  /** Line of an object's member (its key). */
  memberLine(node: object, key: string): number;
  /** Line where an array's element starts (a string or number has no line of its own otherwise). */
  elementLine(node: unknown[], index: number): number;
}

/** A syntax error, with its line and column (1-based). */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

/** Parses JSON text, keeping the lines of its values; throws JsonSyntaxError. */
export function parseJsonLines(text: string): JsonLines {
  const nodeLines = new WeakMap<object, number>();
  const members = new WeakMap<object, Map<string, number>>();
  const elements = new WeakMap<unknown[], number[]>();
  let at = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line, at - lineStart + 1);
  };
  const space = () => {
    for (; at < text.length; at++) {
      const c = text[at]!;
      if (c === '\n') {
        line++;
        lineStart = at + 1;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  };
  const expect = (c: string) => {
    if (text[at] !== c) fail(at >= text.length ? `unexpected end of the file, expected "${c}"` : `expected "${c}", found "${text[at]}"`);
    at++;
  };
  const string = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      if (at >= text.length) fail('a string is not closed');
      const c = text[at++]!;
      if (c === '"') return out;
      if (c === '\n') fail('a string runs past the end of its line');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[at++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at, at + 4))) {
        out += String.fromCharCode(parseInt(text.slice(at, at + 4), 16));
        at += 4;
      } else fail(`bad escape "\\${e ?? ''}" in a string`);
    }
  };
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === '{') {
      const node: Record<string, unknown> = {};
      const lines = new Map<string, number>();
      nodeLines.set(node, line);
      members.set(node, lines);
      at++;
      space();
      if (text[at] === '}') {
        at++;
        return node;
      }
      for (;;) {
        space();
        const keyLine = line;
        const key = string();
        if (lines.has(key)) fail(`"${key}" is given twice`);
        space();
        expect(':');
        node[key] = value();
        lines.set(key, keyLine);
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect('}');
        return node;
      }
    }
    if (c === '[') {
      const node: unknown[] = [];
      const lines: number[] = [];
      nodeLines.set(node, line);
      elements.set(node, lines);
      at++;
      space();
      if (text[at] === ']') {
        at++;
        return node;
      }
      for (;;) {
        space();
        lines.push(line);
        node.push(value());
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect(']');
        return node;
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 64));
    if (!literal) fail(at >= text.length ? 'unexpected end of the file' : `unexpected "${c}"`);
    at += literal![0].length;
    const word = literal![0];
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
  };

  if (text.charCodeAt(0) === 0xfeff) at = 1;
  const root = value();
  space();
  if (at < text.length) fail(`unexpected "${text[at]}" after the end of the JSON value`);
  return {
    value: root,
    lineOf: (node) => nodeLines.get(node) ?? 1,
    memberLine: (node, key) => members.get(node)?.get(key) ?? nodeLines.get(node) ?? 1,
    elementLine: (node, index) => elements.get(node)?.[index] ?? nodeLines.get(node) ?? 1,
  };
}
