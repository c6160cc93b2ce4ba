/**
 * The evidence of one hit or citation, in a modal dialog: the PDF page with the region marked,
 * the picture with its box, the recording at its time, or the passage in its file. A native
 * <dialog> gives Esc to close, a focus trap, and focus back on the opener.
 */
import { apiFetch, describeError } from './api-client.js';
import type { Evidence } from './api-types.js';
import { baseName, errorBanner, h, replaceChildren, spinner } from './dom.js';
import { highlighted } from './highlight.js';
import { describeLocator, MODALITY_LABELS } from './locator-text.js';
import { audioUrl, fileUrl, pageUrl, seekWhenReady } from './media-urls.js';
import { regionImage } from './region-image.js';

/** Passages are shown in their file with this much text either side. */
const CONTEXT_CHARS = 400;

/** Files larger than this are not fetched to show a passage; the indexed text is shown. */
const MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024;

let dialog: HTMLDialogElement | undefined;

export function openEvidence(evidence: Evidence): void {
  dialog ??= createDialog();
  const body = dialog.querySelector<HTMLElement>('.evidence-body')!;
  const title = dialog.querySelector<HTMLElement>('#evidence-title')!;
  const where = dialog.querySelector<HTMLElement>('.evidence-where')!;

  title.textContent = baseName(evidence.path);
  title.title = evidence.path;
  replaceChildren(
    where,
    h('span', { class: `badge badge-${evidence.modality}` }, MODALITY_LABELS[evidence.modality]),
    h('span', { class: 'evidence-path' }, evidence.path),
    describeLocator(evidence.locator, evidence.modality) || null,
  );
  replaceChildren(body, ...evidenceContent(evidence));

  if (!dialog.open) dialog.showModal();
  dialog.querySelector<HTMLButtonElement>('.evidence-close')?.focus();
}

function createDialog(): HTMLDialogElement {
  const panel = h(
    'dialog',
    { class: 'evidence', 'aria-labelledby': 'evidence-title' },
    h(
      'header',
      { class: 'evidence-header' },
      h('div', {}, h('h2', { id: 'evidence-title' }), h('p', { class: 'evidence-where' })),
      h(
        'button',
        {
          type: 'button',
          class: 'evidence-close icon-button',
          'aria-label': 'Close evidence (Esc)',
          onclick: () => panel.close(),
        },
        '×',
      ),
    ),
    h('div', { class: 'evidence-body' }),
  );

  // A click on the backdrop (outside the panel's box) closes it too.
  panel.addEventListener('click', (event) => {
    if (event.target === panel) panel.close();
  });

  // Stops a recording that was playing when the panel closes.
  panel.addEventListener('close', () => {
    for (const audio of panel.querySelectorAll('audio')) audio.pause();
  });
  document.body.append(panel);
  return panel;
}

function evidenceContent(evidence: Evidence): Node[] {
  const { locator, segmentId, text } = evidence;
  const terms = evidence.terms ?? [];
  const quote = text
    ? h('blockquote', { class: 'evidence-quote' }, highlighted(text, terms))
    : null;
  const open = h(
    'a',
    { href: fileUrl(segmentId), target: '_blank', rel: 'noopener', class: 'open-file' },
    'Open the file',
  );

  switch (evidence.modality) {
    case 'pdf':
      return [
        regionImage({
          src: pageUrl(segmentId, 1000),
          alt: `Page ${locator.page ?? ''} of ${baseName(evidence.path)}`,
          bbox: locator.bbox,
          loading: 'eager',
          className: 'evidence-picture',
        }),
        ...present(quote),
        open,
      ];
    case 'image':
      return [
        regionImage({
          // The original: thumbnails are for grids, and OCR boxes need the sharp picture.
          src: fileUrl(segmentId),
          alt: baseName(evidence.path),
          bbox: locator.bbox,
          loading: 'eager',
          className: 'evidence-picture',
        }),
        ...present(quote),
        open,
      ];
    case 'audio': {
      const audio = h('audio', {
        controls: true,
        preload: 'metadata',
        src: audioUrl(segmentId, locator.start),
        class: 'evidence-audio',
        'aria-label': `Recording ${baseName(evidence.path)}`,
      });
      seekWhenReady(audio, locator.start);
      return [audio, ...present(quote), open];
    }
    default:
      return [passage(evidence), open];
  }
}

function present(node: Node | null): Node[] {
  return node ? [node] : [];
}

/**
 * The passage inside its file, when the file is plain text whose characters the locator's
 * range counts; otherwise (HTML, where the range counts visible text) the indexed text.
 */
function passage(evidence: Evidence): HTMLElement {
  const { locator } = evidence;
  const heading = locator.headingPath?.length
    ? h(
        'nav',
        { class: 'heading-path', 'aria-label': 'Headings above the passage' },
        h(
          'ol',
          {},
          locator.headingPath.map((part) => h('li', {}, part)),
        ),
      )
    : null;
  const range =
    locator.charStart !== undefined && locator.charEnd !== undefined
      ? h('p', { class: 'char-range' }, `Characters ${locator.charStart}–${locator.charEnd}`)
      : null;
  const holder = h('div', { class: 'passage', 'aria-busy': 'true' }, spinner('Loading passage'));
  const section = h('section', { class: 'evidence-passage' }, heading, range, holder);

  void loadPassage(evidence).then(
    (nodes) => {
      holder.removeAttribute('aria-busy');
      replaceChildren(holder, nodes);
    },
    (error) => {
      holder.removeAttribute('aria-busy');
      const { message, code } = describeError(error);
      replaceChildren(holder, errorBanner(message, code), indexedText(evidence));
    },
  );
  return section;
}

async function loadPassage(evidence: Evidence): Promise<Node[]> {
  const { charStart, charEnd } = evidence.locator;
  if (charStart === undefined || charEnd === undefined) return [indexedText(evidence)];

  const response = await apiFetch(`/v1/media/${encodeURIComponent(evidence.segmentId)}/file`);
  const type = response.headers.get('Content-Type') ?? '';
  const size = Number(response.headers.get('Content-Length') ?? 0);
  if (!type.startsWith('text/') || type.startsWith('text/html') || size > MAX_TEXT_FILE_BYTES) {
    await response.body?.cancel();
    return [indexedText(evidence)];
  }

  const content = await response.text();
  if (charEnd > content.length) return [indexedText(evidence)];
  const before = content.slice(Math.max(0, charStart - CONTEXT_CHARS), charStart);
  const after = content.slice(charEnd, charEnd + CONTEXT_CHARS);
  const match = h(
    'mark',
    { class: 'passage-match' },
    highlighted(content.slice(charStart, charEnd), evidence.terms ?? []),
  );
  return [
    h(
      'pre',
      { class: 'passage-text', tabindex: 0 },
      charStart > CONTEXT_CHARS ? '…' : '',
      before,
      match,
      after,
      charEnd + CONTEXT_CHARS < content.length ? '…' : '',
    ),
  ];
}

function indexedText(evidence: Evidence): HTMLElement {
  return h(
    'blockquote',
    { class: 'evidence-quote' },
    highlighted(evidence.text, evidence.terms ?? []),
  );
}
