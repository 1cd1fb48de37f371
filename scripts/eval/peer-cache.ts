/**
 * The peers' answers (Lucene-style BM25, FlexSearch, MiniSearch), kept between eval runs. They
 * never depend on bahth's code, and they take most of a full run (MiniSearch's known-item
 * queries alone 28–70 minutes), so a run after a change to bahth reads them back. Since
 * 2026-12-06 each query's answer is kept on its own ({@link answersKey}: the adapter's source,
 * the package's version, the input files' bytes), and a run asks a peer only the queries it has
 * no answer to. The former whole-run format ({@link peerKey}: those and every query asked) is
 * still read, to seed a book the first time; `--fresh-peers` asks every query again. Since
 * 2026-12-07 a peer slow to ask (MiniSearch) also has its answers shipped with the repository
 * ({@link shippedAnswers}), read when a machine's cache has none for the key.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** What a peer's answers depend on. */
export interface PeerKey {
  system: string;
  /** The adapter's source file, and the code that asks it the queries (their text is hashed). */
  adapter: URL[];
  /** The peer package's version ('' for our own Lucene-style BM25). */
  version: string;
  /** Input files (their bytes are hashed). */
  inputs: string[];
  /** Every query the peer is asked, in order, by part. */
  queries: Record<string, string[]>;
}

/** Hex digest of what a peer's answers depend on. */
export function peerKey(k: PeerKey): string {
  const h = createHash('sha256');
  h.update(`bahth eval peer cache 1\n${k.system}\n${k.version}\n`);
  for (const file of k.adapter) h.update(readFileSync(file));
  for (const file of k.inputs) h.update(readFileSync(file));
  for (const [part, qs] of Object.entries(k.queries)) h.update(`\n${part}\n${qs.join('\n')}`);
  return h.digest('hex').slice(0, 24);
}

/** A peer's answers as kept: plain JSON, with when they were measured. */
export interface KeptPeer<T> {
  measuredAt: string;
  result: T;
}

function fileOf(dir: string, system: string, key: string): string {
  return join(dir, `peer-${system.replace(/[^A-Za-z0-9]+/g, '-')}-${key}.json`);
}

/** The kept answers for this key, or undefined (none, or unreadable: run the peer again). */
export function loadPeer<T>(dir: string, system: string, key: string): KeptPeer<T> | undefined {
  const file = fileOf(dir, system, key);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as KeptPeer<T>;
  } catch {
    return undefined;
  }
}

/** Keeps a whole run's answers in the former format (written whole, then renamed; the eval now keeps books, {@link saveAnswers}). */
export function savePeer<T>(dir: string, system: string, key: string, result: T): void {
  mkdirSync(dir, { recursive: true });
  const file = fileOf(dir, system, key);
  const kept: KeptPeer<T> = { measuredAt: new Date().toISOString(), result };
  writeFileSync(`${file}.tmp`, JSON.stringify(kept));
  renameSync(`${file}.tmp`, file);
}

/**
 * What a peer's answer to one query depends on: the adapter's source, the package's version and
 * the input files' bytes. Each query's answer is kept on its own under this key, so a run that
 * adds queries (a known-item rewriting) asks the peer only those (MiniSearch's 14,910 known-item
 * queries took 28–70 minutes: a rewriting added then cost a whole run). The code that runs the
 * queries (run.ts) is not in it: it asks `search(q)` of the adapter and keeps the ids.
 */
export type AnswersKey = Omit<PeerKey, 'queries'>;

/** Hex digest of what a peer's answers to single queries depend on. */
export function answersKey(k: AnswersKey): string {
  const h = createHash('sha256');
  h.update(`bahth eval peer answers 1\n${k.system}\n${k.version}\n`);
  for (const file of k.adapter) h.update(readFileSync(file));
  for (const file of k.inputs) h.update(readFileSync(file));
  return h.digest('hex').slice(0, 24);
}

/** A peer's kept answers: per query, its ranked ids and the milliseconds it took when asked. */
export interface KeptAnswers {
  /** When the answers were last added to. */
  measuredAt: string;
  /** Seconds the peer took to index, when it last did. */
  indexSeconds?: number;
  answers: Record<string, [ids: string[], ms: number]>;
}

/** The start of a peer's answers files' names, before the key. */
function answersPrefix(system: string): string {
  return `answers-${system.replace(/[^A-Za-z0-9]+/g, '-')}-`;
}

function answersFile(dir: string, system: string, key: string): string {
  return join(dir, `${answersPrefix(system)}${key}.json`);
}

/** The kept answers for this key (none kept, or unreadable: an empty book). */
export function loadAnswers(dir: string, system: string, key: string): KeptAnswers {
  const file = answersFile(dir, system, key);
  const empty: KeptAnswers = { measuredAt: '', answers: {} };
  if (!existsSync(file)) return empty;
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as KeptAnswers;
    return kept && typeof kept.answers === 'object' && kept.answers !== null ? kept : empty;
  } catch {
    return empty;
  }
}

/** Keeps a peer's answers (written whole, then renamed: never half a file). */
export function saveAnswers(dir: string, system: string, key: string, kept: KeptAnswers): void {
  mkdirSync(dir, { recursive: true });
  const file = answersFile(dir, system, key);
  writeFileSync(`${file}.tmp`, JSON.stringify(kept));
  renameSync(`${file}.tmp`, file);
}

/**
 * A peer's answers shipped with the repository (scripts/eval/baselines/peers/, gzipped JSON), for
 * a machine whose cache has none: MiniSearch takes 28–70 minutes to answer the known-item
 * queries, which every new machine would otherwise pay before its first full run. Read only
 * for the same key ({@link answersKey}: adapter, package, inputs), so a change to any of them
 * asks the peer again. Undefined when none is shipped for the key, or it is unreadable.
 */
export function shippedAnswers(dir: string, system: string, key: string): KeptAnswers | undefined {
  const file = `${answersFile(dir, system, key)}.gz`;
  if (!existsSync(file)) return undefined;
  try {
    const kept = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as KeptAnswers;
    return kept && typeof kept.answers === 'object' && kept.answers !== null ? kept : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ships a peer's answers (`npm run eval -- --ship-peers`): written gzipped under `dir`, whole
 * then renamed, and the same peer's files for other keys removed (one book a peer). The file's
 * path.
 */
export function shipAnswers(dir: string, system: string, key: string, kept: KeptAnswers): string {
  mkdirSync(dir, { recursive: true });
  const file = `${answersFile(dir, system, key)}.gz`;
  writeFileSync(`${file}.tmp`, gzipSync(JSON.stringify(kept), { level: 9 }));
  renameSync(`${file}.tmp`, file);
  const mine = answersPrefix(system);
  for (const other of readdirSync(dir)) {
    if (other.startsWith(mine) && /^[0-9a-f]{24}\.json\.gz$/.test(other.slice(mine.length)) && join(dir, other) !== file) rmSync(join(dir, other));
  }
  return file;
}
