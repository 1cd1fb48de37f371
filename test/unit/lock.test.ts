/**
 * The publish lock (scripts/lock.ts): a second publish waits for a live holder, even one whose
 * lock is old, and takes over only a lock whose process is gone, that names no process, or that
 * nobody has touched for the silent time; a holder never removes a lock that is not its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withLock } from '../../scripts/lock';

const dir = mkdtempSync(join(tmpdir(), 'bahth-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ago = (file: string, ms: number) => utimesSync(file, new Date(Date.now() - ms), new Date(Date.now() - ms));
const fail = (m: string): never => { throw new Error(m); };

describe('the publish lock', () => {
  it('takes over the lock of a process that is gone, and says so', async () => {
    const file = join(dir, 'gone.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    writeFileSync(file, `${child.pid} abc`);
    const log: string[] = [];
    expect(await withLock(file, (m) => log.push(m), async () => readFileSync(file, 'utf8'))).toMatch(new RegExp(`^${process.pid} `));
    expect(log.join('\n')).toContain(`its process ${child.pid} is gone`);
    expect(existsSync(file)).toBe(false);
  });

  it('waits for a live holder whose lock is old, as long as it is touched', async () => {
    const file = join(dir, 'live.lock');
    writeFileSync(file, `${process.pid} other`); // this very process: alive
    ago(file, 60_000);
    const log: string[] = [];
    await expect(withLock(file, (m) => log.push(m), async () => 'ran', { waitMs: 600, silentMs: 120_000, fail })).rejects.toThrow(/another publish \(process \d+\) has held/);
    expect(log.join('\n')).toContain('waiting for another publish');
    // Untouched past the silent time, it is a hung holder's: taken over.
    ago(file, 200_000);
    expect(await withLock(file, (m) => log.push(m), async () => 'ran', { silentMs: 120_000, fail })).toBe('ran');
    expect(log.join('\n')).toMatch(/has not touched it for \d+ minutes/);
  });

  it('an empty lock waits a moment for its writer, then is taken over', async () => {
    const file = join(dir, 'empty.lock');
    writeFileSync(file, '');
    await expect(withLock(file, () => {}, async () => 'ran', { waitMs: 300, fail })).rejects.toThrow(/process 0/);
    ago(file, 11_000);
    const log: string[] = [];
    expect(await withLock(file, (m) => log.push(m), async () => 'ran', { fail })).toBe('ran');
    expect(log.join('\n')).toContain('names no process');
  });

  it('touches its lock while it runs, and leaves a lock that is no longer its own', async () => {
    const file = join(dir, 'beat.lock');
    let mtimes: number[] = [];
    await withLock(file, () => {}, async () => {
      ago(file, 30_000);
      const before = Date.now() - 30_000;
      await new Promise((r) => setTimeout(r, 120));
      mtimes = [before, (await import('node:fs')).statSync(file).mtimeMs];
      // Someone took it over meanwhile: ours no more.
      writeFileSync(file, '12345 theirs');
    }, { beatMs: 50, fail });
    expect(mtimes[1]!).toBeGreaterThan(mtimes[0]! + 20_000);
    expect(readFileSync(file, 'utf8')).toBe('12345 theirs');
  });
});
