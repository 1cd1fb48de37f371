import type { ValueSource } from '../core/search/source';

/** Reads index values from Workers KV, a batch of keys in one bulk `get` (one KV operation). */
export class KvSource implements ValueSource {
  constructor(private readonly kv: KVNamespace) {}

  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    if (keys.length === 1) return new Map([[keys[0]!, await this.kv.get(keys[0]!, 'text')]]);
    return (await this.kv.get(keys, 'text')) as Map<string, string | null>;
  }
}
