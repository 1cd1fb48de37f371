/**
 * Old index versions out of a namespace. A full build starts a new archive (`a/<archive>/…`
 * articles, `s/<archive>[.<generation>]/…` segments, `m/<archive>/<generation>` manifest copies)
 * beside the one live, so a deploy can switch and roll back with one write; but nothing removed
 * the archives left behind: on the ANT corpus each is about 50,000 keys and 180 MB of values (KV
 * storage $0.50 per GB-month; in wrangler's local state, disk). `pruneArchives` deletes every
 * archive but the live one and the `keep` live last before it, and, asked to, the keys of
 * uploads that never finished (no manifest copy: never live).
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
  /** When a switch last took it out of service (`m/<archive>/left`), if one recorded it ('' if unreadable). */
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
  /**
   * Also find uploads that never finished (segment or article keys, no manifest copy). Only when
   * nothing else writes to the namespace: an upload in progress looks the same.
   */
  unfinished?: boolean;
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

/**
 * The archives of the namespace: every one with a manifest copy or a `left` mark, and with
 * `unfinished`, every one with segment or article keys (an upload that stopped before its
 * manifest copy, the last key a build writes). Listing the articles reads every article key's
 * name (a thousand list calls at a million articles): only asked for.
 */
export async function findArchives(store: PruneStore, unfinished = false): Promise<ArchiveFound[]> {
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
  if (unfinished) {
    for (const prefix of ['s/', 'a/']) {
      for (const key of await store.list(prefix)) {
        const end = key.indexOf('/', 2);
        if (end > 2) entry(prefix === 's/' ? archiveOfSegment(key.slice(2, end)) : key.slice(2, end));
      }
    }
  }
  const newest = [...found.values()].filter((a) => a.generations.length).map((a) => {
    a.generations.sort((x, y) => x - y);
    return { a, key: `m/${a.archive}/${a.generations[a.generations.length - 1]}` };
  });
  const copies = await store.getMany([...newest.map((n) => n.key), ...lefts.map(leftKey)]);
  for (const archive of lefts) {
    const at = copies.get(leftKey(archive));
    // A mark that is not a time still says the archive was live once.
    entry(archive).left = at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : '';
  }
  for (const { a, key } of newest) {
    const raw = copies.get(key);
    try {
      if (raw != null) a.publishedAt = parseManifest(raw).publishedAt;
    } catch {
      // A copy this code cannot read: known by its mark, if it has one.
    }
  }
  return [...found.values()];
}

/**
 * Which archives go: all but the live one and the `keep` others live last. An archive a switch
 * took out of service (a `left` mark) was live for certain, and comes before one that only has
 * a manifest copy (a deploy that stopped before its switch has one too); among each, the latest
 * first. An archive with neither (an upload that never finished) has no readers.
 */
export function choosePrune(found: ArchiveFound[], live: ArchiveManifest, o: Pick<PruneOptions, 'keep'> = {}): PrunePlan {
  const keep = o.keep ?? 1;
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number of archives, 1 or more (not ${keep}): readers may still be on the one live before`);
  // ISO times compare as text.
  const order = (a: ArchiveFound) => [a.left !== undefined ? 1 : 0, a.left ?? a.publishedAt ?? ''] as const;
  const others = found.filter((a) => a.archive !== live.archive).sort((x, y) => {
    const [hx, tx] = order(x);
    const [hy, ty] = order(y);
    return hy - hx || ty.localeCompare(tx) || x.archive.localeCompare(y.archive);
  });
  const liveFound = found.find((a) => a.archive === live.archive) ?? { archive: live.archive, publishedAt: live.publishedAt, generations: [] };
  const kept = [liveFound, ...others.filter(wasLive).slice(0, keep)];
  return { live: live.archive, kept, dropped: others.filter((a) => !kept.includes(a)) };
}

/** Live once, or may have been: a `left` mark, or a readable manifest copy. */
const wasLive = (a: ArchiveFound): boolean => a.left !== undefined || a.publishedAt !== undefined;

/**
 * Deletes the archives `choosePrune` drops, each in an order that never leaves one looking
 * whole: its manifest copies first (what `deploy --list` and `--rollback` go by), then its
 * segments, then its articles. The live manifest is read again before each batch, so a switch
 * meanwhile (a deploy, a rollback) stops it.
 */
export async function pruneArchives(store: PruneStore, o: PruneOptions = {}): Promise<PruneResult> {
  const log = o.log ?? (() => {});
  const live = await readLiveManifest(store);
  const plan = choosePrune(await findArchives(store, o.unfinished ?? false), live, o);
  let keys = 0;
  for (const a of plan.dropped) {
    const doomed: string[][] = [];
    for (const prefix of [`m/${a.archive}/`, `s/${a.archive}`, `a/${a.archive}/`]) doomed.push((await store.list(prefix)).filter((key) => keyOfArchive(key, a.archive)));
    const count = doomed.reduce((n, d) => n + d.length, 0);
    const what = a.left !== undefined ? `live until ${a.left || 'a switch'}` : a.publishedAt ? `built ${a.publishedAt}, never switched to or live before marks were kept` : 'an upload that never finished';
    log(`prune: archive ${a.archive} (${what}): ${count.toLocaleString('en')} keys${o.dryRun ? ' (dry run: kept)' : ''}`);
    if (!o.dryRun) {
      for (const list of doomed) {
        for (let i = 0; i < list.length; i += DELETE_BATCH) {
          const now = (await readLiveManifest(store)).archive;
          if (now !== live.archive) throw new Error(`prune: the live archive changed (${live.archive} → ${now}) while pruning; stopped${now === a.archive ? ` with ${a.archive} partly deleted: deploy it again to upload it whole` : ''}`);
          await store.deleteMany(list.slice(i, i + DELETE_BATCH));
        }
      }
    }
    keys += count;
  }
  return { ...plan, keys };
}

/** Keys deleted between two checks of the live manifest (a remote bulk delete takes 10,000). */
const DELETE_BATCH = 10_000;
