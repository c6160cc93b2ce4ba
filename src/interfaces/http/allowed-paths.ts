/**
 * Path ingest reaches only folders the server's operator allowed. A path is judged by where it
 * really leads: symlinks are resolved first, for the path named and for every file under it.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { FileOutcome } from '../../ingest/report.js';
import { walkSources } from '../../sources/index.js';
import { OUTSIDE_REASON } from '../../sources/walk.js';
import { HttpError } from './http-error.js';

/** The allowed roots with their own symlinks resolved; an unreadable root is an error. */
export async function resolveRoots(roots: string[]): Promise<string[]> {
  return Promise.all(roots.map((root) => realpath(root)));
}

export function isWithin(path: string, root: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest));
}

/** Checks a client's path: absolute, existing, and below an allowed root once resolved. */
export async function checkAllowedPath(path: string, roots: string[]): Promise<void> {
  if (!isAbsolute(path)) {
    throw new HttpError(400, 'USAGE', 'The path must be absolute.');
  }
  if (roots.length === 0) {
    throw new HttpError(
      403,
      'FORBIDDEN',
      'This server ingests no paths; start it with --allow-root DIR, or upload files.',
    );
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new HttpError(400, 'USAGE', `No such file or folder: ${path}.`);
  }
  if (!roots.some((root) => isWithin(real, root))) {
    throw new HttpError(403, 'FORBIDDEN', 'The path is outside the folders this server may read.');
  }
}

export interface AllowedFiles {
  files: string[];
  /** Files under the path whose links lead outside the allowed roots. */
  refused: FileOutcome[];
}

/** Walks `path` the way ingest will, keeping only files that really live below a root. */
export async function allowedFilesUnder(
  path: string,
  roots: string[],
  walk: { includeHidden?: boolean; respectGitignore?: boolean },
): Promise<AllowedFiles> {
  const files: string[] = [];
  const refused: FileOutcome[] = [];
  // The walk itself refuses to follow links out of the roots, so nothing beyond is listed.
  const onSkip = (skipped: string, reason: string) => {
    if (reason === OUTSIDE_REASON) {
      refused.push({
        path: skipped,
        status: 'skipped',
        segments: 0,
        reason: 'a link leading outside the folders this server may read',
      });
    }
  };
  for await (const file of walkSources([path], { ...walk, within: roots, onSkip })) {
    if (roots.some((root) => isWithin(file.realPath, root))) files.push(file.path);
    else {
      refused.push({
        path: file.path,
        status: 'skipped',
        segments: 0,
        reason: 'a link to a file outside the folders this server may read',
      });
    }
  }
  return { files, refused };
}
