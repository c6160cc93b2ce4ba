import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { buildWhisperTonesFixture } from '../scripts/fixtures/whisper-tones.js';
import { decodeAudio } from '../src/audio/decode.js';
import { MmragError } from '../src/errors.js';
import { audioExtractor } from '../src/extract/audio/index.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractContext } from '../src/extract/extractor.js';
import type { Transcriber } from '../src/models/roles.js';
import { configureTransformers } from '../src/models/transformers/runtime.js';
import { createTransformersTranscriber } from '../src/models/transformers/transcriber.js';
import type { Extraction } from '../src/types.js';
import {
  concat,
  noise,
  placeAt,
  silence,
  stereo,
  synthesizeSpeech,
  writeWav,
} from './helpers/speech-tones.js';

const run = promisify(execFile);

let dir: string;
let transcriber: Transcriber;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmrag-'));
  const modelDir = join(dir, 'whisper-tones');
  await buildWhisperTonesFixture(modelDir);
  configureTransformers({ modelsDir: dir, offline: true });
  transcriber = await createTransformersTranscriber({ model: modelDir });
});

after(async () => {
  await transcriber?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function extractFile(
  path: string,
  context: Partial<ExtractContext> = {},
): Promise<Extraction> {
  const bytes = new Uint8Array(await readFile(path));
  return audioExtractor.extract(
    { path, bytes, type: { modality: 'audio', mime: 'audio/wav' } },
    { transcriber, wantImages: false, limits: DEFAULT_EXTRACT_LIMITS, ...context },
  );
}

async function transcriptOf(path: string): Promise<string> {
  const { segments } = await extractFile(path);
  return segments.map((segment) => segment.text).join(' ');
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(MmragError.isInstance(error), `expected an MmragError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

const PHRASE = ['hello', 'world', 'the', 'budget', 'meeting', 'tuesday'];

describe('audio transcription with the whisper-tones fixture', () => {
  test('a phrase transcribes to its words', async () => {
    const path = join(dir, 'phrase.wav');
    await writeWav(
      path,
      [concat(silence(0.5), synthesizeSpeech(PHRASE), silence(0.5))],
      16_000,
      16,
    );

    const { modality, segments } = await extractFile(path);
    assert.equal(modality, 'audio');
    assert.equal(segments.length, 1);
    assert.equal(segments[0]!.kind, 'transcript');
    assert.equal(segments[0]!.text, PHRASE.join(' '));
    assert.ok(segments[0]!.locator.start! >= 0.3 && segments[0]!.locator.start! <= 0.5);
  });

  test('words above 4 kHz transcribe too', async () => {
    const words = ['quarterly', 'report', 'team', 'patient', 'today', 'notes', 'review', 'sunny'];
    const path = join(dir, 'high.wav');
    await writeWav(path, [concat(silence(0.3), synthesizeSpeech(words), silence(0.3))], 16_000, 16);
    assert.equal(await transcriptOf(path), words.join(' '));
  });

  test('a 70 s recording gives three segments at their true times', async () => {
    const path = join(dir, 'long.wav');
    const audio = placeAt(70, [
      { at: 5, audio: synthesizeSpeech(['project', 'deadline']) },
      { at: 35, audio: synthesizeSpeech(['revenue', 'forecast']) },
      { at: 65, audio: synthesizeSpeech(['radiologist', 'wrist', 'fracture']) },
    ]);
    await writeWav(path, [audio], 16_000, 16);

    const { segments } = await extractFile(path);
    assert.deepEqual(
      segments.map((s) => s.text),
      ['project deadline', 'revenue forecast', 'radiologist wrist fracture'],
    );
    const [first, second, third] = segments.map((s) => s.locator);
    assert.ok(Math.abs(first!.start! - 5) < 0.3, `first starts at ${first!.start}`);
    assert.ok(Math.abs(second!.start! - 35) < 0.3, `second starts at ${second!.start}`);
    assert.ok(third!.start! > 60 && Math.abs(third!.start! - 65) < 0.3);
    for (let i = 0; i < segments.length; i++) {
      const { start, end } = segments[i]!.locator;
      assert.ok(start! < end!);
      if (i > 0) assert.ok(start! >= segments[i - 1]!.locator.end!);
    }
    assert.ok(third!.end! <= 70);
  });

  test('long continuous speech is split into windows the model takes', async () => {
    const words = ['hello', 'world', 'coffee', 'morning', 'lecture', 'podcast'];
    // 6 words × 0.5 s repeated: 45 s of speech with no pause longer than 0.1 s.
    const parts: Float32Array[] = [];
    for (let i = 0; i < 15; i++) parts.push(synthesizeSpeech(words));
    const path = join(dir, 'continuous.wav');
    await writeWav(path, [concat(silence(1), ...parts, silence(1))], 16_000, 16);

    const { segments } = await extractFile(path);
    assert.ok(segments.length >= 2, `got ${segments.length} segments`);
    for (const { locator } of segments) {
      assert.ok(locator.end! - locator.start! <= transcriber.maxWindowSeconds + 1e-6);
    }
    assert.ok(segments.at(-1)!.locator.end! > 45);
  });

  test('the same phrase at 8 kHz, 16 kHz and 44.1 kHz gives the same transcript', async () => {
    const words = ['hello', 'world', 'budget', 'meeting', 'weather', 'coffee'];
    const texts: string[] = [];
    for (const [rate, depth] of [
      [8000, 16],
      [16_000, 24],
      [44_100, '32f'],
    ] as const) {
      const path = join(dir, `rate-${rate}.wav`);
      const audio = concat(
        silence(0.5, rate),
        synthesizeSpeech(words, { sampleRate: rate }),
        silence(0.5, rate),
      );
      await writeWav(path, [audio], rate, depth);
      texts.push(await transcriptOf(path));
    }
    assert.deepEqual(texts, [words.join(' '), words.join(' '), words.join(' ')]);
  });

  test('8-bit and 32-bit integer WAV decode to the same speech', async () => {
    for (const depth of [8, 32] as const) {
      const path = join(dir, `depth-${depth}.wav`);
      const rate = 22_050;
      const audio = synthesizeSpeech(PHRASE, { sampleRate: rate });
      await writeWav(path, [concat(silence(0.5, rate), audio, silence(0.5, rate))], rate, depth);
      assert.equal(await transcriptOf(path), PHRASE.join(' '));
    }
  });

  test('stereo with a different phrase per channel gives all four words', async () => {
    const rate = 44_100;
    const say = (words: string[]) => synthesizeSpeech(words, { sampleRate: rate });
    const left = placeAt(6, [{ at: 0.5, audio: say(['budget', 'meeting']) }], rate);
    const right = placeAt(6, [{ at: 3, audio: say(['weather', 'forecast']) }], rate);
    const path = join(dir, 'stereo.wav');
    await writeWav(path, stereo(left, right), rate, 16);

    const decoded = await decodeAudio(new Uint8Array(await readFile(path)), { path });
    assert.equal(decoded.channels, 2);
    assert.equal(decoded.sourceSampleRate, 44_100);
    const words = (await transcriptOf(path)).split(' ');
    assert.deepEqual(words, ['budget', 'meeting', 'weather', 'forecast']);
  });

  test('silence and faint noise are "no speech"', async () => {
    const quiet = join(dir, 'silence.wav');
    await writeWav(quiet, [silence(10)], 16_000, 16);
    await rejectsWith(extractFile(quiet), 'NO_SPEECH');

    const hiss = join(dir, 'hiss.wav');
    await writeWav(hiss, [noise(10, 0.01)], 16_000, 16);
    await rejectsWith(extractFile(hiss), 'NO_SPEECH');
  });

  test('MP3, OGG and FLAC made with ffmpeg transcribe like the WAV', async () => {
    const wav = join(dir, 'source.wav');
    const rate = 44_100;
    const audio = synthesizeSpeech(PHRASE, { sampleRate: rate });
    await writeWav(wav, [concat(silence(0.5, rate), audio, silence(0.5, rate))], rate, 16);
    for (const [ext, codec] of [
      ['mp3', ['-c:a', 'libmp3lame', '-b:a', '128k']],
      ['ogg', ['-c:a', 'libvorbis', '-q:a', '5']],
      ['flac', ['-c:a', 'flac']],
      ['m4a', ['-c:a', 'aac', '-b:a', '128k']],
    ] as const) {
      const path = join(dir, `source.${ext}`);
      await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', wav, ...codec, path]);
      assert.equal(await transcriptOf(path), PHRASE.join(' '), ext);
    }
  });

  test('random bytes named .mp3 are a corrupt file', async () => {
    const path = join(dir, 'random.mp3');
    await writeFile(path, randomBytes(64 * 1024));
    await rejectsWith(extractFile(path), 'FILE_CORRUPT');
  });

  test('without ffmpeg an MP3 fails with a message that says how to install it', async () => {
    const wav = join(dir, 'for-mp3.wav');
    await writeWav(wav, [synthesizeSpeech(['hello'])], 16_000, 16);
    const path = join(dir, 'no-ffmpeg.mp3');
    await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', wav, path]);

    const saved = process.env.MMRAG_FFMPEG;
    process.env.MMRAG_FFMPEG = join(dir, 'no-such-ffmpeg');
    try {
      await assert.rejects(extractFile(path), (error: unknown) => {
        assert.ok(MmragError.isInstance(error));
        assert.equal(error.subject, path);
        assert.ok(error.message.includes(path));
        assert.match(error.message, /install ffmpeg \(apt-get install ffmpeg\)/i);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.MMRAG_FFMPEG;
      else process.env.MMRAG_FFMPEG = saved;
    }
  });

  test('a zero-byte WAV is an empty file', async () => {
    const path = join(dir, 'empty.wav');
    await writeFile(path, new Uint8Array(0));
    await rejectsWith(extractFile(path), 'FILE_EMPTY');
  });

  test('a recording past the limit is refused', async () => {
    const path = join(dir, 'limit.wav');
    await writeWav(path, [silence(12)], 16_000, 16);
    const limits = { ...DEFAULT_EXTRACT_LIMITS, maxAudioSeconds: 10 };
    await rejectsWith(extractFile(path, { limits }), 'LIMIT_EXCEEDED');
  });

  test('without a transcriber the message names the full model set', async () => {
    const path = join(dir, 'phrase.wav');
    await assert.rejects(extractFile(path, { transcriber: undefined }), (error: unknown) => {
      assert.ok(MmragError.isInstance(error));
      assert.match(error.message, /speech recognition needs the full model set/);
      assert.match(error.message, /mmrag models pull/);
      return true;
    });
  });
});

describe('the whisper-tones fixture', () => {
  test('builds byte-identical files every time', async () => {
    const again = join(dir, 'whisper-tones-again');
    await buildWhisperTonesFixture(again);
    for (const file of [
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged.onnx',
      'tokenizer.json',
    ]) {
      const a = await readFile(join(dir, 'whisper-tones', file));
      const b = await readFile(join(again, file));
      assert.ok(a.equals(b), file);
    }
  });
});
