import { BahthError } from '../core/errors';
import { isMutableKey } from '../core/format/layout';
import type { ValueSource } from '../core/search/source';

/**
 * Reads index values from Workers KV, a batch of keys in one bulk `get` (one KV operation).
 * A read that throws or outlasts the timeout becomes an INDEX_UNAVAILABLE error (a 503), never
 * a hung request.
 */
export class KvSource implements ValueSource {
  /**
   * @param cacheTtl seconds a KV location may serve an index key from its cache: every key but
   * `manifest` and the settings is written once and never changed, so the longer the better
   * (KV's minimum is 30; 0 leaves KV's default). Those that do change keep KV's default.
   */
  constructor(private readonly kv: KVNamespace, private readonly timeoutMs = 5000, private readonly cacheTtl = 0) {}

  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    const immutable = this.cacheTtl >= 30 && !keys.some(isMutableKey);
    const options: KVNamespaceGetOptions<'text'> = immutable ? { type: 'text', cacheTtl: this.cacheTtl } : { type: 'text' };
    const read: Promise<Map<string, string | null>> = keys.length === 1
      ? this.kv.get(keys[0]!, options).then((v) => new Map([[keys[0]!, v]]))
      : (this.kv.get(keys, options) as Promise<Map<string, string | null>>);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BahthError('INDEX_UNAVAILABLE', `KV did not answer within ${this.timeoutMs} ms (${keys[0]}${keys.length > 1 ? ` and ${keys.length - 1} more` : ''})`)), this.timeoutMs);
    });
    try {
      return await Promise.race([read, timeout]);
    } catch (e) {
      if (e instanceof BahthError) throw e;
      throw new BahthError('INDEX_UNAVAILABLE', `KV read failed: ${(e as Error).message}`, {}, e);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}
