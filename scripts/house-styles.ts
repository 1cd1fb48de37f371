/**
 * `npm run house-styles -- <archive files or folders>`: the words an archive's outlets spell
 * their own ways (ترامب and ترمب, أميركا and أمريكا), with the evidence, for an editor to put in
 * the synonyms file (docs/editor.md). Reads the archive as the build does; writes nothing unless
 * asked (`--out`).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BahthError } from '../src/core/errors';
import { readArticles } from '../src/indexer/ingest/index';
import { tokenize } from '../src/core/analyzer/index';
import { HOUSE_STYLE_DEFAULTS, HouseStyleFinder, type HouseStyleOptions, type HouseStylePair } from '../src/indexer/house-styles';
import { userPath } from './lib/user-path';

const HELP = `Usage: npm run house-styles -- [options] <file or folder>...

Finds words the archive's outlets spell their own ways (ترامب and ترمب, أميركا and أمريكا: one
long vowel apart), and foreign names written with ج or غ (سيرغي and سيرجي), with the evidence, for the synonyms file (docs/editor.md). Reads the
articles as npm run build:index does (JSONL, .jsonl.gz, pages; default: seeds/) and prints one
line a pair: the two forms, the articles each is in, the outlets that write each, and:
  split     of each form's articles, the share in outlets that write it 4 times in 5 of the
            two (the lesser share): outlets choose, where two different words are written
            by every outlet alike
  context   cosine of the words of the titles each form is in: said of the same things
  together  articles holding both, over the rarer form's
A pair passes when it has enough of each; names one ج/غ apart (marked "letters") pass on the
context alone. It is a suggestion: a name and another word can pass
(check the pair's titles before adding it).

Options:
      --min-articles <n>   articles each form must be in (default ${HOUSE_STYLE_DEFAULTS.minDf})
      --min-split <x>      least split, 0-1 (default ${HOUSE_STYLE_DEFAULTS.minSplit})
      --min-context <x>    least context cosine, 0-1 (default ${HOUSE_STYLE_DEFAULTS.minCosine})
      --max-together <x>   most together, 0-1 (default ${HOUSE_STYLE_DEFAULTS.maxTogether})
      --min-letter-context <x>  least context cosine of names one ج/غ apart, 0-1 (default ${HOUSE_STYLE_DEFAULTS.minLetterCosine})
      --min-letter-articles <n> articles the rarer of such names must be in (default ${HOUSE_STYLE_DEFAULTS.minLetterDf})
      --home-share <x>     an outlet is a form's home (its articles count for the split) when
                           this share of its articles with either form have that one, 0.5-1
                           (default ${HOUSE_STYLE_DEFAULTS.homeShare}: 4 in 5). Lower lists more pairs to pick
                           from: an outlet that writes both counts for the one it writes
                           more, and more pairs of two different words pass too
  -o, --out <file>         also write the pairs as synonyms-file lines (ترامب، ترمب), with the
                           evidence in comments, to review and publish with
                           npm run publish -- --synonyms <file>
      --json               print the pairs as JSON instead
  -q, --quiet              no progress on stderr
  -h, --help               this help`;

class UsageError extends Error {}

function fraction(raw: string | undefined, name: string, fallback: number, least = 0): number {
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || x < least || x > 1) throw new UsageError(`--${name} takes a number from ${least} to 1, not ${JSON.stringify(raw)}`);
  return x;
}

function whole(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} takes a whole number of 1 or more, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** One pair as a synonyms-file line, its evidence in a comment line above it. */
export function synonymLines(p: HouseStylePair): string {
  return `# ${describe(p)}\n${p.forms[0]}، ${p.forms[1]}\n`;
}

function describe(p: HouseStylePair): string {
  const outlets = (k: 0 | 1) => (p.outlets[k].length ? p.outlets[k].join(', ') : '–');
  return `${p.forms[0]} ${p.df[0]} articles (${outlets(0)}) · ${p.forms[1]} ${p.df[1]} (${outlets(1)}) · split ${p.split.toFixed(2)} · context ${p.cosine.toFixed(2)} · together ${p.together.toFixed(2)}${p.kind ? ` · ${p.kind}` : ''}${p.behind ? ` · figures of the forms behind ${p.behind}` : ''}`;
}

async function main(): Promise<void> {
  let args;
  let options: HouseStyleOptions;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'min-articles': { type: 'string' },
        'min-split': { type: 'string' },
        'min-context': { type: 'string' },
        'max-together': { type: 'string' },
        'home-share': { type: 'string' },
        'min-letter-context': { type: 'string' },
        'min-letter-articles': { type: 'string' },
        out: { type: 'string', short: 'o' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    options = {
      minDf: whole(args.values['min-articles'], 'min-articles', HOUSE_STYLE_DEFAULTS.minDf),
      minSplit: fraction(args.values['min-split'], 'min-split', HOUSE_STYLE_DEFAULTS.minSplit),
      minCosine: fraction(args.values['min-context'], 'min-context', HOUSE_STYLE_DEFAULTS.minCosine),
      maxTogether: fraction(args.values['max-together'], 'max-together', HOUSE_STYLE_DEFAULTS.maxTogether),
      // Below one half an outlet would be home to both forms, and the split would say nothing.
      homeShare: fraction(args.values['home-share'], 'home-share', HOUSE_STYLE_DEFAULTS.homeShare, 0.5),
      minLetterCosine: fraction(args.values['min-letter-context'], 'min-letter-context', HOUSE_STYLE_DEFAULTS.minLetterCosine),
      minLetterDf: whole(args.values['min-letter-articles'], 'min-letter-articles', HOUSE_STYLE_DEFAULTS.minLetterDf),
    };
  } catch (e) {
    console.error(`house-styles: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.values.help) {
    console.log(HELP);
    return;
  }
  const inputs = args.positionals.length ? args.positionals.map(userPath) : ['seeds'];
  const log = (m: string) => {
    if (!args.values.quiet) console.error(`house-styles: ${m}`);
  };
  const started = performance.now();
  // Two passes over the files (see HouseStyleFinder): nothing but counts is held between them.
  const finder = new HouseStyleFinder(options);
  let read = 0;
  const outlets = new Set<string>();
  for await (const a of readArticles(inputs, { onFile: (f) => log(`reading ${f}`) })) {
    finder.count(tokenize([a.title, ...a.body].join('\n')).map((t) => t.norm), a.sources[0] ?? '');
    outlets.add(a.sources[0] ?? '');
    if (++read % 10_000 === 0) log(`${read} articles read`);
  }
  log(`${read} articles from ${outlets.size} outlets; comparing their words…`);
  if (finder.needsSecondPass) {
    log('reading the articles of the pairs that outlets split again');
    for await (const a of readArticles(inputs)) finder.see(a);
  }
  const pairs = finder.pairs();
  log(`${pairs.length} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (args.values.json) console.log(JSON.stringify(pairs, null, 2));
  else if (pairs.length === 0) console.log(`no pair passes${read < 1000 ? ` (${read} articles: a pair needs ${options.minDf} articles of each form, and outlets to tell apart)` : ''}`);
  else for (const p of pairs) console.log(describe(p));
  if (args.values.out !== undefined) {
    const out = userPath(args.values.out);
    const head = `# Words the archive's outlets spell their own ways, found by npm run house-styles (${new Date().toISOString().slice(0, 10)}).\n# Check each pair, keep the lines you want, then: npm run publish -- --synonyms <this file>\n\n`;
    writeFileSync(out, head + pairs.map(synonymLines).join('\n'));
    log(`wrote ${pairs.length} pairs to ${out}`);
  }
}

main().catch((e: unknown) => {
  console.error(`house-styles: ${e instanceof BahthError ? e.message.replace(/^bahth: /, '') : String((e as Error).stack ?? e)}`);
  process.exit(1);
});
