/**
 * FNV-1a over UTF-16 code units: small, fast, identical in Node and workerd. Terms are sharded
 * by the top bits of this hash, so a shard is a contiguous hash range and the number of shards
 * can be chosen after the postings are known.
 */
export function hashTerm(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Shard of a term for an index of `2 ** shardBits` term shards. */
export function shardOf(term: string, shardBits: number): number {
  return shardBits === 0 ? 0 : shardHash(term) >>> (32 - shardBits);
}

/**
 * The hash that places a term: a marked alternative (`~بوت`) hashes like its plain stem, so
 * both readings of a word are in the same shard and cost one read.
 */
export function shardHash(term: string): number {
  return hashTerm(term.charCodeAt(0) === 0x7e ? term.slice(1) : term);
}

/** SHA-256 of a text as lowercase hex (Web Crypto: the same in Node 20 and workerd). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
