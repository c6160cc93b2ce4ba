/**
 * File names on Linux are bytes, not text. Node turns bytes that are not UTF-8 into U+FFFD when
 * it hands a name back as a string, and such a string opens nothing (and two different names can
 * collapse into one). The walker therefore reads directories as bytes and keeps two forms of
 * every path: the bytes, to open the file, and a display string, to show and to store.
 *
 * The display string keeps every valid UTF-8 sequence as it is and writes each byte that is not
 * part of one as `\xNN` (uppercase hex, always 0x80 or above). It stays valid Unicode, so it
 * survives JSON, Arrow and SQL, and different names never share a display string.
 * `fsPathFromDisplay` reverses it. The one ambiguity: a name that literally contains the four
 * characters `\xE9` (backslash, x, two hex digits ≥ 80) reads back as the byte; no real file
 * system produces such names by accident.
 */

const fatal = new TextDecoder('utf-8', { fatal: true });

/** How many bytes a UTF-8 sequence starting with `lead` claims, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The display string of a path given as bytes. */
export function displayPath(bytes: Uint8Array): string {
  // The common case: the name is UTF-8 and decodes as it is.
  try {
    return fatal.decode(bytes);
  } catch {
    // Some byte is not UTF-8: decode sequence by sequence below.
  }

  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]!);
    if (length > 0 && i + length <= bytes.length) {
      try {
        out += fatal.decode(bytes.subarray(i, i + length));
        i += length;
        continue;
      } catch {
        // A bad continuation byte, an overlong form or a surrogate: escape the lead byte.
      }
    }
    out += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
    i += 1;
  }
  return out;
}

/** The bytes to open for a display string made by `displayPath`. */
export function fsPathFromDisplay(display: string): Buffer {
  if (!display.includes('\\x')) return Buffer.from(display, 'utf8');

  const parts: Buffer[] = [];
  let last = 0;
  for (const match of display.matchAll(/\\x([89A-F][0-9A-F])/g)) {
    parts.push(Buffer.from(display.slice(last, match.index), 'utf8'));
    parts.push(Buffer.from([Number.parseInt(match[1]!, 16)]));
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(display.slice(last), 'utf8'));
  return Buffer.concat(parts);
}
