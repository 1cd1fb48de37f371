/**
 * Which browser the widget tests get: CHROMIUM_PATH, then /usr/bin/chromium, then the packaged
 * one; and a message that says what to do when there is none. The real browser is started by
 * widget.test.ts; here the file system and the package are stand-ins.
 */
import { describe, expect, it } from 'vitest';
import { findChromium, NoBrowser, SYSTEM_CHROMIUM } from './chromium';

const packaged = async () => ({ executablePath: '/cache/chromium', args: ['--single-process', '--font-render-hinting=none', '--disable-web-security', '--no-sandbox'] });
const noPackage = async (): Promise<never> => {
  throw new Error("Cannot find package '@sparticuz/chromium'");
};
const files = (...present: string[]) => (p: string) => present.includes(p);

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, even with a system Chromium present', async () => {
    const found = await findChromium({ env: { CHROMIUM_PATH: '/opt/chrome' }, exists: files('/opt/chrome', SYSTEM_CHROMIUM), unpackPackaged: packaged });
    expect(found).toMatchObject({ executablePath: '/opt/chrome', source: 'CHROMIUM_PATH' });
  });

  it('fails on a CHROMIUM_PATH that does not exist instead of falling back', async () => {
    await expect(findChromium({ env: { CHROMIUM_PATH: '/nope' }, exists: files(SYSTEM_CHROMIUM), unpackPackaged: packaged })).rejects.toThrow(/CHROMIUM_PATH=\/nope does not exist/);
  });

  it('takes the system Chromium when CHROMIUM_PATH is unset', async () => {
    const found = await findChromium({ env: {}, exists: files(SYSTEM_CHROMIUM), unpackPackaged: packaged });
    expect(found).toMatchObject({ executablePath: SYSTEM_CHROMIUM, source: 'system' });
    expect(found.args).toContain('--no-sandbox');
  });

  it('takes the packaged Chromium on a bare machine, less its Lambda flags that break the tests', async () => {
    const found = await findChromium({ env: {}, exists: files(), unpackPackaged: packaged });
    expect(found).toMatchObject({ executablePath: '/cache/chromium', source: 'packaged' });
    expect(found.args).toContain('--font-render-hinting=none');
    expect(found.args).not.toContain('--single-process');
    expect(found.args).not.toContain('--disable-web-security');
    expect(found.args.filter((a) => a === '--no-sandbox')).toHaveLength(1);
  });

  it('fails with what to do when there is no browser at all', async () => {
    const err = await findChromium({ env: {}, exists: files(), unpackPackaged: noPackage }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoBrowser);
    expect((err as Error).message).toMatch(/no Chromium found .*set CHROMIUM_PATH.*npm ci/);
  });
});
