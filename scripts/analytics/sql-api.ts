/**
 * A client of the Workers Analytics Engine SQL API: `POST <api>/accounts/<account>/analytics_engine/sql`
 * with the query as the body and an API token (Account Analytics: Read) as a bearer token; the
 * answer in the JSON format (`{ meta, data, rows }`).
 */

export interface SqlApiOptions {
  /** Base of the Cloudflare API, `https://api.cloudflare.com/client/v4` (another for a proxy or a test). */
  api: string;
  account: string;
  token: string;
  /** Gives up after this many ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface SqlResult {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
  rows: number;
}

/** Thrown for an answer that is not a result: it says what the API said. */
export class SqlApiError extends Error {}

/** Runs one query and returns its rows. */
export async function runSql(query: string, o: SqlApiOptions): Promise<SqlResult> {
  const url = `${o.api.replace(/\/+$/, '')}/accounts/${encodeURIComponent(o.account)}/analytics_engine/sql`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${o.token}`, 'content-type': 'text/plain; charset=utf-8' },
      body: query,
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw new SqlApiError(`the SQL API at ${url} could not be reached: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new SqlApiError(`the SQL API answered ${res.status}: ${text.trim().slice(0, 500) || res.statusText}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SqlApiError(`the SQL API answered something that is not JSON: ${text.slice(0, 200)}`);
  }
  const r = body as Partial<SqlResult>;
  if (!Array.isArray(r.data) || !Array.isArray(r.meta)) throw new SqlApiError(`the SQL API answered JSON without meta and data: ${text.slice(0, 200)}`);
  return { meta: r.meta, data: r.data, rows: typeof r.rows === 'number' ? r.rows : r.data.length };
}
