/**
 * The publish lock (scripts/publish.ts): one publish at a time from this machine.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { processAlive } from '../src/indexer/bulk-writer';

export interface LockOptions {
  /** How long to wait for another holder before giving up (default 5 minutes). */
  waitMs?: number;
  /** How often the holder touches the lock (default 30 s). */
  beatMs?: number;
  /** How long an untouched lock stands before it is taken over (default 10 minutes). */
  silentMs?: number;
  /** Called with the message when waiting gives up (default: throw it). */
  fail?: (message: string) => never;
}

/**
 * One publish at a time from this machine: a lock file beside the state (or in the project for
 * --remote) that a second publish waits on. The holder writes its pid and a token and touches
 * the file every 30 s while it runs. A lock is taken over (and the log says so) only when its
 * process is gone, when it has not been touched for 10 minutes (a hung holder), or when it is
 * empty or garbled and more than 10 s old (a holder that died between creating and writing it).
 * The holder removes the lock only while it is still its own.
 */
export async function withLock<T>(file: string, log: (m: string) => void, run: () => Promise<T>, o: LockOptions = {}): Promise<T> {
  const waitMs = o.waitMs ?? 5 * 60_000;
  const beatMs = o.beatMs ?? 30_000;
  const silentMs = o.silentMs ?? 10 * 60_000;
  const fail = o.fail ?? ((m: string): never => { throw new Error(m); });
  mkdirSync(dirname(file), { recursive: true });
  const started = Date.now();
  const token = `${process.pid} ${Math.random().toString(36).slice(2, 10)}`;
  let said = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, token);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = lockHolder(file);
      if (held === undefined) continue; // removed meanwhile: try again
      const stale = staleLock(held, silentMs);
      if (stale) {
        log(`publish: taking over ${file}: ${stale}`);
        rmSync(file, { force: true });
        continue;
      }
      if (!said) log(`publish: waiting for another publish (process ${held.pid}) to finish …`);
      said = true;
      if (Date.now() - started > waitMs) fail(`another publish (process ${held.pid}) has held ${file} for ${Math.round(waitMs / 60_000)} minutes; try again later`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const beat = setInterval(() => {
    try {
      if (readFileSync(file, 'utf8') === token) utimesSync(file, new Date(), new Date());
    } catch {
      /* gone: the finally below has nothing to remove */
    }
  }, beatMs);
  beat.unref();
  try {
    return await run();
  } finally {
    clearInterval(beat);
    try {
      if (readFileSync(file, 'utf8') === token) rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  }
}

interface LockHolder {
  /** The holder's pid, or 0 when the file does not name one. */
  pid: number;
  ageMs: number;
}

/** Who holds a lock file, or undefined when it is gone. */
function lockHolder(file: string): LockHolder | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    const pid = /^\d+(\s|$)/.test(text) ? Number.parseInt(text, 10) : 0;
    return { pid: pid > 0 ? pid : 0, ageMs: Date.now() - statSync(file).mtimeMs };
  } catch {
    return undefined;
  }
}

/** Why a lock may be taken over, or undefined while its holder may still be at work. */
function staleLock(h: LockHolder, silentMs: number): string | undefined {
  if (h.pid === 0) return h.ageMs > 10_000 ? 'it names no process (a publish that died as it took it)' : undefined;
  if (!processAlive(h.pid)) return `its process ${h.pid} is gone`;
  return h.ageMs > silentMs ? `its process ${h.pid} has not touched it for ${Math.round(h.ageMs / 60_000)} minutes` : undefined;
}

