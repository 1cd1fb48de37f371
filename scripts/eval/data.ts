/**
 * Reading the evaluation data: the QA passages, the news corpus (JSONL, gzip or not) and the
 * questions. Kept apart from the build's own reader so the baselines see exactly the text of
 * the files and nothing bahth's ingest does to it.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** A document as the baselines index it. */
export interface EvalDoc {
  id: string;
  title: string;
  /** Paragraphs joined by "\n", as the file holds them. */
  body: string;
  /** QA passages name their dataset; news articles do not. */
  dataset?: string;
}

export interface Question {
  qid: string;
  query: string;
  relevantIds: string[];
  relevantIdsLenient: string[];
  dataset: string;
}

/** Yields every non-empty line of a JSONL file, parsed; gzip is recognised by the `.gz` suffix. */
export async function* readJsonlFile(path: string): AsyncGenerator<Record<string, unknown>> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let no = 0;
  for await (const line of lines) {
    no++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${path}:${no}: ${(e as Error).message}`);
    }
  }
}

function text(row: Record<string, unknown>, key: string): string | undefined {
  const v = row[key];
  return typeof v === 'string' ? v : undefined;
}

function strings(row: Record<string, unknown>, key: string): string[] {
  const v = row[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** All documents of the given files, in file order. */
export async function readDocs(paths: string[]): Promise<EvalDoc[]> {
  const out: EvalDoc[] = [];
  for (const path of paths) {
    for await (const row of readJsonlFile(path)) {
      const id = text(row, 'id');
      const title = text(row, 'title');
      const body = row.body;
      if (!id || title === undefined) throw new Error(`${path}: a row without id or title`);
      const dataset = text(row, 'dataset');
      out.push({
        id,
        title,
        // The corpus writes paragraphs joined by "\n"; accept an array too.
        body: Array.isArray(body) ? body.filter((p): p is string => typeof p === 'string').join('\n') : String(body ?? ''),
        ...(dataset ? { dataset } : {}),
      });
    }
  }
  return out;
}

export async function readQuestions(path: string): Promise<Question[]> {
  const out: Question[] = [];
  for await (const row of readJsonlFile(path)) {
    const relevantIds = strings(row, 'relevant_ids');
    out.push({
      qid: text(row, 'qid') ?? String(out.length),
      query: text(row, 'query') ?? '',
      relevantIds,
      relevantIdsLenient: strings(row, 'relevant_ids_lenient').length ? strings(row, 'relevant_ids_lenient') : relevantIds,
      dataset: text(row, 'dataset') ?? 'unknown',
    });
  }
  return out;
}
