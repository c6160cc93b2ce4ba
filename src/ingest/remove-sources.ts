/** Removing sources on request (`mmrag remove`) or because they vanished (`mmrag sync`). */
import type { Store } from '../store/store.js';
import type { FileOutcome } from './report.js';

/** Removes the given paths; content no other path shares goes with them, in one commit. */
export async function removeSources(paths: string[], store: Store): Promise<FileOutcome[]> {
  if (paths.length === 0) return [];

  const leaving = new Set(paths);
  const orphaned = new Set<string>();
  for (const path of paths) {
    const source = await store.getSource(path);
    if (!source?.contentHash) continue;
    const others = (await store.pathsForContent(source.contentHash)).filter((p) => !leaving.has(p));
    if (others.length === 0) orphaned.add(source.contentHash);
  }

  await store.commit({ removeSources: paths, removeContent: [...orphaned] });
  return paths.map((path) => ({ path, status: 'removed', segments: 0 }));
}
