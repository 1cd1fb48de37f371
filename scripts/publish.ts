/**
 * `npm run publish -- [--local | --remote] <files…> [--delete <id,…>]`: adds, replaces and
 * removes articles in the live archive by writing one small delta segment and a new manifest,
 * folding deltas together when the compaction policy says so. See src/indexer/publish.ts.
 * `--synonyms <file>` and `--rules <file>` publish the editor's settings: one KV value each,
 * live without a rebuild (src/indexer/settings-files.ts, docs/editor.md).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Article } from '../src/core/article';
import { ARTICLE_ID_PATTERN } from '../src/core/article';
import { BahthError } from '../src/core/errors';
import { FutureDates, IgnoredFields, readArticles } from '../src/indexer/ingest/index';
import { withLock } from './lock';
import { userPath } from './lib/user-path';
import { DEFAULT_POLICY, executePlan, planPublish, readLiveManifest, type CompactionPolicy, type CompactMode, type KvStore, type PublishPlan } from '../src/indexer/publish';
import { pruneArchives } from '../src/indexer/prune';
import { planSettings, publishSettings, type SettingsWrite } from '../src/indexer/settings-files';
import { Archive, AttributeCache } from '../src/core/search/archive';
import { ReadStats } from '../src/core/search/source';
import { ValueStore } from '../src/core/search/store';
import type { StoredRules } from '../src/core/settings/format';
import { unsealValue } from '../src/core/format/layout';
import { versionOf, type ArchiveManifest } from '../src/core/format/manifest';
import { LocalKv, RemoteKv } from './kv-stores';

const HELP = `Usage: npm run publish -- [options] [<file or folder>...]

Publishes a change to the live archive without rebuilding it: the articles in the files are
added (or replace the live article with the same id), --delete removes ids. Only what the change
needs is written: the new articles, one small delta segment, and the manifest (last). When the
deltas pass the compaction policy they are folded into one merged segment in the same publish.

Input: as npm run build:index (.txt pages, .jsonl, .jsonl.gz; folders recursively).

Options:
      --local                  wrangler's local KV, which npm start serves from (the default)
      --persist-to <dir>       its folder (default: .wrangler/state, as npm start uses)
      --remote                 the Cloudflare namespace of wrangler.toml (needs CLOUDFLARE_API_TOKEN
                               and CLOUDFLARE_ACCOUNT_ID)
      --delete <id,...>        remove these article ids (repeatable)
      --delete-file <file>     remove the ids listed in a file, one per line
      --synonyms <file>        publish the synonyms file (one KV write; see docs/editor.md)
      --rules <file>           publish the rules file: pins, hides and boosts (one KV write)
      --compact [merge|full]   fold now: the deltas into the merged segment (merge, the default)
                               or everything into a new base (full)
      --no-compact             never fold in this publish
      --max-deltas <n>         fold the deltas once there are more than n (default ${DEFAULT_POLICY.maxDeltas})
      --max-delta-bytes <n>    ... or once they pass n bytes (default ${DEFAULT_POLICY.maxDeltaBytes})
      --full-ratio <r>         fold everything into a new base once merged docs pass r × the
                               base's (default ${DEFAULT_POLICY.fullRatio})
      --gc                     delete segments no manifest names (failed or raced publishes)
      --prune                  delete older index versions (archives a full build or deploy left
                               behind): all but the live one and the --keep live last before it;
                               names each with its keys, and what the deletes cost
      --keep <n>               archives --prune keeps besides the live one (default 1, at least 1:
                               readers may still be on it, and deploy --rollback needs it)
      --unfinished             with --prune: also uploads that never finished (keys of an archive
                               with no manifest copy); only while no deploy is uploading, which
                               looks the same (it lists every article key: slow at a million)
      --skip-invalid           skip bad rows (reported with file and line) instead of failing
      --dry-run                show what would be written; write nothing
  -q, --quiet                  no progress lines
  -h, --help                   show this help

Examples:
  npm run publish -- --local docs/examples/new-articles.jsonl
  npm run publish -- --local --delete ant2:AL-culture-1-20180218
  npm run publish -- --remote --compact full
  npm run publish -- --remote --prune --dry-run
  npm run publish -- --local --synonyms docs/examples/synonyms.txt --rules docs/examples/rules.json`;

/** Workers KV on the Paid plan, past its included million writes a month (cloudflare.com/plans). */
const DOLLARS_PER_MILLION_WRITES = 5;

interface Cli {
  inputs: string[];
  remove: string[];
  remote: boolean;
  persistTo: string;
  compact: CompactMode;
  policy: Partial<CompactionPolicy>;
  gc: boolean;
  /** Archives kept besides the live one by --prune; undefined: no prune. */
  prune?: number;
  unfinished: boolean;
  skipInvalid: boolean;
  dryRun: boolean;
  quiet: boolean;
  settings: SettingsWrite[];
}

function fail(message: string): never {
  throw new BahthError('INPUT_INVALID', message);
}

function number(name: string, v: string | undefined, min: number, whole = false): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n) || n < min || (whole && !Number.isInteger(n))) fail(`--${name} must be a ${whole ? 'whole number' : 'number'} ≥ ${min}, not "${v}"`);
  return n;
}

/** Ids of a --delete-file, one per line; a bad one is named with its line. */
function idsOfFile(file: string): string[] {
  if (!existsSync(file)) fail(`--delete-file ${file}: no such file`);
  const out: string[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const id = raw.trim();
    if (!id || id.startsWith('#')) return;
    if (!ARTICLE_ID_PATTERN.test(id)) fail(`${file}:${i + 1}: "${id.slice(0, 80)}" is not an article id (letters, digits and . _ : ~ -, at most 128)`);
    out.push(id);
  });
  return out;
}

function parse(argv: string[]): Cli | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        local: { type: 'boolean', default: false },
        remote: { type: 'boolean', default: false },
        'persist-to': { type: 'string' },
        delete: { type: 'string', multiple: true },
        'delete-file': { type: 'string', multiple: true },
        synonyms: { type: 'string' },
        rules: { type: 'string' },
        compact: { type: 'boolean', default: false },
        'no-compact': { type: 'boolean', default: false },
        'max-deltas': { type: 'string' },
        'max-delta-bytes': { type: 'string' },
        'full-ratio': { type: 'string' },
        gc: { type: 'boolean', default: false },
        prune: { type: 'boolean', default: false },
        keep: { type: 'string' },
        unfinished: { type: 'boolean', default: false },
        'skip-invalid': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  if (values.local && values.remote) fail('choose one of --local and --remote');
  // `--compact full` / `--compact merge`: the mode comes as the next positional.
  let inputs = positionals;
  let compact: CompactMode = 'auto';
  if (values['no-compact']) compact = 'none';
  if (values.compact && values['no-compact']) fail('choose one of --compact and --no-compact');
  if (values.compact) {
    compact = 'merge';
    const at = argv.indexOf('--compact');
    const next = argv[at + 1];
    if (next === 'merge' || next === 'full') {
      compact = next;
      inputs = positionals.filter((p, i) => !(p === next && i === positionals.indexOf(next)));
    } else if (next !== undefined && !next.startsWith('-') && !existsSync(userPath(next))) {
      fail(`--compact takes merge or full (alone: merge), not "${next.slice(0, 40)}"`);
    }
  }
  // Paths typed are read where they were typed (npm run runs this from the project root).
  inputs = inputs.map(userPath);
  const persistTo = values['persist-to'] === undefined ? resolve('.wrangler/state') : userPath(values['persist-to']);
  const remove = [...(values.delete ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean), ...(values['delete-file'] ?? []).map(userPath).flatMap(idsOfFile)];
  for (const id of remove) if (!ARTICLE_ID_PATTERN.test(id)) fail(`--delete: "${id.slice(0, 80)}" is not an article id`);
  const policy: Partial<CompactionPolicy> = {};
  const maxDeltas = number('max-deltas', values['max-deltas'], 0, true);
  const maxDeltaBytes = number('max-delta-bytes', values['max-delta-bytes'], 0, true);
  const fullRatio = number('full-ratio', values['full-ratio'], 0);
  if (maxDeltas !== undefined) policy.maxDeltas = maxDeltas;
  if (maxDeltaBytes !== undefined) policy.maxDeltaBytes = maxDeltaBytes;
  if (fullRatio !== undefined) policy.fullRatio = fullRatio;
  // The editor's files are checked before anything is read or written.
  const settings = planSettings({
    ...(values.synonyms !== undefined ? { synonyms: { file: values.synonyms, text: textOf(userPath(values.synonyms), '--synonyms') } } : {}),
    ...(values.rules !== undefined ? { rules: { file: values.rules, text: textOf(userPath(values.rules), '--rules') } } : {}),
  });
  if (values.keep !== undefined && !values.prune) fail('--keep is an option of --prune: give --prune too');
  if (values.unfinished && !values.prune) fail('--unfinished is an option of --prune: give --prune too');
  const keep = number('keep', values.keep, 1, true);
  if (inputs.length === 0 && remove.length === 0 && compact === 'auto' && !values.gc && !values.prune && settings.length === 0) fail('nothing to publish: give files of articles, --delete ids, --compact, --gc, --prune, --synonyms or --rules (see --help)');
  // A mistyped folder would be created empty (and found to hold no index): say so instead.
  if (!values.remote && !existsSync(persistTo)) fail(`--persist-to ${values['persist-to'] ?? '.wrangler/state'}: no such folder (npm start fills .wrangler/state, the default)`);
  return {
    inputs, remove, remote: values.remote, persistTo, compact, policy,
    gc: values.gc, ...(values.prune ? { prune: keep ?? 1 } : {}), unfinished: values.unfinished, skipInvalid: values['skip-invalid'], dryRun: values['dry-run'], quiet: values.quiet, settings,
  };
}

function textOf(file: string, flag: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) fail(`${flag} ${file}: no such file`);
  return readFileSync(file, 'utf8');
}

/** Warns of the rules' article ids the live archive does not have (a rule may come before its article). */
async function unknownIds(store: KvStore, live: ArchiveManifest, writes: SettingsWrite[], log: (m: string) => void): Promise<void> {
  const w = writes.find((x) => x.key === 'settings/rules');
  if (!w) return;
  const stored = JSON.parse(unsealValue(w.value)!) as StoredRules;
  const archive = new Archive(live, new ValueStore(store, 64 * 1024 * 1024), new AttributeCache());
  for (const r of stored.rules) {
    for (const id of [...(r.pin ?? []).map((p) => p.id), ...(r.hide ?? [])]) {
      if ((await archive.docOfId(id, new ReadStats())) === undefined) log(`warning: ${stored.file}:${r.line}: rule "${r.id}": article ${id} is not in the archive (the rule applies to it once it is)`);
    }
  }
}

function describe(plan: PublishPlan): string {
  const s = plan.summary;
  const parts = [`${s.added} added`, `${s.replaced} replaced`, `${s.removed} deleted`];
  if (s.unchanged) parts.push(`${s.unchanged} unchanged (skipped)`);
  return parts.join(', ');
}

/** Deletes segments of the archive that no manifest names and no publish can still be writing. */
async function collectGarbage(store: KvStore, live: ArchiveManifest, dryRun: boolean, log: (m: string) => void): Promise<number> {
  const named = new Set([...live.segments.map((s) => s.id), ...(live.retired ?? []).flatMap((r) => r.segments)]);
  const doomed: string[] = [];
  const orphans = new Set<string>();
  for (const key of await store.list(`s/${live.archive}.`)) {
    const id = key.slice(2, key.indexOf('/', 2));
    const generation = Number(id.split('.')[1]);
    // A segment of a later generation may be a publish in progress elsewhere.
    if (named.has(id) || !(generation <= live.generation)) continue;
    orphans.add(id);
    doomed.push(key);
  }
  log(`gc: ${orphans.size} segment(s) no manifest names, ${doomed.length} keys${dryRun ? ' (dry run: kept)' : ''}`);
  if (!dryRun) await store.deleteMany(doomed);
  return doomed.length;
}

/** Deletes older archives (src/indexer/prune.ts); says what it kept, what it deleted and what that saves. */
async function prune(store: KvStore, o: { keep: number; unfinished: boolean; dryRun: boolean }, remote: boolean, log: (m: string) => void): Promise<void> {
  const { dryRun } = o;
  const r = await pruneArchives(store, { ...o, log });
  log(`prune: kept ${r.kept.map((a, i) => `${a.archive}${i === 0 ? ' (live)' : ''}`).join(', ')}`);
  if (r.dropped.length === 0) {
    console.log('prune: no older index versions to delete');
    return;
  }
  const deletes = `${r.keys.toLocaleString('en')} key deletes`;
  // KV bills a delete as a write; storage by the GB-month (docs/architecture.md, costs).
  const cost = remote ? ` (as writes past the Paid plan's included million: $${((r.keys * DOLLARS_PER_MILLION_WRITES) / 1e6).toFixed(4)}; each archive's values stop costing $0.50 a GB-month)` : '';
  console.log(`prune: ${dryRun ? 'would delete' : 'deleted'} ${r.dropped.length} archive(s) (${r.dropped.map((a) => a.archive).join(', ')}): ${deletes}${cost}`);
}

async function main(): Promise<void> {
  const cli = parse(process.argv.slice(2));
  if (!cli) return;
  const log = (m: string) => { if (!cli.quiet) console.error(m); };
  const started = performance.now();
  const add: Article[] = [];
  if (cli.inputs.length) {
    const future = new FutureDates();
    const ignored = new IgnoredFields();
    for await (const a of readArticles(cli.inputs, { skipInvalid: cli.skipInvalid, onSkip: (e) => log(`skipped: ${e.message}`), onIgnored: ignored.add })) {
      add.push(a);
      future.add(a);
    }
    const dated = future.message();
    if (dated) log(dated);
    const unread = ignored.message();
    if (unread) log(unread);
    if (add.length === 0 && cli.remove.length === 0) fail(`no articles in ${cli.inputs.join(', ')}`);
  }
  const where = cli.remote ? 'the Cloudflare namespace' : `local KV (${cli.persistTo})`;
  const lock = cli.remote ? resolve('.wrangler/bahth-publish.lock') : join(cli.persistTo, 'bahth-publish.lock');
  await withLock(lock, log, async () => {
    const store = cli.remote ? RemoteKv.fromEnv() : await LocalKv.open(cli.persistTo);
    try {
      let live: ArchiveManifest;
      try {
        live = await readLiveManifest(store);
      } catch (e) {
        if (!cli.remote && e instanceof BahthError && e.code === 'INDEX_UNAVAILABLE') fail(`nothing is published in ${where}: run npm start (or npm run deploy -- --local) first`);
        throw e;
      }
      log(`publish: ${where} is at ${versionOf(live)} (${live.stats.docs} articles, ${live.segments.length} segment(s))`);
      if (add.length || cli.remove.length || cli.compact !== 'auto') {
        const plan = await planPublish({ source: store, add, remove: cli.remove, compact: cli.compact, policy: cli.policy });
        if (!plan.manifest) {
          log(`publish: nothing changed (${describe(plan)})`);
        } else {
          const s = plan.summary;
          const kb = (s.bytes / 1024).toFixed(1);
          const compaction = s.compaction ? `; ${s.compaction.kind === 'full' ? 'folded everything into a new base' : `folded ${s.compaction.merged.length} segments into one`} (${s.compaction.keys} keys, ${s.compaction.purged} dead docs purged)` : '';
          log(`publish: ${describe(plan)}: ${s.keys + 1} keys (${s.articleKeys} articles), ${kb} KB${compaction}`);
          if (cli.dryRun) {
            for (const w of plan.writes.slice(0, 50)) console.log(`would write ${w.key} (${w.value.length} chars)`);
            if (plan.writes.length > 50) console.log(`… and ${plan.writes.length - 50} more`);
            console.log(`would write manifest → ${versionOf(plan.manifest)}`);
          } else {
            const result = await executePlan(store, plan, { onProgress: (done, total) => { if (total > 200) log(`publish: ${done}/${total} keys written`); } });
            const writes = s.keys + 1 + result.collected;
            const seconds = (performance.now() - started) / 1000;
            console.log(`published ${versionOf(plan.manifest)} in ${seconds.toFixed(1)} s: ${describe(plan)}; ${writes} KV writes${result.collected ? ` (${result.collected} deletes of retired keys)` : ''}, ${kb} KB; ` +
              `${plan.manifest.segments.length} segment(s), ${plan.manifest.stats.docs} articles live. ` +
              `Cost past the Paid plan's included writes: $${((writes * DOLLARS_PER_MILLION_WRITES) / 1e6).toFixed(5)}.`);
          }
        }
      }
      if (cli.gc) await collectGarbage(store, await readLiveManifest(store), cli.dryRun, log);
      if (cli.prune !== undefined) await prune(store, { keep: cli.prune, unfinished: cli.unfinished, dryRun: cli.dryRun }, cli.remote, log);
      if (cli.settings.length) {
        await unknownIds(store, await readLiveManifest(store), cli.settings, log);
        const what = cli.settings.map((w) => `${w.key} (${w.count} ${w.key.endsWith('rules') ? 'rules' : 'entries'}, ${(w.value.length / 1024).toFixed(1)} KB)`).join(' and ');
        if (cli.dryRun) console.log(`would write ${what}`);
        else {
          await publishSettings(store, cli.settings);
          console.log(`published ${what}: ${cli.settings.length} KV write${cli.settings.length > 1 ? 's' : ''}, live at each isolate's next read of the settings (within MANIFEST_TTL_MS).`);
        }
      }
    } finally {
      await store.close();
    }
  }, { fail });
}

main().catch((e: unknown) => {
  console.error(e instanceof BahthError ? e.message : e instanceof Error ? `publish: ${e.message}` : String(e));
  process.exit(1);
});
