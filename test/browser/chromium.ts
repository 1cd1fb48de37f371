/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set, the system's
 * /usr/bin/chromium when present, otherwise the one packaged in `@sparticuz/chromium` (a
 * devDependency: `npm ci` brings it, nothing is downloaded). The packaged browser is unpacked once
 * into node_modules/.cache/bahth-chromium. Never a silent skip: when no browser can be found or
 * started, the suite fails with a message that says what to do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const PACKAGE = '@sparticuz/chromium';
const WHAT_TO_DO = `set CHROMIUM_PATH to a Chromium binary, install one at ${SYSTEM_CHROMIUM} (apt-get install -y chromium), or run \`npm ci\` to get the packaged ${PACKAGE}`;

/** Flags for a desktop Chromium (system or CHROMIUM_PATH) run headless in a container. */
const DESKTOP_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/**
 * Of the packaged browser's own flags (made for AWS Lambda), those left out: the two that switch
 * off the web's security model (the tests check a cross-origin embed), and `--single-process`,
 * with which closing one test's page ends the browser for the next.
 */
const DROPPED_ARGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'packaged';

export interface FoundChromium {
  executablePath: string;
  args: string[];
  source: ChromiumSource;
}

export interface FindOptions {
  env?: Record<string, string | undefined>;
  exists?: (path: string) => boolean;
  /** Unpacks the packaged browser; throws when the package is missing. */
  unpackPackaged?: () => Promise<{ executablePath: string; args: string[] }>;
}

/** No browser to run the tests with; the message says what to do. */
export class NoBrowser extends Error {
  override name = 'NoBrowser';
}

/**
 * Picks the browser: CHROMIUM_PATH, then /usr/bin/chromium, then the packaged one.
 *
 * @example const { executablePath, args } = await findChromium();
 */
export async function findChromium(o: FindOptions = {}): Promise<FoundChromium> {
  const env = o.env ?? process.env;
  const exists = o.exists ?? existsSync;
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!exists(fromEnv)) throw new NoBrowser(`browser tests: CHROMIUM_PATH=${fromEnv} does not exist; point it at a Chromium binary, or unset it to use ${SYSTEM_CHROMIUM} or the packaged ${PACKAGE}`);
    return { executablePath: fromEnv, args: DESKTOP_ARGS, source: 'CHROMIUM_PATH' };
  }
  if (exists(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: DESKTOP_ARGS, source: 'system' };
  let packaged: { executablePath: string; args: string[] };
  try {
    packaged = await (o.unpackPackaged ?? unpackPackaged)();
  } catch (e) {
    throw new NoBrowser(`browser tests: no Chromium found (${firstLine(e)}); ${WHAT_TO_DO}`);
  }
  const args = [...packaged.args.filter((a) => !DROPPED_ARGS.has(a)), ...DESKTOP_ARGS.filter((a) => !packaged.args.includes(a))];
  return { executablePath: packaged.executablePath, args, source: 'packaged' };
}

/** Finds and starts the browser headless; a failure names the binary and what to do. */
export async function launchChromium(found?: FoundChromium): Promise<Browser> {
  found ??= await findChromium();
  try {
    return await chromium.launch({ executablePath: found.executablePath, args: found.args, headless: true, timeout: 30_000 });
  } catch (e) {
    const again = found.source === 'packaged' ? ` (or delete ${cacheRoot()} to unpack it again)` : '';
    throw new NoBrowser(`browser tests: could not start Chromium at ${found.executablePath} (${found.source}): ${firstLine(e)}; ${WHAT_TO_DO}${again}`);
  }
}

function cacheRoot(): string {
  return join(ROOT, 'node_modules/.cache/bahth-chromium');
}

/**
 * The packaged Chromium, unpacked into node_modules/.cache/bahth-chromium/<version>. The package
 * unpacks into the temp folder, so that runs in a child process whose temp folder is a scratch
 * folder, renamed into place when complete: an interrupted or concurrent unpack never leaves a
 * half-written browser behind.
 */
async function unpackPackaged(): Promise<{ executablePath: string; args: string[] }> {
  const { default: packaged } = await import('@sparticuz/chromium');
  const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
  const dir = join(cacheRoot(), version);
  if (!existsSync(join(dir, 'chromium'))) {
    const scratch = `${dir}.unpacking-${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    try {
      const script = `import('${PACKAGE}').then((m) => m.default.executablePath())`;
      const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, TMPDIR: scratch }, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0 || !existsSync(join(scratch, 'chromium'))) throw new Error(`unpacking ${PACKAGE} failed: ${(r.stderr || r.error?.message || 'no chromium binary').trim().split('\n')[0]}`);
      try {
        renameSync(scratch, dir);
      } catch (e) {
        // Another run unpacked it first: use theirs.
        if (!existsSync(join(dir, 'chromium'))) throw e;
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { executablePath: join(dir, 'chromium'), args: packaged.args };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).trim().split('\n')[0] ?? '';
}
