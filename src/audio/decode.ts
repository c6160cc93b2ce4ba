/**
 * Any recording to 16 kHz mono float PCM: WAV in pure JS, everything else through ffmpeg.
 * Empty, corrupt and over-long recordings fail with their own error codes, never a hang.
 */
import { MmragError } from '../errors.js';
import { type DecodedAudio, TARGET_SAMPLE_RATE } from './decoded-audio.js';
import { decodeWithFfmpeg } from './ffmpeg-decoder.js';
import { resample } from './resample.js';
import { decodeWav, looksLikeWav, type PcmChannels } from './wav-decoder.js';

export interface DecodeAudioOptions {
  /** The file's path, named in errors. @default '<audio>' */
  path?: string;
  /** Longest recording accepted, in seconds. @default 4 * 3600 */
  maxSeconds?: number;
  /** How long ffmpeg may run before it is killed, in milliseconds. @default 120_000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function decodeAudio(
  bytes: Uint8Array,
  options: DecodeAudioOptions = {},
): Promise<DecodedAudio> {
  const { path = '<audio>', maxSeconds = 4 * 3600, timeoutMs = 120_000, signal } = options;

  if (bytes.length === 0) throw empty(path);

  // WAV stays in process; compressed WAV codecs and every other format go to ffmpeg.
  const pcm = looksLikeWav(bytes) ? decodeWav(bytes, path) : undefined;
  if (pcm) return fromPcm(pcm, { path, maxSeconds });

  const decoded = await decodeWithFfmpeg(bytes, { subject: path, maxSeconds, timeoutMs, signal });
  if (decoded.samples.length === 0) throw empty(path);
  const durationSeconds = decoded.samples.length / TARGET_SAMPLE_RATE;
  if (durationSeconds > maxSeconds) throw tooLong(path, maxSeconds);
  return { ...decoded, sampleRate: TARGET_SAMPLE_RATE, durationSeconds };
}

function fromPcm(
  { channels, sampleRate }: PcmChannels,
  { path, maxSeconds }: { path: string; maxSeconds: number },
): DecodedAudio {
  const frames = channels[0]?.length ?? 0;
  if (frames === 0) throw empty(path);

  // Refuse before the costly part: a 4-hour limit should not wait for a 10-hour resample.
  if (frames / sampleRate > maxSeconds) throw tooLong(path, maxSeconds);

  const mono = downmix(channels);
  const samples = resample(mono, sampleRate, TARGET_SAMPLE_RATE);
  return {
    samples,
    sampleRate: TARGET_SAMPLE_RATE,
    durationSeconds: samples.length / TARGET_SAMPLE_RATE,
    sourceSampleRate: sampleRate,
    channels: channels.length,
  };
}

/** The average of the channels: a phrase on one side of a stereo file survives at half level. */
function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const frames = channels[0]!.length;
  const mono = new Float32Array(frames);
  for (const channel of channels) {
    for (let i = 0; i < frames; i++) mono[i] += channel[i]!;
  }
  for (let i = 0; i < frames; i++) mono[i] /= channels.length;
  return mono;
}

function empty(path: string): MmragError {
  return new MmragError('FILE_EMPTY', `${path} holds no audio.`, {
    subject: path,
    hint: 'Nothing to index; remove the file or record again.',
  });
}

function tooLong(path: string, maxSeconds: number): MmragError {
  return new MmragError(
    'LIMIT_EXCEEDED',
    `${path} is longer than the limit of ${formatSeconds(maxSeconds)}.`,
    { subject: path, hint: 'Raise limits.maxAudioSeconds in the config, or split the recording.' },
  );
}

function formatSeconds(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${seconds} s`;
}
