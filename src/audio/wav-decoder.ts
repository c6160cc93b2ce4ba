/**
 * WAV in pure JS through `wavefile`: integer PCM of any depth (8-bit unsigned, 16/24/32-bit
 * signed), 32/64-bit float, any rate and channel count. Compressed WAV (A-law, mu-law, ADPCM)
 * returns `undefined` so the caller can hand it to ffmpeg.
 */
import wavefile from 'wavefile';
import { MmragError } from '../errors.js';

/** Channels as floats in [-1, 1] at the file's rate. */
export interface PcmChannels {
  channels: Float32Array[];
  sampleRate: number;
}

// Format tags wavefile reads as plain samples: PCM, IEEE float, WAVE_FORMAT_EXTENSIBLE.
const PLAIN_FORMATS = new Set([1, 3, 0xfffe]);

interface WaveFormat {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/** True when the bytes start like a RIFF/RIFX/RF64 WAVE file. */
export function looksLikeWav(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const tag = (from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));
  return ['RIFF', 'RIFX', 'RF64'].includes(tag(0)) && tag(8) === 'WAVE';
}

export function decodeWav(bytes: Uint8Array, subject: string): PcmChannels | undefined {
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (error) {
    throw corrupt(subject, error);
  }

  const format = wav.fmt as WaveFormat;
  if (!PLAIN_FORMATS.has(format.audioFormat)) return undefined;
  if (!(format.numChannels >= 1) || !(format.sampleRate >= 1)) {
    throw corrupt(
      subject,
      new Error(`bad header: ${format.numChannels} channels at ${format.sampleRate} Hz`),
    );
  }

  let raw: Float64Array[];
  try {
    const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
    raw = format.numChannels === 1 ? [samples as Float64Array] : (samples as Float64Array[]);
  } catch (error) {
    throw corrupt(subject, error);
  }

  const scale = toUnitRange(wav.bitDepth, format.bitsPerSample);
  const channels = raw.map((channel) => {
    const out = new Float32Array(channel.length);
    for (let i = 0; i < channel.length; i++) out[i] = scale(channel[i]!);
    return out;
  });
  return { channels, sampleRate: format.sampleRate };
}

/** Maps raw sample values of a bit depth to [-1, 1]. */
function toUnitRange(bitDepth: string, bits: number): (value: number) => number {
  if (bitDepth === '32f' || bitDepth === '64') return (value) => value;
  // 8-bit WAV is unsigned with 128 as silence; wider depths are signed.
  if (bits <= 8) return (value) => (value - 128) / 128;
  const full = 2 ** (bits - 1);
  return (value) => value / full;
}

function corrupt(subject: string, cause: unknown): MmragError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MmragError('FILE_CORRUPT', `${subject} is not a readable WAV file (${reason}).`, {
    subject,
    hint: 'Check that the file plays; re-export it as WAV, MP3 or FLAC.',
    cause,
  });
}
