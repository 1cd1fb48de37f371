/**
 * The local KV namespace that `wrangler dev --persist-to <dir>` serves, opened in this process
 * through Miniflare (one workerd): the same folder layout wrangler 4.86 uses
 * (`<dir>/v3/kv/miniflare-KVNamespaceObject/<object id>.sqlite` for the keys,
 * `<dir>/v3/kv/<namespace id>/blobs/` for the values) and the namespace id wrangler.toml gives.
 *
 * Writes are bulk: Miniflare's KV API costs 1.3-2 ms a key (a blob file, an SQLite commit and
 * three internal fetches per `put`: 169 s for the corpus index's 83,702 keys), so `putMany`
 * writes the value files itself and inserts the keys through a Durable Object that shares the
 * KV object's SQLite database (same unique key, same storage folder), 2,000 keys to a
 * transaction: 12.5 s for the same index. Opening checks that layout end to end (the table's
 * columns, a probe key written in bulk and read back through the KV API) and falls back to the
 * KV API, slower but sure, when Miniflare's internals are not the ones this module knows.
 *
 * Writes made here while `wrangler dev` serves the same folder are seen by its next KV read
 * (tested: test/unit/local-kv.test.ts). The bahth Worker reads the `manifest` key again only
 * every MANIFEST_TTL_MS (30 s in wrangler.toml), so a new version shows within that.
 * Two processes must not write at once: two Miniflare processes putting keys into one folder
 * through the KV API lost three quarters of them (measured; `wrangler kv … --local` is such a
 * process too). `wrangler dev` itself only reads.
 *
 * @example
 * const kv = await openLocalKv('.wrangler/state');
 * await kv.putMany([{ key: 'k', value: 'v' }], (p) => console.log(p.keys));
 * await kv.close();
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

export interface KvEntry {
  key: string;
  value: string;
}

/** How far a `putMany` got: keys and bytes (keys and values, UTF-8) written, seconds since it began. */
export interface PutProgress {
  keys: number;
  bytes: number;
  seconds: number;
}

export interface LocalKv {
  /** The folder given to `wrangler dev --persist-to`. */
  readonly persistTo: string;
  /** `bulk` (the fast path) or `api` (Miniflare's KV API, when the layout check failed). */
  readonly writePath: 'bulk' | 'api';
  /**
   * Writes the entries in order, in batches (2,000 keys or 16 MB); `onProgress` after each.
   * A failure stops it with the batches before written: write a version's switch key last.
   */
  putMany(entries: Iterable<KvEntry>, onProgress?: (p: PutProgress) => void): Promise<PutProgress>;
  /** A value as text, or null. */
  get(key: string): Promise<string | null>;
  /** Values as text (null: absent), as publish's KvStore reads them. */
  getMany(keys: string[]): Promise<Map<string, string | null>>;
  /** Deletes keys (absent ones are skipped), in batches of 2,000, their value files with them. */
  deleteMany(keys: string[]): Promise<void>;
  /** Keys and value bytes `deleteMany` has removed so far (bytes: 0 on the KV API path). */
  readonly deleted: { keys: number; bytes: number };
  /** The key names that start with `prefix`, in order. */
  list(prefix?: string): Promise<string[]>;
  /** Stops the workerd behind it; call it before the process exits. */
  close(): Promise<void>;
}

export interface LocalKvOptions {
  /** The binding in wrangler.toml whose namespace this is (default INDEX). */
  binding?: string;
  /** The namespace id; default: that binding's `id` in wrangler.toml, as wrangler dev uses it. */
  namespaceId?: string;
  /** Force Miniflare's KV API (for comparison and tests). */
  writePath?: 'bulk' | 'api';
  log?: (message: string) => void;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Miniflare's `miniflare-${KV_NAMESPACE_OBJECT_CLASS_NAME}`: the object id, and so the SQLite file, derive from it. */
const KV_OBJECT_UNIQUE_KEY = 'miniflare-KVNamespaceObject';
/** Miniflare's KV table (workers/shared/keyvalue.worker.ts), as `PRAGMA table_info` lists it. */
const KV_COLUMNS = 'key TEXT pk,blob_id TEXT notnull,expiration INTEGER,metadata TEXT';
const BATCH_KEYS = 2000;
const BATCH_BYTES = 16 * 1024 * 1024;
const PROBE_KEY = '__bahth_local_kv_probe__';

/** The loader Worker: `/rows` inserts [key, blob id] pairs in one transaction; `/put` uses the KV API. */
const LOADER = `
import { DurableObject } from 'cloudflare:workers';
export class KvRows extends DurableObject {
  async fetch(request) {
    const sql = this.ctx.storage.sql;
    if (new URL(request.url).pathname === '/columns') {
      const cols = sql.exec('PRAGMA table_info(_mf_entries)').toArray();
      return new Response(cols.map((c) => c.name + ' ' + c.type + (c.pk ? ' pk' : '') + (c.notnull ? ' notnull' : '')).join(','));
    }
    const rows = await request.json();
    if (new URL(request.url).pathname === '/delete') {
      const removed = [];
      this.ctx.storage.transactionSync(() => {
        for (const key of rows) {
          const old = sql.exec('SELECT blob_id FROM _mf_entries WHERE key = ?', key).toArray()[0];
          if (!old) continue;
          removed.push(old.blob_id);
          sql.exec('DELETE FROM _mf_entries WHERE key = ?', key);
        }
      });
      return Response.json(removed);
    }
    const replaced = [];
    this.ctx.storage.transactionSync(() => {
      for (const [key, blob] of rows) {
        const old = sql.exec('SELECT blob_id FROM _mf_entries WHERE key = ?', key).toArray()[0];
        if (old) replaced.push(old.blob_id);
        sql.exec('INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, NULL, NULL)', key, blob);
      }
    });
    return Response.json(replaced);
  }
}
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === '/put') {
      for (const e of await request.json()) await env.KV.put(e.key, e.value);
      return new Response('ok');
    }
    return env.KV_ROWS.get(env.KV_ROWS.idFromName(env.NAMESPACE_ID)).fetch(request);
  },
};`;

/** Opens the local namespace that `wrangler dev --persist-to <persistTo>` reads. */
export async function openLocalKv(persistTo: string, o: LocalKvOptions = {}): Promise<LocalKv> {
  const dir = resolve(persistTo);
  const binding = o.binding ?? 'INDEX';
  const namespaceId = o.namespaceId ?? namespaceIdOf(binding);
  const log = o.log ?? (() => {});
  // wrangler: getDefaultPersistRoot(persistTo) = <persistTo>/v3; Miniflare's KV plugin adds kv/.
  const root = join(dir, 'v3');
  // Miniflare names the folder after the namespace id, sanitised; ids are hex, which it keeps.
  const blobs = join(root, 'kv', namespaceId, 'blobs');
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    defaultPersistRoot: root,
    // The loader's object keeps its SQLite where the KV object does, under the same unique key.
    durableObjectsPersist: join(root, 'kv'),
    workers: [{
      name: 'bahth-local-kv',
      modules: true,
      script: LOADER,
      compatibilityDate: '2025-04-01',
      kvNamespaces: { KV: namespaceId },
      bindings: { NAMESPACE_ID: namespaceId },
      durableObjects: { KV_ROWS: { className: 'KvRows', unsafeUniqueKey: KV_OBJECT_UNIQUE_KEY, useSQLite: true } },
    }],
  });
  let closed: Promise<void> | undefined;
  try {
    await mf.ready;
    const kv = await mf.getKVNamespace('KV');
    const post = async (path: string, body: unknown): Promise<string> => {
      const res = await mf.dispatchFetch(`http://local-kv${path}`, { method: 'POST', body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`local KV ${path}: ${res.status} ${text.split('\n')[0]}`);
      return text;
    };

    const putBulk = async (batch: KvEntry[]): Promise<void> => {
      mkdirSync(blobs, { recursive: true });
      const rows: [string, string][] = [];
      try {
        for (const e of batch) {
          const id = blobId();
          writeFileSync(join(blobs, id), e.value);
          rows.push([e.key, id]);
        }
        const replaced = JSON.parse(await post('/rows', rows)) as string[];
        for (const id of replaced) rmSync(join(blobs, id), { force: true });
      } catch (e) {
        for (const [, id] of rows) rmSync(join(blobs, id), { force: true });
        throw e;
      }
    };
    const putApi = async (batch: KvEntry[]): Promise<void> => {
      await post('/put', batch);
    };

    let writePath = o.writePath ?? (/^[\w-]+$/.test(namespaceId) ? 'bulk' : 'api');
    if (writePath === 'bulk') {
      const problem = await checkBulkLayout(kv, () => post('/columns', null), putBulk);
      if (problem) {
        log(`local KV: ${problem}; writing through Miniflare's KV API instead (about 15 times slower)`);
        writePath = 'api';
      }
    }
    const put = writePath === 'bulk' ? putBulk : putApi;
    const deleted = { keys: 0, bytes: 0 };

    return {
      persistTo: dir,
      writePath,
      async putMany(entries, onProgress) {
        const started = performance.now();
        const done = { keys: 0, bytes: 0, seconds: 0 };
        let batch: KvEntry[] = [];
        let batchBytes = 0;
        const flush = async (): Promise<void> => {
          if (batch.length === 0) return;
          await put(batch);
          done.keys += batch.length;
          done.bytes += batchBytes;
          done.seconds = (performance.now() - started) / 1000;
          batch = [];
          batchBytes = 0;
          onProgress?.({ ...done });
        };
        for (const e of entries) {
          if (typeof e.key !== 'string' || typeof e.value !== 'string') throw new Error(`local KV: an entry needs a string key and a string value (${JSON.stringify(e).slice(0, 80)})`);
          batch.push(e);
          batchBytes += Buffer.byteLength(e.key) + Buffer.byteLength(e.value);
          if (batch.length >= BATCH_KEYS || batchBytes >= BATCH_BYTES) await flush();
        }
        await flush();
        done.seconds = (performance.now() - started) / 1000;
        return done;
      },
      get: (key) => kv.get(key, 'text'),
      async getMany(names) {
        const out = new Map<string, string | null>();
        for (const name of names) out.set(name, await kv.get(name, 'text'));
        return out;
      },
      async deleteMany(names) {
        for (let i = 0; i < names.length; i += BATCH_KEYS) {
          const batch = names.slice(i, i + BATCH_KEYS);
          if (writePath === 'api') {
            for (const name of batch) await kv.delete(name);
            deleted.keys += batch.length;
            continue;
          }
          // Rows first, then files: a value file no row names is unread (Miniflare sweeps none).
          const removed = JSON.parse(await post('/delete', batch)) as string[];
          deleted.keys += removed.length;
          for (const id of removed) {
            const file = join(blobs, id);
            try {
              deleted.bytes += statSync(file).size;
            } catch {
              // already gone
            }
            rmSync(file, { force: true });
          }
        }
      },
      deleted,
      async list(prefix = '') {
        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await kv.list({ prefix, ...(cursor ? { cursor } : {}) });
          names.push(...page.keys.map((k) => k.name));
          cursor = page.list_complete ? undefined : page.cursor;
        } while (cursor);
        return names;
      },
      close: () => (closed ??= mf.dispose()),
    };
  } catch (e) {
    await mf.dispose().catch(() => undefined);
    throw e;
  }
}

type MiniflareKv = Awaited<ReturnType<Miniflare['getKVNamespace']>>;

/**
 * Whether the bulk path writes what Miniflare's KV API reads: the KV table has the columns this
 * module inserts, and a probe key written in bulk reads back through the API. A problem, or undefined.
 */
async function checkBulkLayout(
  kv: MiniflareKv,
  columns: () => Promise<string>,
  putBulk: (batch: KvEntry[]) => Promise<void>,
): Promise<string | undefined> {
  try {
    await kv.get(PROBE_KEY); // creates the database and its table on a fresh folder
    const found = await columns();
    if (found !== KV_COLUMNS) return `Miniflare's KV table is not the one this module knows (${found || 'no table'})`;
    const value = `probe ${randomBytes(8).toString('hex')}`;
    await putBulk([{ key: PROBE_KEY, value }]);
    const back = await kv.get(PROBE_KEY, 'text');
    await kv.delete(PROBE_KEY);
    if (back !== value) return 'a key written in bulk did not read back through the KV API';
    return undefined;
  } catch (e) {
    return `the bulk path failed its check (${(e as Error).message.split('\n')[0]})`;
  }
}

/** A value file name as Miniflare makes them: 32 random bytes, then the time, in hex. */
function blobId(): string {
  const id = Buffer.alloc(40);
  randomBytes(32).copy(id);
  id.writeBigInt64BE(BigInt(Date.now()), 32);
  return id.toString('hex');
}

/** The namespace id that `wrangler dev` gives a KV binding: its `id` in wrangler.toml, else the binding name. */
export function namespaceIdOf(binding: string, toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')): string {
  for (const block of toml.split(/^\[\[kv_namespaces\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\[/m)[0] ?? '';
    const field = (name: string) => new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(body)?.[1];
    if (field('binding') === binding) return field('id') ?? binding;
  }
  throw new Error(`wrangler.toml has no [[kv_namespaces]] with binding = "${binding}"`);
}
