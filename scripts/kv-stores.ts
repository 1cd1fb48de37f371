/**
 * Where `npm run publish` reads and writes: wrangler's local KV state (the folder `wrangler dev`
 * serves from, through Miniflare's KV API: a publish writes a few keys; npm start's fill of a
 * whole archive takes the faster path of local-kv.ts), or a Cloudflare namespace through the
 * REST API (bulk reads of 100 keys, bulk writes of 10,000).
 */
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import type { KvStore } from '../src/indexer/publish';
import { namespaceIdOf } from './local-kv';

/** The INDEX binding's namespace id in wrangler.toml (BAHTH_KV_NAMESPACE_ID overrides it). */
export function namespaceId(): string {
  return process.env.BAHTH_KV_NAMESPACE_ID ?? namespaceIdOf('INDEX');
}

/** wrangler's local KV: the same state `wrangler dev --persist-to <dir>` reads. */
export class LocalKv implements KvStore {
  private constructor(private readonly mf: Miniflare, private readonly kv: KVNamespace) {}

  /** Opens `<persistTo>/v3/kv/<namespace>` as wrangler does (usingLocalNamespace). */
  static async open(persistTo: string, namespace = namespaceId()): Promise<LocalKv> {
    const mf = new Miniflare({
      script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
      modules: true,
      defaultPersistRoot: join(resolve(persistTo), 'v3'),
      kvNamespaces: { NAMESPACE: namespace },
    });
    return new LocalKv(mf, (await mf.getKVNamespace('NAMESPACE')) as unknown as KVNamespace);
  }

  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let i = 0; i < keys.length; i += 100) {
      const batch = keys.slice(i, i + 100);
      const got = (await this.kv.get(batch, 'text')) as Map<string, string | null>;
      for (const k of batch) out.set(k, got.get(k) ?? null);
    }
    return out;
  }

  async putMany(entries: { key: string; value: string }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 64) await Promise.all(entries.slice(i, i + 64).map((e) => this.kv.put(e.key, e.value)));
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 64) await Promise.all(keys.slice(i, i + 64).map((k) => this.kv.delete(k)));
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix, ...(cursor ? { cursor } : {}) });
      out.push(...page.keys.map((k) => k.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return out;
  }

  async close(): Promise<void> {
    await this.mf.dispose();
  }
}

export interface RemoteOptions {
  accountId: string;
  namespaceId: string;
  token: string;
  /** API base (tests point it at a local server). */
  api?: string;
  fetch?: typeof fetch;
}

/** A Cloudflare KV namespace through the REST API. */
export class RemoteKv implements KvStore {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  constructor(private readonly o: RemoteOptions) {
    this.base = `${o.api ?? 'https://api.cloudflare.com/client/v4'}/accounts/${o.accountId}/storage/kv/namespaces/${o.namespaceId}`;
    this.fetch = o.fetch ?? fetch;
  }

  /** From CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and the namespace id; says which is missing. */
  static fromEnv(): RemoteKv {
    const token = process.env.CLOUDFLARE_API_TOKEN;
    const accountId = process.env.CLOUDFLARE_ACCOUNT_ID;
    const missing = [!token && 'CLOUDFLARE_API_TOKEN', !accountId && 'CLOUDFLARE_ACCOUNT_ID'].filter(Boolean);
    if (missing.length) throw new Error(`--remote needs ${missing.join(' and ')} in the environment (an API token with Workers KV Storage:Edit, and the account id)`);
    const ns = namespaceId();
    if (/^0+$/.test(ns)) throw new Error('--remote needs the namespace id: set it in wrangler.toml ([[kv_namespaces]] binding "INDEX") or BAHTH_KV_NAMESPACE_ID');
    return new RemoteKv({ accountId: accountId!, namespaceId: ns, token: token! });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.o.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if ((res.status === 429 || res.status >= 500) && attempt < 5) {
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        continue;
      }
      const json = (await res.json().catch(() => ({}))) as { success?: boolean; result?: T; errors?: { message: string }[]; result_info?: unknown };
      if (!res.ok || json.success === false) throw new Error(`Cloudflare API ${method} ${path.split('?')[0]}: HTTP ${res.status} ${json.errors?.map((e) => e.message).join('; ') ?? ''}`);
      return (path.startsWith('/keys') ? json : json.result) as T;
    }
  }

  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let i = 0; i < keys.length; i += 100) {
      const batch = keys.slice(i, i + 100);
      const r = await this.call<{ values: Record<string, string | null> }>('POST', '/bulk/get', { keys: batch, type: 'text' });
      for (const k of batch) out.set(k, r.values[k] ?? null);
    }
    return out;
  }

  async putMany(entries: { key: string; value: string }[]): Promise<void> {
    // 10,000 pairs and 100 MB a request.
    let batch: { key: string; value: string }[] = [];
    let bytes = 0;
    for (const e of entries) {
      if (batch.length >= 10_000 || bytes + e.value.length * 3 > 90 * 1024 * 1024) {
        await this.call('PUT', '/bulk', batch);
        batch = [];
        bytes = 0;
      }
      batch.push(e);
      bytes += e.value.length * 3;
    }
    if (batch.length) await this.call('PUT', '/bulk', batch);
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 10_000) await this.call('POST', '/bulk/delete', keys.slice(i, i + 10_000));
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let cursor = '';
    do {
      const page = await this.call<{ result: { name: string }[]; result_info?: { cursor?: string } }>('GET', `/keys?limit=1000&prefix=${encodeURIComponent(prefix)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      out.push(...page.result.map((k) => k.name));
      cursor = page.result_info?.cursor ?? '';
    } while (cursor);
    return out;
  }

  async close(): Promise<void> {}
}
