/**
 * The Arabic PC keyboard (the layout Windows, macOS and Android ship as "Arabic (101)"): which
 * keys are neighbours, so that a slip onto the next key is priced as the likely typo it is.
 * Letters are compared normalized (أ إ آ → ا, ة → ه, ى ئ → ي, ؤ → و: see the analyzer), so a
 * folded letter stands for its key.
 */

/** Key rows, left to right (لا, one key, types ل), with each row's offset in key widths. */
const ROWS: readonly [string, number][] = [
  ['ضصثقفغعهخحجد', 0],
  ['شسيبلاتنمكط', 0.25],
  ['يءورليهوزظ', 0.75], // ئ ء ؤ ر لا ى ة و ز ظ, normalized
];

const neighbours = new Map<string, Set<string>>();
{
  const keys: { c: string; x: number; y: number }[] = [];
  ROWS.forEach(([row, offset], y) => [...row].forEach((c, i) => keys.push({ c, x: i + offset, y })));
  for (const a of keys) {
    for (const b of keys) {
      if (a.c === b.c) continue;
      const near = (a.y === b.y && Math.abs(a.x - b.x) <= 1) || (Math.abs(a.y - b.y) === 1 && Math.abs(a.x - b.x) <= 0.75);
      if (!near) continue;
      if (!neighbours.has(a.c)) neighbours.set(a.c, new Set());
      neighbours.get(a.c)!.add(b.c);
    }
  }
}

/** True when two (normalized) letters are on neighbouring keys. */
export function neighbouringKeys(a: string, b: string): boolean {
  return neighbours.get(a)?.has(b) ?? false;
}

/** The letters on keys next to a (normalized) letter's. */
export function keysNextTo(c: string): string[] {
  return [...(neighbours.get(c) ?? [])];
}
