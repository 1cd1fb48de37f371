/**
 * The editor's settings as an isolate keeps them: both values read in one batch, once per TTL
 * (as the manifest is), compiled only when they changed. A value that is missing means no
 * such settings; one that cannot be read is reported and the settings in use are kept (an
 * editor's bad write must not take search down).
 */
import { BahthError } from '../errors';
import { fnv1a, unsealValue } from '../format/layout';
import { readKeys, type ReadStats, type ValueSource } from '../search/source';
import { rulesProblem, SETTINGS_KEYS, synonymsProblem, type StoredRules, type StoredSynonyms } from './format';
import { compileRules, NO_RULES, type RuleSet } from './rules';
import { compileSynonyms, NO_SYNONYMS, type SynonymTable } from './synonyms';

/** The settings one search applies. */
export interface EditorSettings {
  /** '' when there are none; else a hash of the stored values (answers cached under one version are not served under another). */
  readonly version: string;
  readonly synonyms: SynonymTable;
  readonly rules: RuleSet;
}

export const NO_SETTINGS: EditorSettings = Object.freeze({ version: '', synonyms: NO_SYNONYMS, rules: NO_RULES });

/** Reads one stored value; throws INDEX_CORRUPT naming the key when it cannot be used. */
function stored<T>(key: string, raw: string, problem: (v: unknown) => string | undefined): T {
  const json = unsealValue(raw);
  if (json === undefined) throw new BahthError('INDEX_CORRUPT', `${key} fails its checksum`, { key });
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new BahthError('INDEX_CORRUPT', `${key} is not valid JSON`, { key });
  }
  const p = problem(v);
  if (p) throw new BahthError('INDEX_CORRUPT', `${key} is malformed: ${p}`, { key });
  return v as T;
}

/** The settings of the two stored values (null: absent). */
export function settingsOf(synonyms: string | null, rules: string | null): EditorSettings {
  if (synonyms === null && rules === null) return NO_SETTINGS;
  return {
    version: fnv1a(`${synonyms ?? ''}\n${rules ?? ''}`),
    synonyms: synonyms === null ? NO_SYNONYMS : compileSynonyms(stored<StoredSynonyms>(SETTINGS_KEYS.synonyms, synonyms, synonymsProblem).entries),
    rules: rules === null ? NO_RULES : compileRules(stored<StoredRules>(SETTINGS_KEYS.rules, rules, rulesProblem).rules),
  };
}

export interface SettingsReaderOptions {
  /** How long a read is trusted (the Worker passes the manifest's TTL). Default 30 s. */
  ttlMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

/** Keeps the isolate's settings, reading them again once the TTL has passed. */
export class SettingsReader {
  private settings: EditorSettings = NO_SETTINGS;
  private raw?: string;
  private checkedAt = -Infinity;
  private pending?: Promise<EditorSettings>;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly source: ValueSource, options: SettingsReaderOptions = {}) {
    this.ttl = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
  }

  /** The settings in force: those read within the TTL, else read now. */
  async current(stats?: ReadStats): Promise<EditorSettings> {
    if (this.now() - this.checkedAt < this.ttl) return this.settings;
    this.pending ??= this.refresh(stats).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async refresh(stats?: ReadStats): Promise<EditorSettings> {
    try {
      const got = await readKeys(this.source, [SETTINGS_KEYS.synonyms, SETTINGS_KEYS.rules], stats);
      const synonyms = got.get(SETTINGS_KEYS.synonyms) ?? null;
      const rules = got.get(SETTINGS_KEYS.rules) ?? null;
      const raw = `${synonyms}\u0000${rules}`;
      if (raw !== this.raw) {
        this.settings = settingsOf(synonyms, rules);
        this.raw = raw;
      }
    } catch (e) {
      this.log(`keeping the settings in use (${this.settings.version || 'none'}): ${(e as Error).message}`);
    }
    this.checkedAt = this.now();
    return this.settings;
  }
}
