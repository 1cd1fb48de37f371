/**
 * The KV fill on a thread of its own (kv-load.ts `startFillThread`), so that it runs beside a
 * build instead of after it: the build hands over each bulk file as it completes, this thread
 * parses it and writes it into the local KV, in order; the switch file comes last.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { switchEntries } from './kv-load';
import { openLocalKv, type KvEntry } from './local-kv';

export type ToFill = { part: ArrayBuffer } | { switch: ArrayBuffer } | { cancel: true };
export type FromFill =
  | { ready: 'bulk' | 'api' }
  | { progress: { keys: number; bytes: number } }
  | { done: { keys: number; bytes: number; parts: number } }
  | { log: string }
  | { error: string };

const port = parentPort!;
const post = (m: FromFill) => port.postMessage(m);
const done = { keys: 0, bytes: 0, parts: 0 };

const kv = await openLocalKv((workerData as { persistTo: string }).persistTo, { log: (m) => post({ log: m }) });
post({ ready: kv.writePath });
let chain: Promise<void> = Promise.resolve();
let failed = false;

const write = async (buf: ArrayBuffer, isSwitch = false): Promise<void> => {
  const parsed = JSON.parse(Buffer.from(buf).toString('utf8')) as KvEntry[];
  const entries = isSwitch ? await switchEntries(kv, parsed) : parsed;
  const base = { ...done };
  const r = await kv.putMany(entries, (p) => post({ progress: { keys: base.keys + p.keys, bytes: base.bytes + p.bytes } }));
  done.keys += r.keys;
  done.bytes += r.bytes;
};

port.on('message', (m: ToFill) => {
  if ('cancel' in m) {
    chain = chain.catch(() => undefined).then(async () => {
      await kv.close();
      port.close();
    });
    return;
  }
  chain = chain.then(async () => {
    if (failed) return;
    try {
      if ('part' in m) {
        await write(m.part);
        done.parts++;
      } else {
        await write(m.switch, true);
        await kv.close();
        post({ done: { ...done } });
        port.close();
      }
    } catch (e) {
      failed = true;
      post({ error: (e as Error).message });
      await kv.close().catch(() => undefined);
      port.close();
    }
  });
});
