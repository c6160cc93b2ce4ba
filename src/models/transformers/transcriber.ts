/**
 * A `Transcriber` on a Transformers.js Whisper export (`onnx/encoder_model.onnx` plus
 * `onnx/decoder_model_merged.onnx`): log-mel features from the model's own processor, greedy
 * decoding with `generate`, special tokens dropped. The caller hands it windows of at most
 * 30 s of 16 kHz mono audio; the audio extractor does the windowing and the timing.
 */
import {
  AutoProcessor,
  type Processor,
  type Tensor,
  WhisperForConditionalGeneration,
} from '@huggingface/transformers';
import { MmragError } from '../../errors.js';
import type { CallOptions, Transcriber } from '../roles.js';
import { loadModelPart, pretrainedOptions } from './runtime.js';
import { throwIfAborted } from './vectors.js';

export interface TransformersTranscriberOptions {
  /** A hub id (`onnx-community/whisper-base.en`), a folder under the models folder, or an absolute path. */
  model: string;
  /** Which weights: `fp32` is `onnx/<part>.onnx`, `q8` is `onnx/<part>_quantized.onnx`. @default 'fp32' */
  dtype?: 'fp32' | 'q8';
}

// Whisper's encoder sees exactly 30 s; the processor pads shorter windows with silence.
const WHISPER_WINDOW_SECONDS = 30;
const SAMPLE_RATE = 16_000;

export async function createTransformersTranscriber(
  options: TransformersTranscriberOptions,
): Promise<Transcriber> {
  const { model: id, dtype = 'fp32' } = options;

  const loadOptions = pretrainedOptions();
  const [processor, model] = await loadModelPart(id, () =>
    Promise.all([
      AutoProcessor.from_pretrained(id, loadOptions),
      WhisperForConditionalGeneration.from_pretrained(id, { ...loadOptions, dtype, device: 'cpu' }),
    ]),
  );

  async function transcribe(
    audio: Float32Array,
    callOptions: CallOptions = {},
  ): Promise<{ text: string }> {
    throwIfAborted(callOptions.signal, id);
    if (audio.length === 0) return { text: '' };

    // The processor would truncate (and warn) past 30 s; the contract says windows fit.
    const window = audio.subarray(0, WHISPER_WINDOW_SECONDS * SAMPLE_RATE);
    try {
      const inputs = await (processor as Processor)(window);
      const tokens = (await model.generate({ ...inputs })) as Tensor;
      const [text = ''] = processor.batch_decode(tokens, { skip_special_tokens: true });
      return { text: text.trim() };
    } catch (error) {
      throw new MmragError(
        'MODEL_FAILED',
        `Speech model ${id} failed on a window of ${(audio.length / SAMPLE_RATE).toFixed(1)} s.`,
        {
          subject: id,
          hint: 'Check that the folder holds a Whisper export with encoder_model and decoder_model_merged.',
          cause: error,
        },
      );
    }
  }

  return {
    id,
    maxWindowSeconds: WHISPER_WINDOW_SECONDS,
    transcribe,
    async dispose() {
      await model.dispose();
    },
  };
}
