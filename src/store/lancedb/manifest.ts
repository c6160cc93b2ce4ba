/**
 * The manifest: the one file that says which version of each LanceDB table belongs to the index.
 *
 * LanceDB commits each table on its own. A batch touches several tables, so the batch becomes
 * visible only when this file is replaced (temp file, fsync, rename, fsync of the folder).
 * Readers open every table at the version named here; a writer that finds a table newer than
 * this file after a crash restores it to the version named here.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

import { MmragError } from '../../errors.js';
import type { SpaceName } from '../../types.js';
import type { SpaceInfo } from '../store.js';

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 1;

export interface Manifest {
  format: number;
  /** Committed version of each table that belongs to the index. */
  tables: Record<string, number>;
  spaces: Partial<Record<SpaceName, SpaceInfo>>;
  /** Row count of each vector table when its ANN index was last trained. */
  vectorIndexRows: Partial<Record<SpaceName, number>>;
  /** Bumped on every write, so readers can tell a new manifest from the one they hold. */
  generation: number;
}

export function emptyManifest(): Manifest {
  return { format: FORMAT, tables: {}, spaces: {}, vectorIndexRows: {}, generation: 0 };
}

/** The manifest of `dir`, or undefined when there is none. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const file = path.join(dir, MANIFEST_FILE);

  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MmragError('INDEX_CORRUPT', `Cannot read the index manifest ${file}.`, {
      subject: file,
      hint: 'check the permissions of the --index folder.',
      cause: error,
    });
  }

  try {
    const parsed = JSON.parse(text) as Manifest;
    if (parsed.format !== FORMAT || typeof parsed.tables !== 'object') throw new Error('format');
    return { ...emptyManifest(), ...parsed };
  } catch (error) {
    throw new MmragError('INDEX_CORRUPT', `The index manifest ${file} is not readable.`, {
      subject: file,
      hint: 're-index into a new --index folder.',
      cause: error,
    });
  }
}

/** Replaces the manifest atomically and durably. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const file = path.join(dir, MANIFEST_FILE);
  const temp = path.join(dir, `.${MANIFEST_FILE}.${randomBytes(6).toString('hex')}.tmp`);

  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);

  // The rename is durable only once the folder entry is on disk.
  const folder = await fs.open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Removes temp files a crash left behind mid-write. */
export async function removeStaleManifestTemps(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(`.${MANIFEST_FILE}.`) && name.endsWith('.tmp')) {
      await fs.rm(path.join(dir, name), { force: true });
    }
  }
}
