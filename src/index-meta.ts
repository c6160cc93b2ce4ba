/**
 * The index remembers the model set it was built with, so later commands use the same models
 * without being told, and a conflicting choice is refused instead of mixing vectors.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelSet, modelSetSchema } from './config/model-sets.js';
import { MmragError } from './errors.js';

const META_FILE = 'mmrag-index.json';
const FORMAT = 1;

export async function readIndexModelSet(indexDir: string): Promise<ModelSet | undefined> {
  const file = join(indexDir, META_FILE);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const meta = JSON.parse(raw) as { format: number; models: unknown };
    return modelSetSchema.parse(meta.models);
  } catch (error) {
    throw new MmragError('INDEX_CORRUPT', `The index description ${file} cannot be read.`, {
      subject: file,
      hint: 'Restore it, or index again into a new --index folder.',
      cause: error,
    });
  }
}

export async function writeIndexModelSet(indexDir: string, models: ModelSet): Promise<void> {
  await mkdir(indexDir, { recursive: true });
  const file = join(indexDir, META_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ format: FORMAT, models }, null, 2)}\n`);
  await rename(temporary, file);
}

/** The model ids that decide what vectors an index holds. */
export function modelSetKey(set: ModelSet): string {
  return [
    `text=${set.text.id}`,
    `vision=${set.vision?.id ?? '-'}`,
    `speech=${set.speech?.id ?? '-'}`,
    `ocr=${set.ocr ? set.ocr.languages.join('+') : '-'}`,
  ].join(';');
}
