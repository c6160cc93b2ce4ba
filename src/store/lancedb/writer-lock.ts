/**
 * One writer per index. The lock is a file created with O_EXCL holding the writer's pid; a lock
 * whose process is gone (killed, crashed) is stale and taken over. A pid reused by an unrelated
 * process would keep a stale lock alive: the message names the pid so a person can check.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { MmragError } from '../../errors.js';

export const LOCK_FILE = 'writer.lock';

interface LockContent {
  pid: number;
  hostname: string;
  startedAt: number;
}

export interface WriterLock {
  release(): Promise<void>;
}

/** Takes the writer lock of `dir` or throws INDEX_LOCKED. */
export async function acquireWriterLock(dir: string): Promise<WriterLock> {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, hostname: os.hostname(), startedAt: Date.now() };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(mine), { flag: 'wx' });
      return { release: () => releaseLock(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const holder = await readLock(file);
    if (holder && isHeld(holder)) {
      throw new MmragError(
        'INDEX_LOCKED',
        `Another mmrag process (pid ${holder.pid}) is writing to ${dir}.`,
        { subject: dir, hint: 'Wait for it to finish, or stop it.' },
      );
    }

    // Stale: its process is gone. Removing and retrying races only with another taker, and
    // O_EXCL lets exactly one of them win.
    await fs.rm(file, { force: true });
  }

  throw new MmragError('INDEX_LOCKED', `Could not take the writer lock of ${dir}.`, {
    subject: dir,
    hint: 'Another mmrag process keeps taking it; wait for it to finish.',
  });
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as LockContent;
  } catch {
    // Unreadable or half-written by a writer that died at once: treat as stale.
    return undefined;
  }
}

function isHeld(holder: LockContent): boolean {
  // A lock from another machine (a shared folder) cannot be checked: respect it.
  if (holder.hostname !== os.hostname()) return true;
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;

  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseLock(file: string): Promise<void> {
  const holder = await readLock(file);
  if (holder?.pid === process.pid && holder.hostname === os.hostname()) {
    await fs.rm(file, { force: true });
  }
}
