/**
 * Where in a recording someone may be speaking, from frame energy alone: frames louder than
 * the recording's noise floor by a margin, bridged over short pauses, held a moment after
 * each loud frame, and kept only when long enough.
 *
 * Why energy and not a VAD model: no voice-activity model can be fetched offline here. What
 * would lift it: Silero VAD (an ONNX model of about 2 MB) run through onnxruntime-node, which
 * also tells speech from music and steady noise; energy cannot, so a loud hum passes this step
 * and is left for the transcriber to return nothing on.
 */

export interface SpeechRegion {
  /** First sample of the region. */
  start: number;
  /** One past the last sample. */
  end: number;
}

export interface SpeechDetectionOptions {
  /** Samples per second. @default 16000 */
  sampleRate?: number;
  /** Analysis frame, in seconds. @default 0.03 */
  frameSeconds?: number;
  /** Step between frames, in seconds. @default 0.01 */
  hopSeconds?: number;
  /** How far above the noise floor a frame must be to count as speech, in dB. @default 12 */
  marginDb?: number;
  /** Frames quieter than this (dBFS) never count as speech. @default -55 */
  minLevelDb?: number;
  /**
   * The highest the noise floor is believed to be, in dBFS, so a recording that is speech from
   * end to end still shows its speech. @default -45
   */
  maxFloorDb?: number;
  /** Keep a region open this long after its last loud frame, in seconds. @default 0.2 */
  hangoverSeconds?: number;
  /** Shorter regions are dropped as clicks, in seconds. @default 0.1 */
  minSpeechSeconds?: number;
  /** Shorter pauses are bridged, in seconds. @default 0.3 */
  minSilenceSeconds?: number;
  /** Added before and after each region, in seconds, so word onsets are not clipped. @default 0.1 */
  padSeconds?: number;
}

const DEFAULTS = {
  sampleRate: 16_000,
  frameSeconds: 0.03,
  hopSeconds: 0.01,
  marginDb: 12,
  minLevelDb: -55,
  maxFloorDb: -45,
  hangoverSeconds: 0.2,
  minSpeechSeconds: 0.1,
  minSilenceSeconds: 0.3,
  padSeconds: 0.1,
} satisfies Required<SpeechDetectionOptions>;

// The noise floor is this quantile of the frame levels: the quiet tenth of the recording.
const FLOOR_QUANTILE = 0.1;
const SILENT_DB = -120;

/** Frame levels in dBFS (RMS), one per hop. */
export function frameLevels(
  samples: Float32Array,
  { frameLength, hop }: { frameLength: number; hop: number },
): Float32Array {
  const count = samples.length === 0 ? 0 : Math.max(1, Math.ceil(samples.length / hop));
  const levels = new Float32Array(count);
  for (let f = 0; f < count; f++) {
    const from = f * hop;
    const to = Math.min(samples.length, from + frameLength);
    let sum = 0;
    for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
    const rms = Math.sqrt(sum / Math.max(1, to - from));
    levels[f] = rms > 0 ? Math.max(SILENT_DB, 20 * Math.log10(rms)) : SILENT_DB;
  }
  return levels;
}

/** The speech regions of 16 kHz (or `sampleRate`) mono audio, in order, not overlapping. */
export function detectSpeech(
  samples: Float32Array,
  options: SpeechDetectionOptions = {},
): SpeechRegion[] {
  const o = { ...DEFAULTS, ...options };
  const hop = Math.round(o.hopSeconds * o.sampleRate);
  const frameLength = Math.round(o.frameSeconds * o.sampleRate);
  const levels = frameLevels(samples, { frameLength, hop });
  if (levels.length === 0) return [];

  // The threshold: a margin over the floor, never below the absolute minimum.
  const sorted = Float32Array.from(levels).sort();
  const floor = Math.min(sorted[Math.floor(FLOOR_QUANTILE * (sorted.length - 1))]!, o.maxFloorDb);
  const threshold = Math.max(floor + o.marginDb, o.minLevelDb);

  // Loud frames, each holding the region open for the hangover.
  const hangover = Math.round(o.hangoverSeconds / o.hopSeconds);
  const frames: { start: number; end: number }[] = [];
  let open: { start: number; end: number } | undefined;
  for (let f = 0; f < levels.length; f++) {
    if (levels[f]! < threshold) continue;
    if (open && f <= open.end + hangover) {
      open.end = f + 1;
    } else {
      if (open) frames.push(open);
      open = { start: f, end: f + 1 };
    }
  }
  if (open) frames.push(open);
  for (const region of frames) region.end = Math.min(levels.length, region.end + hangover);

  // Bridge short pauses, then drop what is still too short to be a word.
  const minSilence = Math.round(o.minSilenceSeconds / o.hopSeconds);
  const merged: { start: number; end: number }[] = [];
  for (const region of frames) {
    const last = merged.at(-1);
    if (last && region.start - last.end < minSilence) last.end = region.end;
    else merged.push({ ...region });
  }
  const minSpeech = Math.round(o.minSpeechSeconds / o.hopSeconds);
  const pad = Math.round(o.padSeconds * o.sampleRate);

  return merged
    .filter((region) => region.end - region.start >= minSpeech)
    .map((region) => ({
      start: Math.max(0, region.start * hop - pad),
      end: Math.min(samples.length, (region.end - 1) * hop + frameLength + pad),
    }))
    .reduce<SpeechRegion[]>((out, region) => {
      // Padding can make neighbours touch; keep regions disjoint.
      const last = out.at(-1);
      if (last && region.start <= last.end) last.end = Math.max(last.end, region.end);
      else out.push(region);
      return out;
    }, []);
}
