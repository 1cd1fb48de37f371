/**
 * `npm start [-- <files or folders…>]`: builds the index (seeds/ by default), loads it into
 * the local KV that `wrangler dev` reads, and serves the Worker on http://127.0.0.1:8787.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { buildIndex } from '../src/build/build-index';
import { BahthError } from '../src/core/errors';
import { loadIntoKv, OFFLINE_ENV } from './kv-load';

const PERSIST = '.wrangler/state';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`Usage: npm start [-- [--skip-invalid] <file or folder>...]

Builds an index of the given articles (default: seeds/), loads it into the local KV
namespace and starts wrangler dev on http://127.0.0.1:8787 (PORT to change it).`);
    return;
  }
  const skipInvalid = args.includes('--skip-invalid');
  const inputs = args.filter((a) => !a.startsWith('--'));
  const outDir = resolve('dist');
  console.error(`bahth: building the index of ${inputs.length ? inputs.join(', ') : 'seeds/'} …`);
  const summary = await buildIndex({
    inputs: inputs.length ? inputs : ['seeds'],
    outDir,
    skipInvalid,
    onSkip: (e) => console.error(`skipped: ${e.message}`),
  });
  console.error(`bahth: index ${summary.version}: ${summary.articles} articles, ${summary.keys} keys, ${(summary.bytes / 1048576).toFixed(1)} MB in ${summary.seconds.toFixed(1)} s`);
  console.error('bahth: loading it into local KV …');
  loadIntoKv({ dist: outDir, persistTo: PERSIST });
  const port = process.env.PORT ?? '8787';
  console.error(`bahth: serving on http://127.0.0.1:${port}  (try /search?q=بوتين)`);
  const dev = spawn('npx', ['wrangler', 'dev', '--persist-to', PERSIST, '--port', port, '--ip', '127.0.0.1'], {
    stdio: 'inherit',
    env: { ...process.env, ...OFFLINE_ENV },
  });
  const stop = () => dev.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  dev.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((e: unknown) => {
  console.error(e instanceof BahthError ? e.message : e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
