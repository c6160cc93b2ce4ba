/**
 * Synthetic "speech" for the whisper-tones fixture: each word is its pure tone, faded in and out
 * so the onset does not splash energy over every mel bin. Plus small tools to compose
 * recordings and write them as WAV at any rate and depth.
 */
import { writeFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import { TONE_FREQUENCIES } from '../../scripts/fixtures/whisper-tones.js';

export interface SynthesizeOptions {
  /** @default 16000 */
  sampleRate?: number;
  /** Length of each word's tone, in seconds. @default 0.4 */
  wordSeconds?: number;
  /** Silence after each word, in seconds. @default 0.1 */
  gapSeconds?: number;
  /** Peak amplitude in [0, 1]. @default 0.5 */
  amplitude?: number;
}

// A 10 ms raised-cosine fade at each end of a word.
const FADE_SECONDS = 0.01;

/** The words as consecutive tones, each followed by a gap. */
export function synthesizeSpeech(words: string[], options: SynthesizeOptions = {}): Float32Array {
  const { sampleRate = 16_000, wordSeconds = 0.4, gapSeconds = 0.1, amplitude = 0.5 } = options;
  const wordLength = Math.round(wordSeconds * sampleRate);
  const gapLength = Math.round(gapSeconds * sampleRate);
  const fade = Math.round(FADE_SECONDS * sampleRate);
  const out = new Float32Array(words.length * (wordLength + gapLength));

  words.forEach((word, index) => {
    const frequency = TONE_FREQUENCIES[word];
    if (frequency === undefined) throw new Error(`No tone for the word "${word}"`);
    const offset = index * (wordLength + gapLength);
    for (let i = 0; i < wordLength; i++) {
      const edge = Math.min(i, wordLength - 1 - i);
      const gain = edge < fade ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade) : 1;
      out[offset + i] = amplitude * gain * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    }
  });
  return out;
}

export function silence(seconds: number, sampleRate = 16_000): Float32Array {
  return new Float32Array(Math.round(seconds * sampleRate));
}

/** Uniform noise of the given peak amplitude, from a fixed seed so runs are identical. */
export function noise(seconds: number, amplitude: number, sampleRate = 16_000): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  let state = 12345;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = amplitude * ((state / 2 ** 31) * 2 - 1);
  }
  return out;
}

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `parts` placed at their start times (seconds) in a recording of `seconds`. */
export function placeAt(
  seconds: number,
  parts: { at: number; audio: Float32Array }[],
  sampleRate = 16_000,
): Float32Array {
  const out = silence(seconds, sampleRate);
  for (const { at, audio } of parts) out.set(audio, Math.round(at * sampleRate));
  return out;
}

/** Two channels of equal length, the shorter padded with silence. */
export function stereo(left: Float32Array, right: Float32Array): Float32Array[] {
  const length = Math.max(left.length, right.length);
  return [
    concat(left, new Float32Array(length - left.length)),
    concat(right, new Float32Array(length - right.length)),
  ];
}

/** Writes PCM WAV: `bitDepth` 8, 16, 24, 32 (integer) or '32f'. */
export async function writeWav(
  path: string,
  channels: Float32Array[],
  sampleRate: number,
  bitDepth: 8 | 16 | 24 | 32 | '32f',
): Promise<void> {
  const toRaw = (value: number): number => {
    const clipped = Math.max(-1, Math.min(1, value));
    if (bitDepth === '32f') return clipped;
    if (bitDepth === 8) return Math.round(clipped * 127 + 128);
    return Math.round(clipped * (2 ** (bitDepth - 1) - 1));
  };
  const raw = channels.map((channel) => Array.from(channel, toRaw));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels.length, sampleRate, String(bitDepth), raw);
  await writeFile(path, wav.toBuffer());
}
