/**
 * Speech regions grouped into transcription windows: neighbouring regions share a window while
 * it stays within the model's limit and the pause between them is short; a region longer than
 * the limit is cut at its quietest moment, so a cut rarely falls inside a word.
 */
import type { SpeechRegion } from './speech-regions.js';
import { frameLevels } from './speech-regions.js';

export interface WindowOptions {
  /** Samples per second. */
  sampleRate: number;
  /** Longest window, in seconds: the transcriber's `maxWindowSeconds`. */
  maxWindowSeconds: number;
  /** Regions further apart than this start a new window, in seconds. @default 2 */
  maxJoinGapSeconds?: number;
}

/** A window of samples `[start, end)`. */
export type AudioWindow = SpeechRegion;

// The quietest point is searched in the second half of an over-long stretch, on 10 ms frames,
// so windows stay long (fewer calls) and the cut is in a pause where there is one.
const SEARCH_FROM = 0.5;
const CUT_HOP_SECONDS = 0.01;

export function planWindows(
  samples: Float32Array,
  regions: SpeechRegion[],
  options: WindowOptions,
): AudioWindow[] {
  const { sampleRate, maxWindowSeconds, maxJoinGapSeconds = 2 } = options;
  const maxLength = Math.floor(maxWindowSeconds * sampleRate);
  const maxGap = maxJoinGapSeconds * sampleRate;

  // Split what is too long, then join what is close.
  const pieces = regions.flatMap((region) =>
    splitAtQuietest(samples, region, maxLength, sampleRate),
  );
  const windows: AudioWindow[] = [];
  for (const piece of pieces) {
    const last = windows.at(-1);
    if (last && piece.start - last.end <= maxGap && piece.end - last.start <= maxLength) {
      last.end = piece.end;
    } else {
      windows.push({ ...piece });
    }
  }
  return windows;
}

function splitAtQuietest(
  samples: Float32Array,
  region: SpeechRegion,
  maxLength: number,
  sampleRate: number,
): SpeechRegion[] {
  const pieces: SpeechRegion[] = [];
  const hop = Math.max(1, Math.round(CUT_HOP_SECONDS * sampleRate));
  let start = region.start;

  while (region.end - start > maxLength) {
    const from = start + Math.floor(SEARCH_FROM * maxLength);
    const to = start + maxLength;
    const levels = frameLevels(samples.subarray(from, to), { frameLength: hop, hop });

    // The quietest frame; ties go to the later one, keeping the window long.
    let quietest = 0;
    for (let f = 1; f < levels.length; f++) if (levels[f]! <= levels[quietest]!) quietest = f;
    const cut = Math.min(to, from + quietest * hop + Math.floor(hop / 2));

    pieces.push({ start, end: cut });
    start = cut;
  }
  pieces.push({ start, end: region.end });
  return pieces;
}
