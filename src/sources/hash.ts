import { createHash } from 'node:crypto';

/** The SHA-256 of a file's bytes as lowercase hex: the content's identity in the index. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
