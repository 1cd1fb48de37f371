/**
 * `npm run analytics -- top|zero|missing|clicks|typing [--days N]`: what readers search for, from the search
 * analytics a deployed Worker writes to Workers Analytics Engine (docs/analytics.md), through the
 * SQL API, as tables. `--dry-run` prints the SQL and reaches nothing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COLUMNS, DATASET_NAME, DESCRIPTIONS, REPORTS, sql, type Report } from './analytics/queries';
import { runSql, SqlApiError } from './analytics/sql-api';
import { table } from './analytics/table';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_API = 'https://api.cloudflare.com/client/v4';

const HELP = `Usage: npm run analytics -- <report> [options]

Reports (the last --days days):
${REPORTS.map((r) => `  ${r.padEnd(7)} ${DESCRIPTIONS[r]}`).join('\n')}

Options:
      --days <n>        days back from now, 1-90 (default 7; Analytics Engine keeps 3 months)
      --limit <n>       rows, 1-1000 (default 20)
      --dataset <name>  the dataset (default: the SEARCH_EVENTS dataset of wrangler.toml)
      --dry-run         print the SQL, query nothing (needs no credentials)
      --json            print the rows as JSON instead of a table
  -h, --help            this help

Environment:
  CLOUDFLARE_ACCOUNT_ID   the account the Worker runs in
  CLOUDFLARE_API_TOKEN    a token with Account Analytics: Read
  BAHTH_ANALYTICS_API     the API base (default ${DEFAULT_API})`;

/** Where a run prints, and what it reads: the process's own, or a test's. */
export interface Io {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  fetch?: typeof fetch;
}

/** The dataset of the SEARCH_EVENTS binding in wrangler.toml. */
export function datasetOf(toml: string): string | undefined {
  for (const block of toml.split(/^\[\[analytics_engine_datasets\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\[/m)[0]!;
    if (/^binding\s*=\s*"SEARCH_EVENTS"/m.test(body)) return /^dataset\s*=\s*"([^"]+)"/m.exec(body)?.[1];
  }
  return undefined;
}

function whole(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new UsageError(`--${name} takes a whole number from 1 to ${max}, not ${JSON.stringify(raw)}`);
  return n;
}

class UsageError extends Error {}

/** Runs the command; returns the exit code. */
export async function analytics(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        days: { type: 'string' }, limit: { type: 'string' }, dataset: { type: 'string' },
        'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const report = positionals[0] as Report | undefined;
    if (!report || !REPORTS.includes(report) || positionals.length > 1) throw new UsageError(`name one report: ${REPORTS.join(', ')}${positionals.length ? ` (not ${positionals.join(' ')})` : ''}`);
    const dataset = values.dataset ?? datasetOf(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'));
    if (!dataset) throw new UsageError('wrangler.toml binds no SEARCH_EVENTS dataset: give --dataset');
    if (!DATASET_NAME.test(dataset)) throw new UsageError(`--dataset ${JSON.stringify(dataset)} is not a dataset name (letters, digits, _)`);
    const days = whole(values.days, 'days', 7, 90);
    const limit = whole(values.limit, 'limit', 20, 1000);
    const query = sql(report, { dataset, days, limit });
    if (values['dry-run']) {
      io.out(`-- ${report}: ${DESCRIPTIONS[report]}\n-- POST ${io.env.BAHTH_ANALYTICS_API ?? DEFAULT_API}/accounts/$CLOUDFLARE_ACCOUNT_ID/analytics_engine/sql\n${query}`);
      return 0;
    }
    const account = io.env.CLOUDFLARE_ACCOUNT_ID;
    const token = io.env.CLOUDFLARE_API_TOKEN;
    const missing = [account ? '' : 'CLOUDFLARE_ACCOUNT_ID', token ? '' : 'CLOUDFLARE_API_TOKEN'].filter(Boolean);
    if (missing.length) throw new UsageError(`set ${missing.join(' and ')} (a token with Account Analytics: Read), or use --dry-run to see the SQL`);
    const result = await runSql(query, { api: io.env.BAHTH_ANALYTICS_API ?? DEFAULT_API, account: account!, token: token!, fetch: io.fetch });
    if (values.json) io.out(JSON.stringify(result.data, null, 2));
    else io.out(`${report}, the last ${days} day${days === 1 ? '' : 's'} (${dataset}): ${result.data.length} row${result.data.length === 1 ? '' : 's'}\n\n${table(COLUMNS[report], result.data)}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SqlApiError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`analytics: ${(e as Error).message}`);
      return e instanceof SqlApiError ? 1 : 2;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  analytics(process.argv.slice(2), { env: process.env, out: (t) => console.log(t), err: (t) => console.error(t) }).then((code) => process.exit(code));
}
