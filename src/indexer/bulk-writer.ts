/**
 * Writes KV entries as `wrangler kv bulk put` files: JSON arrays of `{ key, value }`, split into
 * parts small enough for one bulk request each. Everything goes to a scratch folder beside the
 * target; `commit()` swaps it in with renames, so a failed build never leaves a half-written
 * output and the previous one survives.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { BahthError } from '../core/errors';

/** wrangler accepts at most 10,000 pairs and 100 MB per bulk request. */
const MAX_ENTRIES_PER_PART = 10_000;
const MAX_BYTES_PER_PART = 90 * 1024 * 1024;

export interface BulkPart {
  file: string;
  entries: number;
  bytes: number;
  sha256: string;
}

/** What a build writes into its output folder, and all it may replace there. */
const BUILD_ENTRIES = new Set(['kv', 'manifest.json', 'switch.json', 'skipped.txt']);

/**
 * Refuses an output folder whose replacement would lose something: a build swaps its output
 * folder in whole, so the folder must be new, empty or a previous build's (nothing in it but
 * what a build writes), and no input may lie inside it. Checked before any work.
 */
export function checkOutDir(outDir: string, inputs: readonly string[]): void {
  const target = resolve(outDir);
  for (const input of inputs) {
    const path = resolve(input);
    if (path === target || path.startsWith(target + sep)) {
      throw new BahthError('INPUT_INVALID', `input ${input} is inside the output folder ${outDir}, which the build replaces whole; write the index elsewhere (--out)`, { file: input });
    }
  }
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new BahthError('INPUT_INVALID', `output ${outDir} is a file; the build writes a folder there: choose another path (--out)`);
  const entries = readdirSync(target);
  const foreign = entries.filter((name) => !BUILD_ENTRIES.has(name));
  // A build's own names, holding what a build does not write, are someone's too.
  if (entries.includes('kv')) {
    const kv = join(target, 'kv');
    if (!statSync(kv).isDirectory()) foreign.push('kv (a file)');
    else foreign.push(...readdirSync(kv).filter((f) => !/^part-\d{4,}\.json$/.test(f)).map((f) => `kv/${f}`));
  }
  if (entries.includes('manifest.json') && !isBuildManifest(join(target, 'manifest.json'))) foreign.push('manifest.json (not a bahth build\'s)');
  if (foreign.length > 0) {
    const named = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
    throw new BahthError('INPUT_INVALID', `output folder ${outDir} holds what no build writes (${named}); the build replaces the folder whole, so choose a new or empty folder or a previous build's (--out)`);
  }
}

/** Whether a file is a bahth build's manifest.json (its format, version and parts). */
function isBuildManifest(file: string): boolean {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; version?: unknown; parts?: unknown };
    return typeof m.format === 'number' && typeof m.version === 'string' && Array.isArray(m.parts);
  } catch {
    return false;
  }
}

/**
 * Removes the scratch folders an interrupted build left beside `outDir` (`.<name>.building-<pid>`
 * and `.<name>.spill-<pid>`, hundreds of MB for a large archive): those of processes that are
 * gone. A build stopped by Ctrl-C exits without its cleanup; the next build sweeps. Returns
 * the folders removed.
 */
export function sweepStaleScratch(outDir: string): string[] {
  const parent = dirname(resolve(outDir));
  const name = basename(resolve(outDir));
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:building|spill)-(\\d+)$`);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(parent, entry), { recursive: true, force: true });
    removed.push(join(parent, entry));
  }
  return removed;
}

/**
 * Whether a process of this machine is there: anything but "no such process" counts as there
 * (EPERM: another user's). The scratch sweep's test, and the publish lock's (scripts/lock.ts).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export class BulkWriter {
  readonly scratch: string;
  readonly parts: BulkPart[] = [];
  entries = 0;
  bytes = 0;
  largestValue = { key: '', bytes: 0 };
  private fd = -1;
  private partEntries = 0;
  private partBytes = 0;
  private hash = createHash('sha256');

  /** @param onPart called with each part's path once it is complete (in the scratch folder). */
  constructor(readonly outDir: string, private readonly onPart?: (file: string) => void) {
    this.scratch = join(dirname(outDir), `.${basename(outDir)}.building-${process.pid}`);
    rmSync(this.scratch, { recursive: true, force: true });
    mkdirSync(join(this.scratch, 'kv'), { recursive: true });
  }

  /** Adds one KV entry (value as text). */
  put(key: string, value: string): void {
    if (key.length > 512) throw new Error(`KV key over 512 bytes: ${key.slice(0, 80)}…`);
    const line = JSON.stringify({ key, value });
    const size = Buffer.byteLength(line);
    if (this.fd < 0 || this.partEntries >= MAX_ENTRIES_PER_PART || this.partBytes + size > MAX_BYTES_PER_PART) {
      this.openPart();
    }
    this.write((this.partEntries === 0 ? '[\n' : ',\n') + line);
    this.partEntries++;
    this.partBytes += size;
    this.entries++;
    const valueBytes = Buffer.byteLength(value);
    this.bytes += valueBytes + Buffer.byteLength(key);
    if (valueBytes > this.largestValue.bytes) this.largestValue = { key, bytes: valueBytes };
  }

  /** Writes a file (the manifest) next to the bulk parts. */
  file(name: string, text: string): void {
    const fd = openSync(join(this.scratch, name), 'w');
    writeSync(fd, text);
    closeSync(fd);
  }

  /** Closes the last part and moves the scratch folder into place, replacing the old output. */
  commit(): void {
    this.closePart();
    const old = `${this.outDir}.old-${process.pid}`;
    if (existsSync(this.outDir)) renameSync(this.outDir, old);
    renameSync(this.scratch, this.outDir);
    rmSync(old, { recursive: true, force: true });
  }

  /** Throws the scratch output away (on failure or interruption). */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private openPart(): void {
    this.closePart();
    const file = `kv/part-${String(this.parts.length + 1).padStart(4, '0')}.json`;
    this.fd = openSync(join(this.scratch, file), 'w');
    this.hash = createHash('sha256');
    this.parts.push({ file, entries: 0, bytes: 0, sha256: '' });
    this.partEntries = 0;
    this.partBytes = 0;
  }

  private closePart(): void {
    if (this.fd < 0) return;
    this.write('\n]\n');
    closeSync(this.fd);
    this.fd = -1;
    const part = this.parts[this.parts.length - 1]!;
    part.entries = this.partEntries;
    part.bytes = this.partBytes;
    part.sha256 = this.hash.digest('hex');
    this.onPart?.(join(this.scratch, part.file));
  }

  private write(text: string): void {
    const buf = Buffer.from(text);
    this.hash.update(buf);
    writeSync(this.fd, buf);
  }
}
