/**
 * Recordings to timed transcript segments: decode to 16 kHz mono, find the speech, transcribe
 * it window by window, and give each window's text the true start and end in the file.
 */
import { decodeAudio } from '../../audio/decode.js';
import { TARGET_SAMPLE_RATE } from '../../audio/decoded-audio.js';
import { MmragError } from '../../errors.js';
import type { ExtractedSegment, Extraction } from '../../types.js';
import type { ExtractContext, ExtractInput, Extractor } from '../extractor.js';
import { detectSpeech } from './speech-regions.js';
import { planWindows } from './windows.js';

async function extractAudio(input: ExtractInput, context: ExtractContext): Promise<Extraction> {
  const { path, bytes } = input;
  const { transcriber, limits, signal } = context;

  if (!transcriber) {
    throw new MmragError(
      'FILE_UNSUPPORTED',
      `${path}: speech recognition needs the full model set.`,
      {
        subject: path,
        hint:
          'Speech needs the full model set: index into a new folder with `--models full` (after ' +
          '`mmrag models pull --models full --index <new>` where the hub is reachable), or switch ' +
          'this index with `mmrag ingest --models full --reembed`.',
      },
    );
  }

  const audio = await decodeAudio(bytes, { path, maxSeconds: limits.maxAudioSeconds, signal });
  const regions = detectSpeech(audio.samples, { sampleRate: TARGET_SAMPLE_RATE });
  if (regions.length === 0) throw noSpeech(path, 'only silence or faint noise');

  const windows = planWindows(audio.samples, regions, {
    sampleRate: TARGET_SAMPLE_RATE,
    maxWindowSeconds: transcriber.maxWindowSeconds,
  });

  const segments: ExtractedSegment[] = [];
  for (const window of windows) {
    if (signal?.aborted) {
      throw new MmragError('ABORTED', `Stopped while transcribing ${path}.`, {
        subject: path,
        cause: signal.reason,
      });
    }
    const { text } = await transcriber.transcribe(
      audio.samples.subarray(window.start, window.end),
      {
        signal,
      },
    );

    // A window the model hears nothing in (a cough, a door) is not a segment.
    const trimmed = text.trim();
    if (!trimmed) continue;
    segments.push({
      kind: 'transcript',
      text: trimmed,
      locator: { start: seconds(window.start), end: seconds(window.end) },
    });
  }

  if (segments.length === 0)
    throw noSpeech(path, 'sound, but no words the speech model recognised');
  return { modality: 'audio', segments, notes: [] };
}

function seconds(sample: number): number {
  return Math.round((sample / TARGET_SAMPLE_RATE) * 1000) / 1000;
}

function noSpeech(path: string, what: string): MmragError {
  return new MmragError('NO_SPEECH', `${path}: no speech found (${what}).`, {
    subject: path,
    hint: 'Nothing to index from this recording; it is skipped.',
  });
}

export const audioExtractor: Extractor = { modality: 'audio', extract: extractAudio };
