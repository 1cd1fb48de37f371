/**
 * Old index versions out of a namespace. A full build starts a new archive (`a/<archive>/…`
 * articles, `s/<archive>[.<generation>]/…` segments, `m/<archive>/<generation>` manifest copies)
 * beside the one live, so a deploy can switch and roll back with one write; but nothing removed
 * the archives left behind: on the ANT corpus each is about 50,000 keys and 180 MB of values (KV
 * storage $0.50 per GB-month; in wrangler's local state, disk). `pruneArchives` deletes every
 * archive but the live one and the `keep` most recently published before it, and the keys of
 * builds whose upload never finished (no manifest copy: never live).
 *
 * Never touched: the `manifest` key, the editor's `settings/…`, the live archive's keys (its
 * segments no manifest names are `publish --gc`'s business), and at least one archive besides
 * it: readers hold the manifest that named the archive live before a switch for up to
 * MANIFEST_TTL_MS, and `deploy --rollback` needs it. Which one was live last is told by
 * `m/<archive>/left`, the time a switch (deploy, npm start's fill) took it out of service
 * ({@link leftKey}); an archive without one by its newest manifest copy's `publishedAt`.
 */
import type { ArchiveManifest } from '../core/format/manifest';
import { parseManifest } from '../core/search/reader';
import { readLiveManifest, type KvStore } from './publish';

/** What a prune uses of a store: it reads, lists and deletes, never writes. */
export type PruneStore = Pick<KvStore, 'getMany' | 'list' | 'deleteMany'>;

/** An archive found in the namespace. */
export interface ArchiveFound {
  archive: string;
  /** Its newest manifest copy's `publishedAt`; undefined: no copy (an upload that never finished). */
  publishedAt?: string;
  /** When a switch last took it out of service (`m/<archive>/left`), if one recorded it. */
  left?: string;
  /** Generations with a manifest copy, ascending. */
  generations: number[];
}

export interface PrunePlan {
  live: string;
  kept: ArchiveFound[];
  dropped: ArchiveFound[];
}

export interface PruneOptions {
  /** Archives kept besides the live one, newest first: 1 (the default) or more. */
  keep?: number;
  dryRun?: boolean;
  log?: (message: string) => void;
}

export interface PruneResult extends PrunePlan {
  /** Keys deleted (or, in a dry run, that would be). */
  keys: number;
}

/** After a segment's archive id: `.<generation>.<nonce>` (a delta) and `.b` or `.m` (a compaction's). */
const SEGMENT_TAIL = /\.\d+(\.[A-Za-z0-9]+)*$/;

/** A segment id is its archive's id (the base a full build makes), or that id and a tail (publish.ts, compact.ts). */
export function archiveOfSegment(segment: string): string {
  return segment.replace(SEGMENT_TAIL, '');
}

/** Whether a key is one of an archive's: its articles, its segments' values, its manifest copies. */
export function keyOfArchive(key: string, archive: string): boolean {
  if (key.startsWith(`a/${archive}/`) || key.startsWith(`m/${archive}/`)) return true;
  if (!key.startsWith('s/')) return false;
  const segment = key.slice(2, key.indexOf('/', 2) >>> 0);
  return segment === archive || (segment.startsWith(archive) && SEGMENT_TAIL.test(segment) && archiveOfSegment(segment) === archive);
}

/** The key a switch writes for the archive it takes out of service: the time, ISO 8601. */
export function leftKey(archive: string): string {
  return `m/${archive}/left`;
}

/** The entry to write beside a switch from `outgoing` (the archive live until now) to `incoming`; none for a publish within one archive. */
export function leftEntry(outgoing: string | undefined, incoming: string, now = new Date()): { key: string; value: string }[] {
  return outgoing && outgoing !== incoming ? [{ key: leftKey(outgoing), value: now.toISOString() }] : [];
}

/** The archives of the namespace: every one with a manifest copy, and every one with segment keys. */
export async function findArchives(store: PruneStore): Promise<ArchiveFound[]> {
  const found = new Map<string, ArchiveFound>();
  const entry = (archive: string): ArchiveFound => {
    let a = found.get(archive);
    if (!a) found.set(archive, (a = { archive, generations: [] }));
    return a;
  };
  const lefts: string[] = [];
  for (const key of await store.list('m/')) {
    const m = /^m\/([^/]+)\/(\d+|left)$/.exec(key);
    if (m?.[2] === 'left') lefts.push(m[1]!);
    else if (m) entry(m[1]!).generations.push(Number(m[2]));
  }
  for (const key of await store.list('s/')) {
    const end = key.indexOf('/', 2);
    if (end > 2) entry(archiveOfSegment(key.slice(2, end)));
  }
  const newest = [...found.values()].filter((a) => a.generations.length).map((a) => {
    a.generations.sort((x, y) => x - y);
    return { a, key: `m/${a.archive}/${a.generations[a.generations.length - 1]}` };
  });
  const copies = await store.getMany([...newest.map((n) => n.key), ...lefts.map(leftKey)]);
  for (const archive of lefts) {
    const at = copies.get(leftKey(archive));
    if (at && !Number.isNaN(Date.parse(at))) entry(archive).left = new Date(at).toISOString();
  }
  for (const { a, key } of newest) {
    const raw = copies.get(key);
    try {
      if (raw != null) a.publishedAt = parseManifest(raw).publishedAt;
    } catch {
      // A copy this code cannot read: the archive counts as the oldest.
    }
  }
  return [...found.values()];
}

/** Which archives go: all but the live one and the `keep` newest others that were live once. */
export function choosePrune(found: ArchiveFound[], live: ArchiveManifest, o: Pick<PruneOptions, 'keep'> = {}): PrunePlan {
  const keep = o.keep ?? 1;
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number of archives, 1 or more (not ${keep}): readers may still be on the one live before`);
  // Live last (ISO times compare as text): taken out of service, or else published.
  const last = (a: ArchiveFound) => [a.left ?? '', a.publishedAt ?? ''].sort().pop()!;
  const others = found.filter((a) => a.archive !== live.archive)
    .sort((x, y) => last(y).localeCompare(last(x)) || x.archive.localeCompare(y.archive));
  const liveFound = found.find((a) => a.archive === live.archive) ?? { archive: live.archive, publishedAt: live.publishedAt, generations: [] };
  // Only archives with a manifest copy were ever live; an upload that never finished has no readers.
  const kept = [liveFound, ...others.filter((a) => a.publishedAt !== undefined).slice(0, keep)];
  return { live: live.archive, kept, dropped: others.filter((a) => !kept.includes(a)) };
}

/**
 * Deletes the archives `choosePrune` drops: their keys listed by prefix, checked to be theirs,
 * deleted in the store's batches. The live manifest is read first and again before deleting,
 * so a deploy that switched meanwhile stops it.
 */
export async function pruneArchives(store: PruneStore, o: PruneOptions = {}): Promise<PruneResult> {
  const log = o.log ?? (() => {});
  const live = await readLiveManifest(store);
  const plan = choosePrune(await findArchives(store), live, o);
  let keys = 0;
  for (const a of plan.dropped) {
    const doomed: string[] = [];
    for (const prefix of [`a/${a.archive}/`, `m/${a.archive}/`, `s/${a.archive}`]) {
      for (const key of await store.list(prefix)) if (keyOfArchive(key, a.archive)) doomed.push(key);
    }
    const what = a.publishedAt ? `published ${a.publishedAt}` : 'never made live';
    log(`prune: archive ${a.archive} (${what}): ${doomed.length.toLocaleString('en')} keys${o.dryRun ? ' (dry run: kept)' : ''}`);
    if (!o.dryRun) {
      if ((await readLiveManifest(store)).archive !== live.archive) throw new Error('prune: the live archive changed while pruning; run it again');
      await store.deleteMany(doomed);
    }
    keys += doomed.length;
  }
  return { ...plan, keys };
}
