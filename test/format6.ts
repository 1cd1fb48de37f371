/**
 * How archives of format 6 (built before 2026-12-04) wrote their values, for the tests that show
 * they are still read: posting codes as they are (format 7 packs them, codec.ts), and values
 * sealed with FNV-1a over UTF-16 code units (`hex:text`; format 7 sums the UTF-8 bytes, `hex;text`).
 */
import { decodePostings, VarintWriter, type FieldPostings } from '../src/core/format/codec';
import { decodeShard, encodeShard, fnv1a, unsealValue } from '../src/core/format/layout';
import type { ArchiveManifest } from '../src/core/format/manifest';

/** A posting list as format 6 wrote it: slot count, filled slots, then per slot its gap, length and (doc delta, code) pairs. */
export function encodePostingsV6(p: FieldPostings): string {
  const w = new VarintWriter();
  w.write(p.slots.length);
  w.write(p.slots.filter((s) => s && s.length > 0).length);
  let k = 0;
  let last = -1;
  p.slots.forEach((slot, s) => {
    if (!slot || slot.length === 0) return;
    w.write(s - last - 1);
    last = s;
    w.write(slot.length);
    let prev = -1;
    for (const doc of slot) {
      w.write(doc - prev - 1);
      w.write(p.codes[k++]!);
      prev = doc;
    }
  });
  return w.toString();
}

/** A value sealed as format 6 sealed it. */
export function sealV6(text: string): string {
  return `${fnv1a(text)}:${text}`;
}

/**
 * An archive's values as format 6 would hold them: every posting list of every term shard and big
 * term written the old way, every value sealed the old way, the manifest saying format 6.
 */
export function asFormat6(values: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of values) {
    let text = unsealValue(value)!;
    if (/^s\/[^/]+\/(t|b)\//.test(key)) {
      const shard = decodeShard(text);
      for (const entry of Object.values(shard)) {
        if (entry[1]) entry[1] = encodePostingsV6(decodePostings(entry[1]));
        if (entry[2]) entry[2] = encodePostingsV6(decodePostings(entry[2]));
      }
      text = encodeShard(shard);
    } else if (key === 'manifest' || key.startsWith('m/')) {
      text = JSON.stringify({ ...(JSON.parse(text) as ArchiveManifest), format: 6, checksum: 'fnv1a32' });
    }
    out.set(key, sealV6(text));
  }
  return out;
}
