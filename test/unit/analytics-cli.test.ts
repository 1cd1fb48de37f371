/**
 * `npm run analytics` against a local stand-in for the Analytics Engine SQL API (Cloudflare itself
 * cannot be reached from here): the request it sends, the tables it prints, what it says when the
 * API or the command line is wrong, and a dry run that reaches nothing.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, datasetOf, type Io } from '../../scripts/analytics';
import { sql } from '../../scripts/analytics/queries';

interface Received { method: string; url: string; auth: string; type: string; body: string }

let server: Server;
let api: string;
const received: Received[] = [];
/** What the stand-in answers next: a status and a body. */
let answer: { status: number; body: string } = { status: 200, body: '{}' };

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? '', type: req.headers['content-type'] ?? '', body });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  api = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/client/v4`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { env: { CLOUDFLARE_ACCOUNT_ID: 'acc123', CLOUDFLARE_API_TOKEN: 'tok-secret', BAHTH_ANALYTICS_API: api, ...env }, out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  return { code: await analytics(argv, io), out, err };
}

/** The SQL API's JSON format: 64-bit sums may come as strings. */
const result = (data: Record<string, unknown>[]) => JSON.stringify({ meta: Object.keys(data[0] ?? {}).map((name) => ({ name, type: 'String' })), data, rows: data.length, rows_before_limit_at_least: data.length });

describe('npm run analytics against the SQL API', () => {
  it('posts the report\'s SQL to the account\'s analytics_engine/sql with the token, and prints a table', async () => {
    received.length = 0;
    answer = { status: 200, body: result([
      { query: 'بوتين', searches: '1204', found_nothing: '0', corrected: '3', mean_ms: 12.3456, opened: '310' },
      { query: 'الصين', searches: 87, found_nothing: 2, corrected: 0, mean_ms: 8, opened: 9 },
    ]) };
    const { code, out } = await run(['top', '--days', '3', '--limit', '5']);
    expect(code).toBe(0);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/client/v4/accounts/acc123/analytics_engine/sql');
    expect(r.auth).toBe('Bearer tok-secret');
    expect(r.body).toBe(sql('top', { dataset: 'bahth_search', days: 3, limit: 5 }));
    expect(out).toBe([
      'top, the last 3 days (bahth_search): 2 rows',
      '',
      'query  searches  found nothing  corrected  mean ms  hits opened',
      '-----  --------  -------------  ---------  -------  -----------',
      'بوتين     1,204              0          3     12.3          310',
      'الصين        87              2          0      8.0            9',
      '',
    ].join('\n'));
  });

  it('prints the queries that found nothing with the correction offered, and the hits opened', async () => {
    answer = { status: 200, body: result([{ query: 'ماركون', searches: '40', offered: 'ماكرون' }, { query: 'زززز', searches: '3', offered: '' }]) };
    const zero = await run(['zero']);
    expect(zero.out).toContain('query   searches  did you mean');
    expect(zero.out).toContain('ماركون        40  ماكرون');
    expect(zero.out).toContain('زززز           3  —');
    expect(received.at(-1)!.body).toContain("WHERE blob1 = 'search' AND double1 = 0 AND blob8 = '' AND timestamp > NOW() - INTERVAL '7' DAY");

    answer = { status: 200, body: result([{ words: 'ظغثقفخ', searches: '7', with_results: '5', query: 'بوتين ظغثقفخ' }]) };
    const missing = await run(['missing', '--days', '14']);
    expect(missing.out).toContain('words   searches  found something  a query');
    expect(missing.out).toContain('ظغثقفخ         7                5  بوتين ظغثقفخ');
    expect(received.at(-1)!.body).toContain("WHERE blob1 = 'search' AND blob7 != '' AND blob8 = '' AND timestamp > NOW() - INTERVAL '14' DAY");

    answer = { status: 200, body: result([{ query: 'بوتين', article: '001-8a7ac69372d375fc', opened: '12', mean_position: 1.75 }]) };
    const clicks = await run(['clicks', '--days', '30', '--json']);
    expect(JSON.parse(clicks.out)).toEqual([{ query: 'بوتين', article: '001-8a7ac69372d375fc', opened: '12', mean_position: 1.75 }]);
    expect(received.at(-1)!.body).toContain("WHERE blob1 = 'click' AND timestamp > NOW() - INTERVAL '30' DAY");

    // The keystrokes of a box that searches as the reader types: what their words were completed
    // to; the other reports leave them out (top counts only searches the reader finished).
    answer = { status: 200, body: result([{ completed: 'بوتين الكرملين', keystrokes: '52', typed: 'بوتين الكرم' }]) };
    const typing = await run(['typing']);
    expect(typing.out).toContain('completed to    keystrokes  typed, e.g.');
    expect(typing.out).toContain('بوتين الكرملين          52  بوتين الكرم');
    expect(received.at(-1)!.body).toContain("WHERE blob1 = 'search' AND blob8 != '' AND timestamp > NOW() - INTERVAL '7' DAY");
    expect(received.at(-1)!.body).toContain('GROUP BY completed');
    expect(sql('top', { dataset: 'd', days: 7, limit: 5 })).toContain("WHERE blob1 IN ('search', 'click') AND blob8 = '' AND");
  });

  it('says what the API said when it refuses, and exits 1', async () => {
    answer = { status: 403, body: '{"errors":[{"message":"Authentication error"}]}' };
    const r = await run(['top']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('analytics: the SQL API answered 403: {"errors":[{"message":"Authentication error"}]}');
    expect(r.err).not.toContain('tok-secret');
    answer = { status: 200, body: 'not json' };
    expect((await run(['top'])).err).toContain('not JSON');
  });

  it('says which credentials are missing, and reaches nothing', async () => {
    received.length = 0;
    const r = await run(['top'], { CLOUDFLARE_API_TOKEN: undefined });
    expect(r.code).toBe(2);
    expect(r.err).toContain('set CLOUDFLARE_API_TOKEN');
    expect(received).toEqual([]);
  });

  it('refuses a report it does not know, bad --days or --limit, and a dataset that is no name', async () => {
    for (const argv of [[], ['everything'], ['top', 'zero'], ['top', '--days', '0'], ['top', '--days', '91'], ['top', '--days', '1.5'], ['top', '--limit', 'x'], ['top', '--dataset', 'x; DROP'], ['top', '--nope']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(/^analytics: /);
    }
  });
});

describe('npm run analytics -- --dry-run', () => {
  it('prints the SQL and needs neither credentials nor a network', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, BAHTH_ANALYTICS_API: 'http://127.0.0.1:9/never' };
    delete env.CLOUDFLARE_API_TOKEN;
    delete env.CLOUDFLARE_ACCOUNT_ID;
    const r = spawnSync('npx', ['tsx', 'scripts/analytics.ts', 'zero', '--days', '14', '--dry-run'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(sql('zero', { dataset: 'bahth_search', days: 14, limit: 20 }));
    expect(r.stdout).toContain('-- POST http://127.0.0.1:9/never/accounts/$CLOUDFLARE_ACCOUNT_ID/analytics_engine/sql');
  }, 60_000);

  it('reads the dataset from wrangler.toml\'s SEARCH_EVENTS binding', () => {
    expect(datasetOf('[[analytics_engine_datasets]]\nbinding = "OTHER"\ndataset = "x"\n\n[[analytics_engine_datasets]]\nbinding = "SEARCH_EVENTS"\ndataset = "news_q"\n')).toBe('news_q');
    expect(datasetOf('[vars]\nA = "1"\n')).toBeUndefined();
  });
});
