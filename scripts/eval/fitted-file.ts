/** Writes src/core/search/fitted.ts: the fitted parameters, as data the search core imports. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { FITTED } from '../../src/core/search/fitted';

export const FITTED_FILE = new URL('../../src/core/search/fitted.ts', import.meta.url);

type Fitted = typeof FITTED;

/** The parameters fitted.ts holds now (read from the file: another fit may have written it since this process started). */
export function readFitted(): Fitted {
  const text = readFileSync(FITTED_FILE, 'utf8');
  return JSON.parse(text.slice(text.indexOf('= {') + 2, text.lastIndexOf('}') + 1)) as Fitted;
}

/** How a part of fitted.ts says it was fitted, as the file has it now ('' if it says nothing). */
export function fittedNote(k: keyof Fitted): string {
  return readFileSync(FITTED_FILE, 'utf8').match(new RegExp(` \\* - \`${k}\`: (.*)`))?.[1] ?? '';
}

/** Rewrites fitted.ts with `next` over the current values; `notes` say how each part was fitted. */
export function writeFitted(next: Partial<Fitted>, notes: Partial<Record<keyof Fitted, string>>): void {
  const all = { ...readFitted(), ...next };
  const note = (k: keyof Fitted) => notes[k] ?? fittedNote(k);
  writeFileSync(FITTED_FILE, `/**
 * Fitted parameters, written by \`npm run eval -- --fit\` / \`--fit-ranking\` / \`--fit-did-you-mean\` / \`--fit-prefix\` (scripts/eval/fit-*.ts):
 * do not edit by hand.
 * - \`spelling\`: ${note('spelling')}
 * - \`ranking\`: ${note('ranking')}
 * - \`display\`: ${note('display')}
 * - \`prefix\`: ${note('prefix')}
 */
import type { PrefixRanking, RankingOptions } from './options';
import type { SpellModel } from './spell-model';

export const FITTED: { spelling: SpellModel; ranking: Partial<RankingOptions>; display: { didYouMeanMargin: number | null }; prefix?: PrefixRanking } = ${compact(JSON.stringify(all, null, 2))};
`);
}

/** JSON with every array of numbers on one line (the head model's trees: a line a tree). */
function compact(json: string): string {
  return json.replace(/\[\s*(-?[0-9][-+.0-9e]*(?:,\s*-?[0-9][-+.0-9e]*)*)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(',')}]`);
}
