/**
 * `npm run deploy`: build the index, upload the new version to the KV namespace, deploy the
 * Worker, switch the `manifest` key to the new version. Versions are immutable and live side by side, so a
 * rollback is one write of `manifest` (`--rollback <version>`). `--dry-run` shows every step
 * without doing it; `--local` works against wrangler's local KV (for trying it out and tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIndex, type BuildManifest } from '../src/indexer/build-index';
import { MANIFEST_KEY } from '../src/core/format/layout';
import { versionOf } from '../src/core/format/manifest';
import { leftEntry } from '../src/indexer/prune';
import { parseManifest } from '../src/core/search/reader';
import { OFFLINE_ENV } from './kv-load';
import { namespaceIdOf } from './local-kv';
import { userPath } from './lib/user-path';

const HELP = `Usage: npm run deploy -- [options] [<file or folder>...]

Builds the index (default input: seeds/), uploads the new version to the INDEX KV namespace,
deploys the Worker (with rate limiting on), and makes the version live by writing the
\`manifest\` key (in that order: the new Worker reads the live version's format too).

Options:
      --dry-run             print what would be done, change nothing
      --skip-build          upload the existing dist/ instead of building
      --no-house-styles     build without the outlets' own spellings (ترامب, ترمب) that
                            searches read as one another (docs/editor.md)
      --no-worker           upload and switch the index only; do not run \`wrangler deploy\`
      --local               use wrangler's local KV (with --persist-to) instead of Cloudflare
      --persist-to <dir>    local KV folder (default: .wrangler/state, what \`npm start\` uses)
      --list                list the index versions present in the namespace, and the live one
      --rollback <version>  make an earlier version live again (it must still be in the namespace)
  -h, --help                show this help

Remote use needs a Cloudflare API token (CLOUDFLARE_API_TOKEN) and the namespace id in
wrangler.toml. A dry run needs neither: it prints every step, marks those that would need
them, and changes nothing.`;

interface Options {
  dryRun: boolean;
  local: boolean;
  persistTo: string;
  /** Look for the house styles in the build (default true). */
  houseStyles: boolean;
  /** What remote steps need and this machine lacks (empty for --local). */
  missing: string[];
}

/** What a remote step needs that is not there: the API token, a real namespace id. */
function missingForRemote(): string[] {
  const missing: string[] = [];
  if (!process.env.CLOUDFLARE_API_TOKEN) missing.push('CLOUDFLARE_API_TOKEN');
  if (/^0+$/.test(namespaceIdOf('INDEX'))) missing.push('the INDEX namespace id in wrangler.toml');
  return missing;
}

/** A dry run's plan, numbered, on stdout. */
let dryRunSteps = 0;
const planned = (line: string): void => console.log(`${++dryRunSteps}. ${line}`);

function wrangler(o: Options, args: string[], opts: { mutates: boolean; capture?: boolean }): string {
  const full = [...args];
  if (args[0] === 'kv') full.push(...(o.local ? ['--local', '--persist-to', o.persistTo] : ['--remote']));
  const shown = `npx wrangler ${full.join(' ')}`;
  // A dry run without what Cloudflare needs reads nothing either: it names what is missing.
  if (o.dryRun && (opts.mutates || o.missing.length > 0)) {
    const needs = o.missing.length > 0 ? `   [needs ${o.missing.join(' and ')}]` : '';
    planned(`${opts.mutates ? 'would run' : 'would read'}: ${shown}${needs}`);
    return '';
  }
  console.error(`run: ${shown}`);
  const r = spawnSync('npx', ['wrangler', ...full], { encoding: 'utf8', env: { ...process.env, ...OFFLINE_ENV }, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && /set a CLOUDFLARE_API_TOKEN/.test(r.stderr)) {
    throw new Error('wrangler needs CLOUDFLARE_API_TOKEN here: create an API token (https://developers.cloudflare.com/fundamentals/api/get-started/create-token/) and export it, or see every step with --dry-run, or use --local');
  }
  if (r.status !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The key of a version's manifest copy (`archive` or `archive.generation`). */
function copyKey(version: string): string {
  const [archive, generation] = version.split('.');
  return `m/${archive}/${generation ?? 0}`;
}

/** The versions whose manifest copy is in the namespace, and the live one. */
function versions(o: Options): { live?: string; present: string[] } {
  const listed = JSON.parse(wrangler(o, ['kv', 'key', 'list', '--binding', 'INDEX', '--prefix', 'm/'], { mutates: false }) || '[]') as { name: string }[];
  const present = listed.map((k) => /^m\/([^/]+)\/(\d+)$/.exec(k.name)).filter((m): m is RegExpExecArray => !!m).map((m) => versionOf({ archive: m[1]!, generation: Number(m[2]) }));
  let live: string | undefined;
  try {
    const raw = wrangler(o, ['kv', 'key', 'get', MANIFEST_KEY, '--binding', 'INDEX', '--text'], { mutates: false });
    live = raw.trim() ? versionOf(parseManifest(raw.trim())) : undefined;
  } catch {
    live = undefined;
  }
  return { live, present };
}

/**
 * Makes a version live: its manifest copy becomes the `manifest` key, and the archive it takes
 * out of service (`outgoing`, the live version) is marked with the time (prune.ts `leftEntry`:
 * `publish --prune` keeps the archive live last).
 */
function switchTo(o: Options, version: string, outgoing: string | undefined): void {
  const copy = o.dryRun ? '' : wrangler(o, ['kv', 'key', 'get', copyKey(version), '--binding', 'INDEX', '--text'], { mutates: false }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'bahth-switch-'));
  try {
    const file = join(dir, 'switch.json');
    writeFileSync(file, JSON.stringify([...leftEntry(outgoing?.split('.')[0], version.split('.')[0]!), { key: MANIFEST_KEY, value: copy }]));
    wrangler(o, ['kv', 'bulk', 'put', file, '--binding', 'INDEX'], { mutates: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      'no-house-styles': { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      list: { type: 'boolean', default: false },
      rollback: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const o: Options = { dryRun: values['dry-run'], local: values.local, persistTo: values['persist-to'] === undefined ? resolve('.wrangler/state') : userPath(values['persist-to']), houseStyles: !values['no-house-styles'], missing: values.local ? [] : missingForRemote() };
  if (!o.dryRun && o.missing.some((m) => m.includes('namespace id'))) {
    throw new Error('wrangler.toml still has the placeholder INDEX namespace id (000…): create the namespace with `npx wrangler kv namespace create INDEX` and put its id under [[kv_namespaces]] in wrangler.toml; or see every step with --dry-run, or use --local');
  }

  if (values.list) {
    const { live, present } = versions(o);
    for (const v of present) console.log(`${v}${v === live ? '  (live)' : ''}`);
    if (present.length === 0) console.log('no index versions in the namespace');
    return;
  }
  if (values.rollback) {
    const { live, present } = versions(o);
    if (!present.includes(values.rollback)) throw new Error(`version ${values.rollback} is not in the namespace (present: ${present.join(', ') || 'none'})`);
    console.error(`switching the live index from ${live ?? 'none'} to ${values.rollback}`);
    switchTo(o, values.rollback, live);
    return;
  }

  // A dry run still builds (to learn the version it would upload), but into a scratch folder;
  // with --skip-build it reads the dist/ a real run would upload (reading changes nothing).
  const scratch = o.dryRun && !values['skip-build'] ? mkdtempSync(join(tmpdir(), 'bahth-deploy-')) : undefined;
  const dist = scratch ? join(scratch, 'dist') : resolve('dist');
  try {
    await publish(o, dist, positionals, values['skip-build'], values['no-worker']);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  if (!o.dryRun) return;
  console.log(`dry run: nothing changed${o.missing.length ? '' : ' (the reads above ran)'}.`);
  if (o.missing.length > 0) {
    console.log(`Steps 2-${dryRunSteps} need ${o.missing.join(' and ')}:`);
    if (o.missing.includes('CLOUDFLARE_API_TOKEN')) console.log('  - CLOUDFLARE_API_TOKEN: an API token with Workers KV Storage and Workers Scripts edit rights (https://developers.cloudflare.com/fundamentals/api/get-started/create-token/), exported in the shell');
    if (o.missing.some((m) => m.includes('namespace id'))) console.log('  - the namespace id: `npx wrangler kv namespace create INDEX`, then its id as `id` under [[kv_namespaces]] binding = "INDEX" in wrangler.toml');
  }
}

async function publish(o: Options, dist: string, positionals: string[], skipBuild: boolean, noWorker: boolean): Promise<void> {
  if (!skipBuild) {
    console.error(`building the index of ${positionals.length ? positionals.join(', ') : 'seeds/'} …`);
    // Read where they were typed (npm run runs this from the project root); shown as typed.
    const s = await buildIndex({ inputs: positionals.length ? positionals.map(userPath) : ['seeds'], outDir: dist, houseStyles: o.houseStyles, log: (m) => console.error(m) });
    console.error(`built ${s.version}: ${s.articles} articles, ${s.keys} keys`);
    if (o.dryRun) planned(`build the index of ${positionals.length ? positionals.join(', ') : 'seeds/'}: version ${s.version}, ${s.keys} keys in ${s.parts.length} bulk file(s) (done now, into a scratch folder that is removed)`);
  } else if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`--skip-build: no ${join(dist, 'manifest.json')}; build first (npm run build:index)`);
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as BuildManifest;
  const { live, present } = versions(o);
  if (present.includes(manifest.version)) {
    console.error(`version ${manifest.version} is already in the namespace: not uploading it again`);
  } else {
    // Every key of the new version first; readers see none of it until the switch.
    for (const part of manifest.parts) wrangler(o, ['kv', 'bulk', 'put', join(dist, part.file), '--binding', 'INDEX'], { mutates: true });
  }
  // The Worker before the switch: a new Worker reads the archive that is live (it reads every
  // earlier format, layout.ts READABLE_FORMATS), while an old one cannot read a newer format
  // (format 8's deflated values), and would answer 503 from the switch until its deploy.
  if (!noWorker) wrangler(o, ['deploy', '--var', 'RATE_LIMIT:on'], { mutates: true });
  const from = live ?? (o.dryRun && o.missing.length > 0 ? 'the live version (not read)' : 'none');
  console.error(`switching the live index: ${from} → ${manifest.version} (${copyKey(manifest.version)})`);
  switchTo(o, manifest.version, live);
  if (!o.dryRun) {
    console.error(`done. Roll back with: npm run deploy -- --rollback ${live ?? '<version>'}${o.local ? ' --local' : ''}`);
    const older = new Set(present.map((v) => v.split('.')[0]));
    older.delete(manifest.version.split('.')[0]);
    if (older.size >= 2) console.error(`${older.size} older index archives are still in the namespace; delete all but the one live before with: npm run publish -- --prune ${o.local ? '--local' : '--remote'} (--dry-run first)`);
  }
}

main().catch((e: unknown) => {
  console.error(`deploy: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
