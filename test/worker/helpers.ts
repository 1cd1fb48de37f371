import { env, exports } from 'cloudflare:workers';
import { inject } from 'vitest';

/** Writes the seed index (built by global-setup with the real build script) into this file's KV. */
export async function loadSeedIndex(): Promise<void> {
  const entries = inject('seedIndex');
  // the manifest switch comes last, as in a real deploy
  for (const e of entries) await env.INDEX.put(e.key, e.value);
}

/** Calls the Worker inside workerd, as a client would. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`http://bahth.test${path}`, init));
}

/** Calls the Worker and parses the JSON body. */
export async function getJson<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(path, init);
  return { status: res.status, body: (await res.json()) as T, res };
}
