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

  // wavefile parses the chunks; the samples are read here, straight from the data chunk's
  // bytes, since its per-sample getSamples took about a second per minute of CD audio.
  const data = (wav.data as { samples?: Uint8Array }).samples ?? new Uint8Array(0);
  const channels = readSamples(data, {
    channels: format.numChannels,
    bits: format.bitsPerSample,
    float: wav.bitDepth === '32f' || wav.bitDepth === '64',
    littleEndian: wav.container !== 'RIFX',
  });
  if (!channels) {
    throw corrupt(subject, new Error(`unsupported sample format ${wav.bitDepth}`));
  }
  return { channels, sampleRate: format.sampleRate };
}

interface SampleLayout {
  channels: number;
  bits: number;
  float: boolean;
  littleEndian: boolean;
}

/** De-interleaves and scales to [-1, 1]; undefined for a layout this does not read. */
function readSamples(bytes: Uint8Array, layout: SampleLayout): Float32Array[] | undefined {
  const { channels, bits, float, littleEndian } = layout;
  const width = Math.ceil(bits / 8);
  const frames = Math.floor(bytes.length / (width * channels));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = sampleReader(view, { width, float, littleEndian });
  if (!read) return undefined;

  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    for (let c = 0; c < channels; c++) out[c]![frame] = read((frame * channels + c) * width);
  }
  return out;
}

function sampleReader(
  view: DataView,
  { width, float, littleEndian }: { width: number; float: boolean; littleEndian: boolean },
): ((offset: number) => number) | undefined {
  if (float) {
    if (width === 4) return (at) => view.getFloat32(at, littleEndian);
    if (width === 8) return (at) => view.getFloat64(at, littleEndian);
    return undefined;
  }

  // Integer PCM is left-justified in its container: scale by the container's full range.
  // 8-bit WAV is unsigned with 128 as silence; wider depths are signed.
  switch (width) {
    case 1:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 2:
      return (at) => view.getInt16(at, littleEndian) / 32768;
    case 3:
      return (at) => {
        const [b0, b1, b2] = littleEndian
          ? [view.getUint8(at), view.getUint8(at + 1), view.getInt8(at + 2)]
          : [view.getUint8(at + 2), view.getUint8(at + 1), view.getInt8(at)];
        return (b2 * 65536 + b1 * 256 + b0) / 8388608;
      };
    case 4:
      return (at) => view.getInt32(at, littleEndian) / 2147483648;
    default:
      return undefined;
  }
}

function corrupt(subject: string, cause: unknown): MmragError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MmragError('FILE_CORRUPT', `${subject} is not a readable WAV file (${reason}).`, {
    subject,
    hint: 'Check that the file plays; re-export it as WAV, MP3 or FLAC.',
    cause,
  });
}
