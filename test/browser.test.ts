/**
 * The web UI in headless Chromium against a real `mmrag serve`: what a person does in the
 * browser (search by words and by picture, open evidence, ask, upload) and what they would see.
 * Screenshots of the pages go to test/artifacts/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createEngine } from '../src/index.js';
import { type Browser, CHROMIUM_PATH, launchChromium } from './helpers/browser-chromium.js';
import { makeBrowserLibrary, SPEECH_START_SECONDS, solidPng } from './helpers/browser-library.js';
import {
  buildWebUi,
  type ServerProcess,
  startServe,
  writeFixtureConfig,
} from './helpers/browser-server.js';
import { fixtureEngineOptions } from './helpers/e2e-fixture-models.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

const API_KEY = 'browser-test-key-0123';

/** Waits in the browser are for things the UI shows; this bounds each one. */
const UI_TIMEOUT_MS = 20_000;

describe('web UI in Chromium', {
  skip: !existsSync(CHROMIUM_PATH) && `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
}, () => {
  let root: string;
  let library: string;
  let server: ServerProcess;
  let keyed: ServerProcess;
  let browser: Browser;
  let page: Page;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mmrag-browser-'));
    library = await makeBrowserLibrary(root);
    await mkdir(join(root, 'shared', 'garden'), { recursive: true });
    await writeFile(
      join(root, 'shared', 'garden', 'tomatoes.md'),
      '# Garden\n\nThe tomatoes need water every evening.\n',
    );
    const indexDir = join(root, 'index');

    // The UI builds while the library is indexed: both take seconds.
    const ui = buildWebUi();
    const engine = await createEngine(await fixtureEngineOptions(indexDir));
    const report = await engine.ingest([library]);
    await engine.close();
    assert.equal(report.counts.failed, 0, JSON.stringify(report.files, null, 2));
    await ui;

    await writeFixtureConfig(root);
    // The second server wants a key and shares the index read-only: it starts once the first
    // holds the writer lock, while Chromium launches.
    server = await startServe({ cwd: root, indexDir, allowRoots: [join(root, 'shared')] });
    [keyed, browser] = await Promise.all([
      startServe({ cwd: root, indexDir, apiKey: API_KEY }),
      launchChromium(),
    ]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await mkdir(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await keyed?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Screenshots wait for every picture, so the artifact shows the page as a person sees it. */
  async function screenshot(name: string, fullPage = true): Promise<void> {
    await page.locator('.region-image.loading').first().waitFor({ state: 'detached' });
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage });
  }

  async function search(words: string): Promise<void> {
    await page.goto(server.url);
    await page.locator('#query').fill(words);
    await page.locator('#query').press('Enter');
    await page.locator('.search-status', { hasText: /result/ }).waitFor();
  }

  test('a text search lists the note first, with the words marked', async () => {
    await search('x-ray of the left wrist');

    const first = page.locator('.result-list .hit').first();
    assert.equal(await first.getAttribute('data-path'), join(library, 'wrist.md'));
    const marked = await first.locator('mark').allTextContents();
    assert.ok(marked.map((word) => word.toLowerCase()).includes('wrist'), marked.join());
    assert.match((await first.locator('.hit-where').textContent()) ?? '', /Radiology › Findings/);
  });

  test('by keyboard: Enter opens a hit, Esc closes it, focus comes back and shows', async () => {
    await search('x-ray of the left wrist');
    await page.keyboard.press('Tab');
    const opener = page.locator('.result-list .hit-name').first();
    await opener.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('dialog.evidence[open]');
    await panel.waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains('evidence-close')),
      true,
    );

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    assert.equal(await opener.evaluate((button) => button === document.activeElement), true);
    const outline = await opener.evaluate((button) => getComputedStyle(button).outlineStyle);
    assert.equal(outline, 'solid');
  });

  test('a picture as the query finds the red picture first', async () => {
    await page.goto(server.url);
    await page.locator('#query-image').setInputFiles({
      name: 'query.png',
      mimeType: 'image/png',
      buffer: await solidPng([200, 40, 40]),
    });
    await page.locator('.image-chip', { hasText: 'query.png' }).waitFor();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('.search-status', { hasText: /result/ }).waitFor();

    const first = page.locator('.result-grid .card').first();
    assert.equal(await first.getAttribute('data-path'), join(library, 'red.png'));
    // The thumbnail is served by the API and really decodes.
    await first.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await screenshot('search-by-image.png');
  });

  test('a PDF hit opens its page with the region marked; Esc closes it', async () => {
    await search('sales of umbrellas');
    const card = page.locator('.result-grid .card', { has: page.locator('.badge-pdf') }).first();
    assert.equal(await card.getAttribute('data-path'), join(library, 'report.pdf'));
    await card.locator('.card-open').click();

    const panel = page.locator('dialog.evidence[open]');
    await panel.waitFor();
    assert.equal(await panel.locator('#evidence-title').textContent(), 'report.pdf');
    const image = panel.locator('.region-image img');
    await image.evaluate((img: HTMLImageElement) => img.decode());
    assert.ok((await image.evaluate((img: HTMLImageElement) => img.naturalWidth)) > 100);
    assert.equal(await panel.locator('.region-box').count(), 1);
    await screenshot('pdf-evidence.png', false);

    await page.keyboard.press('Escape');
    await page.locator('dialog.evidence[open]').waitFor({ state: 'detached' });
  });

  test('an audio hit has a player that starts at the matched second', async () => {
    await search('budget meeting');
    const hit = page.locator('.result-list .hit', { has: page.locator('audio') }).first();
    assert.equal(await hit.getAttribute('data-path'), join(library, 'standup.wav'));

    const start = await hit.locator('audio').evaluate(async (audio: HTMLAudioElement) => {
      audio.preload = 'metadata';
      audio.load();
      await new Promise((resolve) => audio.addEventListener('seeked', resolve, { once: true }));
      return audio.currentTime;
    });
    assert.ok(Math.abs(start - SPEECH_START_SECONDS) < 1.5, `player starts at ${start}s`);
  });

  test('an answer streams, and citation [1] opens its evidence', async (t) => {
    const health = await page.request.post(`${server.url}/v1/ask`, { data: { q: 'wrist' } });
    if (health.status() === 501) {
      t.skip('this build has no engine.ask');
      return;
    }
    await page.goto(server.url);
    await page.locator('label[for="mode-ask"]').click();
    await page.locator('#query').fill('What does the x-ray of the left wrist show?');

    // Counts text pieces added to the answer while it is still marked busy: the stream.
    await page.evaluate(() => {
      const seen = { streamed: 0 };
      (window as unknown as { answerSeen: typeof seen }).answerSeen = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          const target = record.target as Element;
          if (!target.classList?.contains('answer-text')) continue;
          const busy = target.closest('.answer')?.getAttribute('aria-busy') === 'true';
          if (busy && record.addedNodes.length > 0) seen.streamed += 1;
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('#query').press('Enter');

    const cite = page.locator('.answer-text button.cite[data-citation="1"]');
    await cite.waitFor();
    const streamed = await page.evaluate(
      () => (window as unknown as { answerSeen: { streamed: number } }).answerSeen.streamed,
    );
    assert.ok(streamed >= 1, 'no text arrived before the answer was complete');
    assert.ok(((await page.locator('.answer-text').textContent()) ?? '').length > 10);
    await screenshot('ask-answer.png');

    await cite.click();
    const panel = page.locator('dialog.evidence[open]');
    await panel.waitFor();
    assert.equal(await panel.locator('#evidence-title').textContent(), 'wrist.md');
    await panel.locator('.passage-match').waitFor();
    assert.match((await panel.locator('.passage-text').textContent()) ?? '', /left wrist/);
    await screenshot('ask-evidence.png', false);
    await page.keyboard.press('Escape');
  });

  test('an uploaded file becomes searchable, and can be removed', async () => {
    await page.goto(`${server.url}/sources`);
    await page.locator('.counts').waitFor();
    assert.equal(await page.locator('.counts [data-modality="image"] dd').textContent(), '3');

    await page.locator('#upload-files').setInputFiles({
      name: 'hangar.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Hangar\n\nThe zeppelin inspection is due in the north hangar.\n'),
    });
    const job = page.locator('.job').first();
    await job.locator('.job-text', { hasText: /Done/ }).waitFor();
    assert.match((await job.locator('.job-text').textContent()) ?? '', /1 indexed/);
    const row = page.locator('.source', { hasText: 'hangar.md' });
    await row.waitFor();
    await screenshot('sources.png');

    await search('zeppelin inspection');
    const first = page.locator('.result-list .hit').first();
    assert.match((await first.getAttribute('data-path')) ?? '', /hangar\.md$/);

    await page.goto(`${server.url}/sources`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.source', { hasText: 'hangar.md' }).getByRole('button').click();
    await page.locator('.source-notice', { hasText: 'Removed 1' }).waitFor();
    // The notice comes first; the list is fetched again right after it.
    await page.locator('.source', { hasText: 'hangar.md' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('.source', { hasText: 'hangar.md' }).count(), 0);
  });

  test('a folder on the allow-list is indexed from the sources page', async () => {
    await page.goto(`${server.url}/sources`);
    await page.locator('#folder-path').fill(join(root, 'shared', 'garden'));
    await page.locator('#folder-path').press('Enter');
    const job = page.locator('.job').first();
    await job.locator('.job-text', { hasText: /Done/ }).waitFor();
    await page.locator('.source', { hasText: 'tomatoes.md' }).waitFor();

    // Outside the allow-list the server refuses, and the page shows its reason.
    await page.locator('#folder-path').fill(library);
    await page.locator('#folder-path').press('Enter');
    await page.locator('.job[data-status="failed"] .banner-error').waitFor();
  });

  test('a server with an API key: the UI asks for it, then searches and shows pictures', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(keyed.url);
    const prompt = tab.locator('dialog.key-dialog[open]');
    await prompt.waitFor();
    await prompt.locator('input').fill(API_KEY);
    await prompt.locator('input').press('Enter');
    await prompt.waitFor({ state: 'detached' });

    await tab.locator('#query').fill('red');
    await tab.locator('#query').press('Enter');
    const card = tab.locator('.result-grid .card').first();
    await card.waitFor();
    assert.equal(await card.getAttribute('data-path'), join(library, 'red.png'));
    // <img> cannot send headers: the picture loads only if the key went into its URL.
    await card.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await tab.close();
  });

  test('on a narrow window everything sits in one column', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await search('red');
    const widths = await page
      .locator('.result-grid .card')
      .evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().left));
    assert.ok(widths.length >= 1);
    assert.equal(new Set(widths).size, 1, 'cards sit side by side');
    await screenshot('narrow.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("a refused query shows the server's message", async () => {
    await page.goto(server.url);
    await page.locator('label[for="mode-ask"]').click();
    await page.locator('#query-image').setInputFiles({
      name: 'q.png',
      mimeType: 'image/png',
      buffer: await solidPng([10, 10, 10]),
    });
    await page.locator('#query').fill('What colour is this?');
    await page.locator('#query').press('Enter');
    await page.locator('.banner-error', { hasText: 'Ask takes words only' }).waitFor();

    // A "picture" whose bytes are not one: the server refuses it and the UI says why.
    await page.goto(server.url);
    await page.locator('#query-image').setInputFiles({
      name: 'broken.png',
      mimeType: 'image/png',
      buffer: Buffer.from('these bytes are not a picture at all'),
    });
    await page.locator('#query').press('Enter');
    const banner = page.locator('.results .banner-error');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    assert.match(text, /^Error[A-Z_]+\S/, text);
    assert.ok(text.length > 25, text);
  });
});
