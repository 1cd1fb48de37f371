/**
 * The errors a newcomer meets first, as one line each that says what to do, never a stack
 * trace: a port already taken, an input path that does not exist, an archive with no articles,
 * bad rows. (An old Node is caught before TypeScript even loads: check-node.cjs.)
 */
import { createServer } from 'node:net';
import { BahthError } from '../src/core/errors';

/** A problem whose message already says what to do. */
export class FirstError extends Error {
  override name = 'FirstError';
}

/** Resolves when `port` on `host` is free to listen on; rejects with a FirstError when it is taken. */
export function checkPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(new FirstError(`bahth: port ${port} on ${host} is already in use (another \`npm start\` or \`wrangler dev\`?). Stop it, or choose another port: PORT=${port + 1} npm start`));
      } else if (e.code === 'EACCES') {
        reject(new FirstError(`bahth: not allowed to listen on port ${port}; choose a port above 1023: PORT=8787 npm start`));
      } else reject(e);
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** The one line to print for an error of `npm start`; a stack trace only for the unforeseen. */
export function explain(e: unknown): string {
  if (e instanceof FirstError) return e.message;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return `bahth: ${(e as Error).message} (see: npm start -- --help)`;
  if (e instanceof BahthError) {
    if (/\bno articles\b/.test(e.message)) {
      return `${e.message}: nothing to serve. Give files with at least one article (JSONL: one {"id","title","body",…} per line; see the README).`;
    }
    if (e.code === 'INPUT_UNREADABLE') return `${e.message}. Give files or folders of articles (.txt, .jsonl or .jsonl.gz): npm start -- <path>…`;
    if (e.code === 'INPUT_INVALID') return `${e.message}. Fix that row, or skip bad rows with: npm start -- --skip-invalid <path>…`;
    return e.message;
  }
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
