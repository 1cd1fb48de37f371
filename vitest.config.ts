import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: './src/worker/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            // Tests switch manifests and corrupt values: re-read the manifest on every request.
            miniflare: { bindings: { MANIFEST_TTL_MS: '0' } },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['./test/worker/global-setup.ts'],
          // Loading a few thousand KV entries per file can be slow on a busy 2-core machine.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // Builds an index, starts workerd and Chromium once per file; a busy CI machine is slow.
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
