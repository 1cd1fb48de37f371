/**
 * A path the user typed, resolved against the folder they typed it in. `npm run` runs scripts
 * from the project's root whatever folder it is called from, and says where in INIT_CWD:
 * `cd archive && npm run build:index -- 2024.jsonl` means archive/2024.jsonl. Defaults (seeds/,
 * dist/) stay the project's.
 */
import { resolve } from 'node:path';

export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
