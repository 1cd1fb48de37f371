/**
 * The ANT corpus the tests sample (Chouigui et al., AICCSA 2017; Apache-2.0). It sits in
 * `../shared` beside the project, as CI has it; without it the tests say so instead of crashing.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/ant-news.jsonl.gz', import.meta.url));

/** The corpus file's path; throws a clear error when it is missing. */
export function corpusPath(): string {
  if (!existsSync(CORPUS)) throw new Error(`the tests read the ANT corpus at ${CORPUS} (../shared beside the project, as CI has it), and it is missing`);
  return CORPUS;
}

/** Every `stride`-th line of the corpus, up to `n` (the file is grouped by source: a stride reaches all of them). */
export async function corpusLines(stride: number, n: number): Promise<string[]> {
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(corpusPath()).pipe(createGunzip()), crlfDelay: Infinity });
  let row = 0;
  for await (const line of rl) {
    if (line && row++ % stride === 0) lines.push(line);
    if (lines.length >= n) break;
  }
  rl.close();
  return lines;
}
