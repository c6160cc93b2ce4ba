/**
 * Uploaded files land under `<index>/uploads/` with safe names, after their bytes are sniffed:
 * a type mmrag does not index, or a name that claims another type than the bytes, is refused.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { sniffType } from '../../sources/index.js';
import type { Modality } from '../../types.js';
import { HttpError } from './http-error.js';

/** What a file name's extension promises, for the extensions people use. */
const MODALITY_BY_EXTENSION: Record<string, Modality> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'text',
  '.markdown': 'text',
  '.html': 'text',
  '.htm': 'text',
  '.csv': 'text',
  '.json': 'text',
  '.pdf': 'pdf',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.png': 'image',
  '.webp': 'image',
  '.gif': 'image',
  '.tif': 'image',
  '.tiff': 'image',
  '.bmp': 'image',
  '.wav': 'audio',
  '.mp3': 'audio',
  '.flac': 'audio',
  '.ogg': 'audio',
  '.oga': 'audio',
  '.opus': 'audio',
  '.m4a': 'audio',
  '.aac': 'audio',
  '.mp4': 'audio',
  '.mov': 'audio',
  '.webm': 'audio',
};

const MAX_NAME_LENGTH = 120;

/** A name that cannot leave the uploads folder or hide: letters, digits, `.`, `_`, `-`. */
export function sanitizeName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let safe = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._]+/, '');
  if (safe.length > MAX_NAME_LENGTH) {
    const extension = extname(safe).slice(0, 16);
    safe = safe.slice(0, MAX_NAME_LENGTH - extension.length) + extension;
  }
  return safe === '' || safe.startsWith('.') ? `upload${safe}` : safe;
}

/** Refuses bytes mmrag cannot index, and names that lie about what the bytes are. */
export async function checkUpload(name: string, bytes: Uint8Array): Promise<Modality> {
  const sniffed = await sniffType(bytes, name);
  if (!sniffed) {
    throw new HttpError(415, 'UNSUPPORTED_TYPE', `${name}: not a type mmrag indexes.`);
  }
  const claimed = MODALITY_BY_EXTENSION[extname(name).toLowerCase()];
  if (claimed && claimed !== sniffed.modality) {
    throw new HttpError(
      415,
      'UNSUPPORTED_TYPE',
      `${name}: the name says ${claimed}, but the bytes are ${sniffed.mime}.`,
    );
  }
  return sniffed.modality;
}

/**
 * Writes the bytes under `dir` and returns the path. The same name with the same bytes reuses
 * the file (so a repeated upload is "unchanged"); other bytes get a numbered name.
 */
export async function saveUpload(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true });
  const safe = sanitizeName(name);
  const extension = extname(safe);
  const stem = safe.slice(0, safe.length - extension.length);
  const digest = sha256(bytes);

  for (let attempt = 0; attempt < 1000; attempt++) {
    const path = join(dir, attempt === 0 ? safe : `${stem}-${attempt}${extension}`);
    try {
      await writeFile(path, bytes, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (sha256(await readFile(path)) === digest) return path;
    }
  }
  throw new HttpError(409, 'USAGE', `Too many uploads named ${safe}.`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
