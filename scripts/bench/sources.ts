/**
 * Value sources for the benchmarks: the whole KV asset in a Map (corpus), or byte ranges of the
 * bulk files read on demand (the million-article archive, too big for a Map), and a wrapper
 * that counts what each kind of key costs.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildManifest } from '../../src/indexer/build-index';
import { utf8Length, type ValueSource } from '../../src/core/search/source';

interface BulkEntry {
  key: string;
  value: string;
}

export function readManifest(dist: string): BuildManifest {
  return JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as BuildManifest;
}

/** Every KV entry of a built index (all parts and the switch) in a Map. */
export function loadEntries(dist: string): Map<string, string> {
  const manifest = readManifest(dist);
  const out = new Map<string, string>();
  for (const file of [...manifest.parts.map((p) => p.file), manifest.switch.file]) {
    for (const e of JSON.parse(readFileSync(join(dist, file), 'utf8')) as BulkEntry[]) out.set(e.key, e.value);
  }
  return out;
}

/** What kind of value a key holds (for the cold-bytes breakdown). */
export type KeyKind = 'manifest' | 'meta' | 'terms' | 'big' | 'doc' | 'article' | 'lex' | 'cards' | 'other';
export const KEY_KINDS: KeyKind[] = ['manifest', 'meta', 'terms', 'big', 'doc', 'lex', 'cards', 'article', 'other'];

export function keyKind(key: string): KeyKind {
  if (key === 'manifest') return 'manifest';
  if (key.startsWith('a/')) return 'doc';
  const m = /^s\/[^/]+\/([a-z]+)/.exec(key);
  switch (m?.[1]) {
    case 't': return 'terms';
    case 'b': return 'big';
    case 'i': return 'article';
    case 'x': return 'lex';
    case 'c': return 'cards';
    default: return 'other';
  }
}

export interface KindTally {
  keys: number;
  bytes: number;
}

/** Wraps a source and tallies keys and bytes by kind of key; adds no latency. */
export class CountingSource implements ValueSource {
  tally = new Map<KeyKind, KindTally>();
  constructor(private readonly inner: ValueSource) {}

  reset(): Map<KeyKind, KindTally> {
    const t = this.tally;
    this.tally = new Map();
    return t;
  }

  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    const values = await this.inner.getMany(keys);
    for (const [k, v] of values) {
      const kind = keyKind(k);
      const t = this.tally.get(kind) ?? { keys: 0, bytes: 0 };
      t.keys++;
      t.bytes += v === null ? 0 : utf8Length(v);
      this.tally.set(kind, t);
    }
    return values;
  }
}

/** Where a value sits in a bulk file: file number, byte offset and length of its line. */
type Range = [file: number, offset: number, length: number];

const KEY_START = Buffer.from('{"key":"');
const KEY_END = Buffer.from('","value":"');

/**
 * Reads values straight from the bulk files: one scan records the byte range of every wanted
 * key's line; a read then takes that range and parses the one line. Memory is the key table only.
 */
export class BulkFileSource implements ValueSource {
  private readonly ranges = new Map<string, Range>();
  /** The switch file (small, pretty-printed): held whole. */
  private readonly inline = new Map<string, string>();
  private readonly fds: number[] = [];

  constructor(dist: string, keep: (key: string) => boolean) {
    const manifest = readManifest(dist);
    manifest.parts.forEach((part, i) => {
      const path = join(dist, part.file);
      this.fds.push(openSync(path, 'r'));
      this.scan(readFileSync(path), i, keep);
    });
    for (const e of JSON.parse(readFileSync(join(dist, manifest.switch.file), 'utf8')) as BulkEntry[]) this.inline.set(e.key, e.value);
  }

  get size(): number {
    return this.ranges.size + this.inline.size;
  }

  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    return new Map(keys.map((k) => [k, this.read(k)]));
  }

  close(): void {
    for (const fd of this.fds) closeSync(fd);
  }

  private read(key: string): string | null {
    const held = this.inline.get(key);
    if (held !== undefined) return held;
    const r = this.ranges.get(key);
    if (!r) return null;
    const buf = Buffer.allocUnsafe(r[2]);
    readSync(this.fds[r[0]]!, buf, 0, r[2], r[1]);
    return (JSON.parse(buf.toString('utf8')) as BulkEntry).value;
  }

  /** Lines are `[`, `{"key":…,"value":…},`, …, `{…}`, `]` (see src/indexer/bulk-writer.ts). */
  private scan(buf: Buffer, file: number, keep: (key: string) => boolean): void {
    let pos = 0;
    while (pos < buf.length) {
      let end = buf.indexOf(10, pos);
      if (end < 0) end = buf.length;
      if (buf[pos] === 0x7b && buf.subarray(pos, pos + KEY_START.length).equals(KEY_START)) {
        const keyEnd = buf.indexOf(KEY_END, pos);
        const key = JSON.parse(`"${buf.toString('utf8', pos + KEY_START.length, keyEnd)}"`) as string;
        let last = end;
        while (last > pos && buf[last - 1] !== 0x7d) last--; // drop the trailing comma
        if (keep(key)) this.ranges.set(key, [file, pos, last - pos]);
      }
      pos = end + 1;
    }
  }
}
