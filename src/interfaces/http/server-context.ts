/** What every route handler of the server shares. */
import type { Engine } from '../../engine.js';
import type { JobQueue } from './job-queue.js';

export interface ServerContext {
  engine: Engine;
  jobs: JobQueue;
  /** False when another process holds the index's writer lock: ingest and remove answer 409. */
  writable: boolean;
  /** Allowed roots for path ingest, symlinks resolved. */
  allowRoots: string[];
  uploadsDir: string;
  maxUploadBytes: number;
  maxUploadFiles: number;
  version: string;
}
