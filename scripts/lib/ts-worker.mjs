/**
 * Boots a worker thread whose code is TypeScript: tsx hooks the main thread only, so this
 * registers it in the worker, then imports `workerData.entry` (a file URL).
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
