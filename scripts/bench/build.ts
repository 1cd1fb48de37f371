/**
 * Builds a benchmark index once and remembers what the build cost: the numbers are saved next
 * to the output, so a later run that reuses the index still reports them (with their date).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { BUILDER_ID, buildIndex, type BuildProgress, type BuildSummary } from '../../src/indexer/build-index';
import { REPLICA_SCHEME } from '../../src/indexer/replicas';
import { readManifest } from './sources';
import { log, maxRssBytes, RssSampler } from './util';

/** The build's own summary (BuildSummary), as saved beside the index, with what the bench adds. */
export interface BuildRecord extends Omit<BuildSummary, 'parts' | 'outDir'> {
  /** When the build ran (ISO), and whether this run did it. */
  builtAt: string;
  fresh: boolean;
  /** The builder that made it (BUILDER_ID): another one's build is stale. */
  builder?: string;
  parts: number;
  articlesPerSecond: number;
  /** Peak RSS as the OS and a 250 ms sampler saw it (the builder's own samples: peakRssBytes). */
  osMaxRssBytes: number;
  sampledPeakRssBytes: number;
  replicate: number;
  /** How replicas differ from their articles (replicas.ts), for a replicated build. */
  replicas?: string;
}

export interface EnsureOptions {
  inputs: string[];
  outDir: string;
  replicate: number;
  rebuild: boolean;
  /** Refuse to build (throw NoRoom) when the disk has less free space than this. */
  minFreeBytes?: number;
  freeBytes?: number;
}

/** Thrown when a build is needed but the disk has too little room for it. */
export class NoRoom extends Error {}

const recordFile = (outDir: string) => `${outDir}.build.json`;

/** Builds `outDir` unless it exists (and `rebuild` is off); returns the build's record. */
export async function ensureBuilt(o: EnsureOptions): Promise<BuildRecord> {
  if (!o.rebuild && existsSync(`${o.outDir}/manifest.json`)) {
    const saved = existsSync(recordFile(o.outDir)) ? (JSON.parse(readFileSync(recordFile(o.outDir), 'utf8')) as BuildRecord) : undefined;
    const version = readManifest(o.outDir).version;
    const scheme = o.replicate > 1 ? REPLICA_SCHEME : undefined;
    if (saved && saved.version === version && saved.builder === BUILDER_ID && saved.replicas === scheme) {
      log(`reusing ${o.outDir} (index ${version}, built ${saved.builtAt}); --rebuild to measure the build again`);
      return { ...saved, fresh: false };
    }
    log(saved && saved.version === version ? (saved.builder !== BUILDER_ID ? `${o.outDir} was built by another builder (${saved.builder ?? 'unrecorded'}): rebuilding` : `${o.outDir} holds replicas made otherwise (${saved.replicas ?? 'identical copies'}): rebuilding`) : `${o.outDir} exists but its build was not recorded: rebuilding`);
  }
  if (o.minFreeBytes !== undefined && o.freeBytes !== undefined && o.freeBytes < o.minFreeBytes) {
    throw new NoRoom(`only ${(o.freeBytes / 1024 ** 3).toFixed(1)} GB free, under the ${(o.minFreeBytes / 1024 ** 3).toFixed(0)} GB this build needs`);
  }
  return build(o);
}

async function build(o: EnsureOptions): Promise<BuildRecord> {
  log(`building ${o.inputs.join(', ')}${o.replicate > 1 ? ` ×${o.replicate}` : ''} into ${o.outDir} …`);
  const sampler = new RssSampler();
  let lastLog = 0;
  const onProgress = (p: BuildProgress) => {
    const now = performance.now();
    if (now - lastLog < 30_000) return;
    lastLog = now;
    log(`  build ${p.phase} ${p.done}${p.total ? `/${p.total}` : ''}, rss ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB`);
  };
  const s = await buildIndex({ inputs: o.inputs, outDir: o.outDir, skipInvalid: true, replicate: o.replicate, onProgress, log: (m) => log(`  ${m}`) });
  const sampled = sampler.stop();
  const record: BuildRecord = {
    builtAt: new Date().toISOString(),
    fresh: true,
    builder: BUILDER_ID,
    version: s.version,
    articles: s.articles,
    skipped: s.skipped,
    terms: s.terms,
    shards: s.shards,
    bigTerms: s.bigTerms,
    keys: s.keys,
    bytes: s.bytes,
    parts: s.parts.length,
    largestValue: s.largestValue,
    seconds: s.seconds,
    articlesPerSecond: s.articles / s.seconds,
    peakRssBytes: s.peakRssBytes,
    osMaxRssBytes: maxRssBytes(),
    sampledPeakRssBytes: sampled,
    replicate: o.replicate,
    ...(o.replicate > 1 ? { replicas: REPLICA_SCHEME } : {}),
  };
  writeFileSync(recordFile(o.outDir), JSON.stringify(record, null, 2) + '\n');
  log(`built ${s.articles} articles in ${s.seconds.toFixed(1)} s (${Math.round(record.articlesPerSecond)}/s), ${s.keys} keys, ${(s.bytes / 1048576).toFixed(1)} MB`);
  return record;
}
