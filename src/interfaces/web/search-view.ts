/**
 * The search page: one box that takes words, a dropped or pasted picture, or both; a switch
 * between Search (ranked hits) and Ask (a streamed answer with citations); modality filters.
 */

import { streamAnswer } from './answer-view.js';
import { apiJson, describeError } from './api-client.js';
import type { Modality, SearchReply } from './api-types.js';
import { errorBanner, h, replaceChildren, spinner } from './dom.js';
import { queryTerms } from './highlight.js';
import { MODALITY_LABELS } from './locator-text.js';
import { isVisualHit, resultCard, resultRow } from './result-views.js';

const RESULT_COUNT = 20;
const MODALITY_ORDER: Modality[] = ['text', 'pdf', 'image', 'audio'];

type Mode = 'search' | 'ask';

export function searchView(): HTMLElement {
  let image: File | undefined;
  let running: AbortController | undefined;

  const input = h('input', {
    type: 'search',
    id: 'query',
    name: 'q',
    class: 'query-input',
    autocomplete: 'off',
    placeholder: 'Search your files, or drop or paste a picture',
    'aria-label': 'Search words',
  });
  const fileInput = h('input', {
    type: 'file',
    accept: 'image/*',
    id: 'query-image',
    name: 'image',
    hidden: true,
  });
  const imageChip = h('div', { class: 'image-chip', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const status = h('div', { class: 'search-status', 'aria-live': 'polite' });
  const results = h('div', { class: 'results', id: 'results', tabindex: -1 });

  const modeInputs = (['search', 'ask'] as const).map((mode) =>
    h('input', {
      type: 'radio',
      name: 'mode',
      value: mode,
      id: `mode-${mode}`,
      checked: mode === 'search',
      onchange: () => updateMode(),
    }),
  );
  const filterInputs = MODALITY_ORDER.map((modality) =>
    h('input', { type: 'checkbox', name: 'modality', value: modality, checked: true }),
  );

  const form = h(
    'form',
    { class: 'query-form', role: 'search', 'aria-label': 'Search or ask', novalidate: true },
    h(
      'div',
      { class: 'mode-switch', role: 'radiogroup', 'aria-label': 'Mode' },
      modeInputs.flatMap((radio) => [
        radio,
        h('label', { for: radio.id }, radio.value === 'ask' ? 'Ask' : 'Search'),
      ]),
    ),
    h(
      'div',
      { class: 'query-box' },
      imageChip,
      input,
      h(
        'button',
        {
          type: 'button',
          class: 'image-button',
          'aria-label': 'Search with a picture',
          title: 'Search with a picture (or drop or paste one)',
          onclick: () => fileInput.click(),
        },
        h('span', { 'aria-hidden': 'true' }, '▣'),
        h('span', { class: 'image-button-label' }, ' Picture'),
      ),
      fileInput,
      submit,
    ),
    h(
      'fieldset',
      { class: 'filters' },
      h('legend', {}, 'Look in'),
      filterInputs.map((checkbox) =>
        h(
          'label',
          { class: 'filter' },
          checkbox,
          ` ${MODALITY_LABELS[checkbox.value as Modality]}`,
        ),
      ),
    ),
  );

  function mode(): Mode {
    return modeInputs.find((radio) => radio.checked)?.value === 'ask' ? 'ask' : 'search';
  }

  function updateMode(): void {
    const asking = mode() === 'ask';
    submit.textContent = asking ? 'Ask' : 'Search';
    input.placeholder = asking
      ? 'Ask a question about your files'
      : 'Search your files, or drop or paste a picture';
    input.setAttribute('aria-label', asking ? 'Question' : 'Search words');
  }

  function setImage(file: File | undefined): void {
    image = file;
    fileInput.value = '';
    if (!file) {
      imageChip.hidden = true;
      replaceChildren(imageChip);
      return;
    }
    const preview = h('img', { src: URL.createObjectURL(file), alt: '' });
    preview.addEventListener('load', () => URL.revokeObjectURL(preview.src), { once: true });
    replaceChildren(
      imageChip,
      preview,
      h('span', { class: 'image-chip-name', title: file.name }, file.name || 'pasted picture'),
      h(
        'button',
        {
          type: 'button',
          class: 'icon-button',
          'aria-label': `Remove the picture ${file.name}`,
          onclick: () => {
            setImage(undefined);
            input.focus();
          },
        },
        '×',
      ),
    );
    imageChip.hidden = false;
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) setImage(file);
    input.focus();
  });

  // A picture can be dropped anywhere on the form, or pasted into the box.
  form.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    form.classList.add('dragging');
  });
  form.addEventListener('dragleave', () => form.classList.remove('dragging'));
  form.addEventListener('drop', (event) => {
    form.classList.remove('dragging');
    const file = firstImage(event.dataTransfer?.files);
    if (!file) return;
    event.preventDefault();
    setImage(file);
  });
  input.addEventListener('paste', (event) => {
    const file = firstImage(event.clipboardData?.files);
    if (!file) return;
    event.preventDefault();
    setImage(file);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    running?.abort();
    running = new AbortController();
    void run(running.signal);
  });

  async function run(signal: AbortSignal): Promise<void> {
    const q = input.value.trim();
    const checked = filterInputs.filter((box) => box.checked).map((box) => box.value as Modality);
    const modalities = checked.length === MODALITY_ORDER.length ? undefined : checked;

    if (checked.length === 0) {
      showError('Tick at least one kind of file to look in.');
      return;
    }
    if (mode() === 'ask') {
      if (!q) return showError('Type a question to ask.');
      if (image) return showError('Ask takes words only. Remove the picture, or use Search.');
      replaceChildren(status);
      await streamAnswer(results, { q, k: 8, modalities, signal });
      return;
    }
    if (!q && !image) return showError('Type some words, or add a picture, to search.');

    replaceChildren(status, spinner('Searching'), ' Searching…');
    replaceChildren(results, skeleton());
    results.setAttribute('aria-busy', 'true');
    try {
      const reply = await searchRequest({ q, image, modalities, signal });
      if (signal.aborted) return;
      renderResults(reply, q);
    } catch (error) {
      if (signal.aborted) return;
      const { message, code } = describeError(error);
      replaceChildren(status);
      replaceChildren(results, errorBanner(message, code));
    } finally {
      if (!signal.aborted) results.removeAttribute('aria-busy');
    }
  }

  function showError(message: string): void {
    replaceChildren(status);
    replaceChildren(results, errorBanner(message));
    input.focus();
  }

  function renderResults(reply: SearchReply, q: string): void {
    const terms = queryTerms([q, reply.imageText ?? ''].join(' '));
    const count = reply.results.length;
    replaceChildren(
      status,
      count === 0 ? 'No results.' : `${count} result${count === 1 ? '' : 's'}.`,
      reply.imageText
        ? h('span', { class: 'image-text' }, ` Words in the picture: ${reply.imageText}`)
        : null,
    );
    if (count === 0) {
      replaceChildren(
        results,
        h(
          'p',
          { class: 'empty' },
          'Nothing matched. Try other words, or see Sources for what is indexed.',
        ),
      );
      return;
    }

    // Ranks are across all hits; the split is only about how each kind is best seen.
    const ranked = reply.results.map((hit, index) => ({ hit, rank: index + 1 }));
    const visual = ranked.filter(({ hit }) => isVisualHit(hit));
    const other = ranked.filter(({ hit }) => !isVisualHit(hit));
    replaceChildren(
      results,
      visual.length > 0
        ? h(
            'section',
            { 'aria-labelledby': 'grid-title' },
            h('h2', { class: 'section-title', id: 'grid-title' }, 'Pictures and pages'),
            h(
              'ul',
              { class: 'result-grid' },
              visual.map(({ hit, rank }) => resultCard(hit, rank, terms)),
            ),
          )
        : null,
      other.length > 0
        ? h(
            'section',
            { 'aria-labelledby': 'list-title' },
            h('h2', { class: 'section-title', id: 'list-title' }, 'Passages and recordings'),
            h(
              'ul',
              { class: 'result-list' },
              other.map(({ hit, rank }) => resultRow(hit, rank, terms)),
            ),
          )
        : null,
    );
  }

  return h('div', { class: 'view search-view' }, form, status, results);
}

interface SearchInput {
  q: string;
  image?: File;
  modalities?: Modality[];
  signal: AbortSignal;
}

function searchRequest({ q, image, modalities, signal }: SearchInput): Promise<SearchReply> {
  if (image) {
    const form = new FormData();
    form.append('image', image, image.name || 'pasted.png');
    if (q) form.append('q', q);
    form.append('k', String(RESULT_COUNT));
    if (modalities) form.append('modalities', modalities.join(','));
    return apiJson<SearchReply>('/v1/search', { method: 'POST', body: form, signal });
  }
  const params = new URLSearchParams({ q, k: String(RESULT_COUNT) });
  if (modalities) params.set('modality', modalities.join(','));
  return apiJson<SearchReply>(`/v1/search?${params}`, { signal });
}

function firstImage(files: FileList | undefined): File | undefined {
  return [...(files ?? [])].find((file) => file.type.startsWith('image/'));
}

/** Grey placeholders in the shape of results, while a search runs. */
function skeleton(): HTMLElement {
  return h(
    'div',
    { class: 'skeleton', 'aria-hidden': 'true' },
    h(
      'div',
      { class: 'skeleton-grid' },
      [1, 2, 3, 4].map(() => h('div', { class: 'skeleton-card' })),
    ),
    [1, 2, 3].map(() => h('div', { class: 'skeleton-row' })),
  );
}
