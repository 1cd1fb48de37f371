/**
 * Is dist/ the build of these inputs? The build names its output with a content-derived version
 * (src/indexer/build-index.ts `readPass`: SHA-256 of `BUILDER_ID`, a newline, then every article as
 * read, its JSON line; the first 12 hex digits). This computes the same digest by reading the
 * inputs alone (4 s for the 39,916-article corpus, against about 75 s for the build), so
 * `npm start` can skip a build that would write what dist/ already holds.
 * test/unit/start.test.ts checks that both agree.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILDER_ID } from '../src/indexer/build-index';
import { readArticles } from '../src/indexer/ingest/index';
import { BahthError } from '../src/core/errors';

export interface DistState {
  /** dist/ holds the build of these inputs and can be served as it is. */
  upToDate: boolean;
  /** The version in dist/, if any. */
  built?: string;
  /** The version these inputs build to, when it was worth computing. */
  wanted?: string;
  /** Why (for the log line). */
  reason: string;
}

/** The version a build of `inputs` would get, without building. Throws what the build would for bad or empty input. */
export async function contentVersion(inputs: string[], o: { skipInvalid?: boolean } = {}): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${BUILDER_ID}\n`);
  let n = 0;
  for await (const article of readArticles(inputs, { skipInvalid: o.skipInvalid ?? false, onSkip: () => {} })) {
    hash.update(JSON.stringify(article));
    n++;
  }
  if (n === 0) throw new BahthError('INPUT_INVALID', `no articles in ${inputs.join(', ')}`);
  return hash.digest('hex').slice(0, 12);
}

/**
 * Compares dist/ with the inputs. A build from other input paths is taken as stale without
 * reading anything (the manifest lists its inputs); from the same paths, the content decides.
 */
export async function distState(dist: string, inputs: string[], o: { skipInvalid?: boolean } = {}): Promise<DistState> {
  const file = join(dist, 'manifest.json');
  if (!existsSync(file)) return { upToDate: false, reason: `no build in ${dist}` };
  let manifest: { version?: unknown; inputs?: unknown };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
  } catch {
    return { upToDate: false, reason: `${file} is not valid JSON` };
  }
  const built = typeof manifest.version === 'string' ? manifest.version : undefined;
  if (!built) return { upToDate: false, reason: `${file} names no version` };
  if (Array.isArray(manifest.inputs) && !samePaths(manifest.inputs as string[], inputs)) {
    return { upToDate: false, built, reason: `${dist} was built from ${(manifest.inputs as string[]).join(', ')}` };
  }
  // A build cut short or tampered with (a bulk file gone) is rebuilt, not served half.
  const parts = (manifest as { parts?: { file?: unknown }[]; switch?: { file?: unknown } });
  const files = [...(Array.isArray(parts.parts) ? parts.parts.map((p) => p.file) : []), parts.switch?.file];
  const missing = files.find((f) => typeof f !== 'string' || !existsSync(join(dist, f)));
  if (!Array.isArray(parts.parts) || missing !== undefined) return { upToDate: false, built, reason: `${dist} is incomplete (${typeof missing === 'string' ? `${missing} is missing` : 'its manifest lists no files'})` };
  const wanted = await contentVersion(inputs, o);
  return wanted === built
    ? { upToDate: true, built, wanted, reason: `${dist} holds index ${built} of these inputs` }
    : { upToDate: false, built, wanted, reason: `the inputs changed (${built} → ${wanted})` };
}

function samePaths(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((p, i) => resolve(p) === resolve(b[i]!));
}
