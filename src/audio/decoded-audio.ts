/** What decoding a recording yields, whatever its container and codec. */
export interface DecodedAudio {
  /** Mono PCM in [-1, 1] at 16 kHz: channels averaged, resampled with a low-pass filter. */
  samples: Float32Array;
  sampleRate: 16000;
  durationSeconds: number;
  /** The file's own sample rate, in Hz (0 when the decoder did not say). */
  sourceSampleRate: number;
  /** The file's own channel count (0 when the decoder did not say). */
  channels: number;
}

/** The rate every stage after decoding works at: Whisper's, and enough for speech. */
export const TARGET_SAMPLE_RATE = 16_000;
