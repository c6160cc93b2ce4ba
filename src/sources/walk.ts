/**
 * Walks the paths a user gave and yields every file to index, once per real file, in a stable
 * order. Directories are read as bytes so that names that are not UTF-8 still open (see
 * display-path.ts); each file carries both its display path and the bytes to open.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { MmragError } from '../errors.js';
import type { SourceFile } from '../types.js';
import { displayPath } from './display-path.js';

export interface WalkOptions {
  /** Walk names that start with a dot. @default false */
  includeHidden?: boolean;
  /** Leave out what `.gitignore` files in the walked folders exclude. @default true */
  respectGitignore?: boolean;
  /** Follow symbolic links to files and folders. @default true */
  followSymlinks?: boolean;
  /**
   * Real folders the walk must stay in: a link that leads outside all of them is reported and
   * not followed, so a server never lists what lies beyond its allowed roots.
   */
  within?: string[];
  /** Told about every entry left out and why, for the caller to report. */
  onSkip?: (path: string, reason: string) => void;
}

/** The reason given for a link that leads outside `within`. */
export const OUTSIDE_REASON = 'a link leading outside the folders this walk may read';

/** A walked file: a `SourceFile` plus the bytes of its path, which always open it. */
export interface WalkedFile extends SourceFile {
  /** The path as bytes; open the file with this, not with `path`. */
  fsPath: Buffer;
}

/** Folders never walked: the index itself, and git's own store, which holds no documents. */
const ALWAYS_SKIPPED = new Set(['.mmrag', '.git']);

interface IgnoreRules {
  /** The folder the `.gitignore` sits in (display form). */
  dir: string;
  file: string;
  rules: Ignore;
}

interface WalkState {
  options: Required<Omit<WalkOptions, 'onSkip' | 'within'>> &
    Pick<WalkOptions, 'onSkip' | 'within'>;
  /** Real paths (as latin1 keys of their bytes) of folders already walked. */
  visitedDirs: Set<string>;
  /** `dev:ino` of files already yielded, with the path they were yielded under. */
  seenFiles: Map<string, string>;
}

/**
 * Yields the files under `paths` (files or folders), sorted by name within each folder.
 * Throws `MmragError('USAGE')` naming every path that does not exist, before walking any.
 */
export async function* walkSources(
  paths: string[],
  options: WalkOptions = {},
): AsyncGenerator<WalkedFile> {
  const state: WalkState = {
    options: {
      includeHidden: options.includeHidden ?? false,
      respectGitignore: options.respectGitignore ?? true,
      followSymlinks: options.followSymlinks ?? true,
      within: options.within,
      onSkip: options.onSkip,
    },
    visitedDirs: new Set(),
    seenFiles: new Map(),
  };

  // Check every root first, so a typo fails fast and names itself.
  const roots = await Promise.all(paths.map(statRoot));
  const missing = roots.filter((root) => root.stat === undefined);
  if (missing.length > 0) {
    const names = missing.map((root) => root.display).join(', ');
    throw new MmragError('USAGE', `No such file or folder: ${names}.`, {
      subject: missing[0]!.display,
      hint: 'Check the path, or create it first.',
      cause: missing[0]!.error,
    });
  }

  for (const root of roots) {
    if (root.stat!.isDirectory()) {
      yield* walkDir(state, root.fsPath, root.display, []);
    } else {
      const file = await visitFile(state, root.fsPath, root.display, root.stat!);
      if (file) yield file;
    }
  }
}

async function statRoot(input: string) {
  const display = path.resolve(input);
  const fsPath = Buffer.from(display, 'utf8');
  try {
    return { display, fsPath, stat: await fs.stat(fsPath, { bigint: true }) };
  } catch (error) {
    return { display, fsPath, stat: undefined, error };
  }
}

async function* walkDir(
  state: WalkState,
  dirPath: Buffer,
  dirDisplay: string,
  inherited: IgnoreRules[],
): AsyncGenerator<WalkedFile> {
  const { options } = state;

  // A folder reached twice (a symlink to a parent, or a root inside another root) is walked once.
  let realKey: string;
  try {
    realKey = (await fs.realpath(dirPath, { encoding: 'buffer' })).toString('latin1');
  } catch (error) {
    options.onSkip?.(dirDisplay, `cannot resolve folder (${errorCode(error)})`);
    return;
  }
  if (state.visitedDirs.has(realKey)) {
    options.onSkip?.(dirDisplay, 'folder already walked (a link back to it, or a repeated path)');
    return;
  }
  state.visitedDirs.add(realKey);

  let entries: Awaited<ReturnType<typeof readDirBytes>>;
  try {
    entries = await readDirBytes(dirPath);
  } catch (error) {
    options.onSkip?.(dirDisplay, `cannot read folder (${errorCode(error)})`);
    return;
  }

  const rules = options.respectGitignore
    ? await withGitignore(inherited, dirPath, dirDisplay, entries)
    : inherited;

  for (const entry of entries) {
    const name = displayPath(entry.name);
    const childPath = Buffer.concat([dirPath, Buffer.from(path.sep), entry.name]);
    const childDisplay = path.join(dirDisplay, name);

    if (ALWAYS_SKIPPED.has(name)) continue;
    if (!options.includeHidden && name.startsWith('.')) {
      options.onSkip?.(childDisplay, 'hidden');
      continue;
    }
    if (entry.isSymbolicLink() && !options.followSymlinks) {
      options.onSkip?.(childDisplay, 'symbolic link (not followed)');
      continue;
    }

    if (
      entry.isSymbolicLink() &&
      options.within &&
      !(await linkStaysWithin(childPath, options.within))
    ) {
      options.onSkip?.(childDisplay, OUTSIDE_REASON);
      continue;
    }

    // stat follows links, so a link to a folder walks as a folder and a loop shows as ELOOP.
    let stat: import('node:fs').BigIntStats;
    try {
      stat = await fs.stat(childPath, { bigint: true });
    } catch (error) {
      options.onSkip?.(childDisplay, linkFailure(entry.isSymbolicLink(), error));
      continue;
    }

    const ignoredBy = matchIgnore(rules, childDisplay, stat.isDirectory());
    if (ignoredBy) {
      options.onSkip?.(childDisplay, `ignored by ${ignoredBy}`);
      continue;
    }

    if (stat.isDirectory()) {
      yield* walkDir(state, childPath, childDisplay, rules);
    } else if (stat.isFile()) {
      const file = await visitFile(state, childPath, childDisplay, stat);
      if (file) yield file;
    } else {
      // A FIFO would block the read forever; devices and sockets hold no documents.
      options.onSkip?.(childDisplay, 'not a regular file');
    }
  }
}

/** Whether a link's target really lies below one of `roots` (a broken link does not). */
async function linkStaysWithin(linkPath: Buffer, roots: string[]): Promise<boolean> {
  let target: string;
  try {
    target = displayPath(await fs.realpath(linkPath, { encoding: 'buffer' }));
  } catch {
    // Broken or looping: the stat below reports it with its own reason.
    return true;
  }
  return roots.some((root) => {
    const rest = path.relative(root, target);
    return (
      rest === '' || (!rest.startsWith(`..${path.sep}`) && rest !== '..' && !path.isAbsolute(rest))
    );
  });
}

async function visitFile(
  state: WalkState,
  fsPath: Buffer,
  display: string,
  stat: import('node:fs').BigIntStats,
): Promise<WalkedFile | undefined> {
  // Device and inode identify the real file, so hard links count as the same file too.
  const identity = `${stat.dev}:${stat.ino}`;
  const first = state.seenFiles.get(identity);
  if (first !== undefined) {
    state.options.onSkip?.(display, `same file as ${first}`);
    return undefined;
  }
  state.seenFiles.set(identity, display);

  let realPath = display;
  try {
    realPath = displayPath(await fs.realpath(fsPath, { encoding: 'buffer' }));
  } catch {
    // It was just stat'ed; if it vanished in between, reading it will report that.
  }

  return {
    path: display,
    realPath,
    size: Number(stat.size),
    mtimeMs: Number(stat.mtimeMs),
    fsPath,
  };
}

/** Directory entries with byte names, sorted by those bytes so every run sees the same order. */
async function readDirBytes(dirPath: Buffer) {
  const entries = await fs.readdir(dirPath, { withFileTypes: true, encoding: 'buffer' });
  return entries
    .map((entry) => ({
      name: entry.name as unknown as Buffer,
      isSymbolicLink: () => entry.isSymbolicLink(),
      isFile: () => entry.isFile(),
    }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
}

async function withGitignore(
  inherited: IgnoreRules[],
  dirPath: Buffer,
  dirDisplay: string,
  entries: { name: Buffer }[],
): Promise<IgnoreRules[]> {
  if (!entries.some((entry) => entry.name.toString('latin1') === '.gitignore')) return inherited;

  const file = path.join(dirDisplay, '.gitignore');
  try {
    const text = await fs.readFile(Buffer.concat([dirPath, Buffer.from(`${path.sep}.gitignore`)]));
    return [...inherited, { dir: dirDisplay, file, rules: ignore().add(text.toString('utf8')) }];
  } catch {
    // An unreadable .gitignore (a folder by that name, no permission) ignores nothing.
    return inherited;
  }
}

/**
 * The `.gitignore` that excludes `childDisplay`, if any. As in git, the deepest file that has a
 * say wins, so a nested `!pattern` brings back what a parent's rule excluded.
 */
function matchIgnore(rules: IgnoreRules[], childDisplay: string, isDir: boolean) {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { dir, file, rules: ig } = rules[i]!;
    const relative = path.relative(dir, childDisplay).split(path.sep).join('/');
    const result = ig.test(isDir ? `${relative}/` : relative);
    if (result.ignored) return file;
    if (result.unignored) return undefined;
  }
  return undefined;
}

function linkFailure(isLink: boolean, error: unknown): string {
  const code = errorCode(error);
  if (isLink && code === 'ELOOP') return 'symbolic link loop';
  if (isLink && code === 'ENOENT') return 'dangling symbolic link';
  return `cannot read (${code})`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
