// The few Node APIs the runtime-neutral core uses (format/layout.ts: deflated values): workerd
// provides them under the `nodejs_compat` flag (wrangler.toml), Node itself everywhere else.
// Declared here, for the Worker's type check only, so that it still sees no other Node API.
declare module 'node:zlib' {
  export function deflateSync(data: Uint8Array, options?: { level?: number }): Uint8Array;
  export function inflateSync(data: Uint8Array, options?: { maxOutputLength?: number }): Uint8Array;
}

declare module 'node:buffer' {
  interface NodeBuffer extends Uint8Array {
    toString(encoding?: string): string;
  }
  export const Buffer: {
    from(text: string, encoding: 'base64'): NodeBuffer;
    from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBuffer;
  };
}
