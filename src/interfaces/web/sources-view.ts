/**
 * The sources page: what is indexed (files per modality, failures with their reasons), adding
 * a folder from the server's allow-list or uploading files with progress, and removing.
 */
import { apiEvents, apiJson, describeError, jsonBody, uploadForm } from './api-client.js';
import type { JobState, Modality, SourceRecord, SourcesReply } from './api-types.js';
import { baseName, errorBanner, formatSeconds, h, replaceChildren, spinner } from './dom.js';
import { MODALITY_LABELS } from './locator-text.js';

const MODALITY_ORDER: Modality[] = ['text', 'pdf', 'image', 'audio'];

/** Job state is polled this often when its event stream breaks. */
const POLL_MS = 500;

export interface SourcesView {
  element: HTMLElement;
  refresh(): Promise<void>;
}

export function sourcesView(): SourcesView {
  const summary = h('div', { class: 'source-summary', 'aria-live': 'polite' });
  const listing = h('div', { class: 'source-listing' });
  const jobs = h('ul', { class: 'jobs', 'aria-label': 'Indexing jobs', 'aria-live': 'polite' });
  const notice = h('div', { class: 'source-notice', 'aria-live': 'polite' });

  const uploadInput = h('input', {
    type: 'file',
    multiple: true,
    id: 'upload-files',
    name: 'files',
    class: 'file-input',
  });
  const dropzone = h(
    'div',
    { class: 'dropzone' },
    h('label', { for: 'upload-files', class: 'field-label' }, 'Upload files'),
    uploadInput,
    h('p', { class: 'hint' }, 'Or drop files here. Text, Markdown, HTML, PDF, pictures, audio.'),
  );
  const folderInput = h('input', {
    type: 'text',
    id: 'folder-path',
    name: 'path',
    placeholder: '/srv/notes',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const folderForm = h(
    'form',
    { class: 'folder-form' },
    h('label', { for: 'folder-path', class: 'field-label' }, 'Add a folder on the server'),
    h(
      'div',
      { class: 'inline-field' },
      folderInput,
      h('button', { type: 'submit', class: 'primary' }, 'Index folder'),
    ),
    h('p', { class: 'hint' }, 'Only folders under the server’s --allow-root can be added.'),
  );

  uploadInput.addEventListener('change', () => {
    const files = [...(uploadInput.files ?? [])];
    uploadInput.value = '';
    if (files.length > 0) void upload(files);
  });
  dropzone.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    dropzone.classList.add('dragging');
  });
  dropzone.addEventListener('dragleave', () => dropzone.classList.remove('dragging'));
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropzone.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) void upload(files);
  });
  folderForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const path = folderInput.value.trim();
    if (!path) {
      replaceChildren(notice, errorBanner('Type the folder’s path on the server.'));
      folderInput.focus();
      return;
    }
    void addFolder(path);
  });

  async function upload(files: File[]): Promise<void> {
    const label = files.length === 1 ? files[0]!.name : `${files.length} files`;
    const job = jobRow(`Uploading ${label}`);
    jobs.prepend(job.element);
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    try {
      const { jobId } = await uploadForm<{ jobId: string }>('/v1/ingest', form, (fraction) =>
        job.uploading(fraction),
      );
      job.title(`Indexing ${label}`);
      await follow(jobId, job);
    } catch (error) {
      job.failed(error);
    }
  }

  async function addFolder(path: string): Promise<void> {
    const job = jobRow(`Indexing ${path}`);
    jobs.prepend(job.element);
    try {
      const { jobId } = await apiJson<{ jobId: string }>('/v1/ingest', jsonBody({ path }));
      folderInput.value = '';
      await follow(jobId, job);
    } catch (error) {
      job.failed(error);
    }
  }

  async function follow(jobId: string, job: JobRow): Promise<void> {
    const final = await trackJob(jobId, (state) => job.update(state));
    job.update(final);
    await refresh();
  }

  async function remove(source: SourceRecord, button: HTMLButtonElement): Promise<void> {
    if (!window.confirm(`Remove ${source.path} from the index? The file itself stays.`)) return;
    button.disabled = true;
    replaceChildren(notice, spinner('Removing'), ` Removing ${baseName(source.path)}…`);
    try {
      const params = new URLSearchParams({ path: source.path });
      const { removed } = await apiJson<{ removed: { path: string }[] }>(`/v1/sources?${params}`, {
        method: 'DELETE',
      });
      replaceChildren(
        notice,
        h('p', { class: 'banner banner-ok' }, `Removed ${removed.length} file(s) from the index.`),
      );
      await refresh();
    } catch (error) {
      button.disabled = false;
      const { message, code } = describeError(error);
      replaceChildren(notice, errorBanner(message, code));
    }
  }

  async function refresh(): Promise<void> {
    if (!listing.hasChildNodes()) replaceChildren(listing, spinner('Loading sources'));
    try {
      const reply = await apiJson<SourcesReply>('/v1/sources');
      replaceChildren(summary, summaryCounts(reply));
      replaceChildren(listing, sourceList(reply, remove));
    } catch (error) {
      const { message, code } = describeError(error);
      replaceChildren(listing, errorBanner(message, code));
    }
  }

  const element = h(
    'div',
    { class: 'view sources-view' },
    h('h1', { class: 'page-title' }, 'Sources'),
    summary,
    h(
      'section',
      { class: 'add-sources', 'aria-labelledby': 'add-title' },
      h('h2', { class: 'section-title', id: 'add-title' }, 'Add to the index'),
      h('div', { class: 'add-grid' }, dropzone, folderForm),
      jobs,
    ),
    notice,
    h(
      'section',
      { 'aria-labelledby': 'indexed-title' },
      h('h2', { class: 'section-title', id: 'indexed-title' }, 'Files'),
      listing,
    ),
  );
  return { element, refresh };
}

function summaryCounts(reply: SourcesReply): HTMLElement {
  const total = MODALITY_ORDER.reduce((sum, modality) => sum + (reply.files[modality] ?? 0), 0);
  return h(
    'dl',
    { class: 'counts' },
    h('div', {}, h('dt', {}, 'Indexed files'), h('dd', {}, total)),
    MODALITY_ORDER.map((modality) =>
      h(
        'div',
        { 'data-modality': modality },
        h('dt', {}, MODALITY_LABELS[modality]),
        h('dd', {}, reply.files[modality] ?? 0),
      ),
    ),
    h(
      'div',
      { class: reply.failed.length > 0 ? 'count-bad' : '' },
      h('dt', {}, 'Failed'),
      h('dd', {}, reply.failed.length),
    ),
    h('div', {}, h('dt', {}, 'Skipped'), h('dd', {}, reply.skipped.length)),
  );
}

function sourceList(
  reply: SourcesReply,
  remove: (source: SourceRecord, button: HTMLButtonElement) => Promise<void>,
): HTMLElement {
  if (reply.sources.length === 0) {
    return h('p', { class: 'empty' }, 'Nothing is indexed yet. Upload files or add a folder.');
  }
  const sorted = [...reply.sources].sort(
    (a, b) => statusOrder(a) - statusOrder(b) || a.path.localeCompare(b.path),
  );
  return h(
    'ul',
    { class: 'source-list' },
    sorted.map((source) => {
      const button = h(
        'button',
        { type: 'button', class: 'danger', 'aria-label': `Remove ${source.path}` },
        'Remove',
      );
      button.addEventListener('click', () => void remove(source, button));
      return h(
        'li',
        { class: `source source-${source.status}`, 'data-path': source.path },
        h(
          'div',
          { class: 'source-main' },
          h('span', { class: `badge badge-${source.modality}` }, modalityLabel(source.modality)),
          h('span', { class: 'source-name' }, baseName(source.path)),
          h('span', { class: 'source-path' }, source.path),
        ),
        h(
          'p',
          { class: 'source-meta' },
          source.status === 'indexed'
            ? `${source.segmentCount} segment${source.segmentCount === 1 ? '' : 's'} · ${size(source.size)}`
            : h('span', { class: `status status-${source.status}` }, source.status),
          source.status !== 'indexed' && source.reason
            ? h('span', { class: 'source-reason' }, ` ${source.reason}`)
            : null,
        ),
        button,
      );
    }),
  );
}

function statusOrder(source: SourceRecord): number {
  return { failed: 0, skipped: 1, indexed: 2 }[source.status] ?? 3;
}

function modalityLabel(modality: Modality | 'unknown'): string {
  return modality === 'unknown' ? 'Unknown' : MODALITY_LABELS[modality];
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface JobRow {
  element: HTMLElement;
  title(text: string): void;
  uploading(fraction: number): void;
  update(state: JobState): void;
  failed(error: unknown): void;
}

function jobRow(initialTitle: string): JobRow {
  const heading = h('p', { class: 'job-title' }, initialTitle);
  const bar = h('progress', { max: 1, 'aria-label': initialTitle });
  const text = h('p', { class: 'job-text' }, 'Starting…');
  const details = h('div', { class: 'job-details' });
  const started = Date.now();
  const element = h('li', { class: 'job', 'data-status': 'running' }, heading, bar, text, details);

  return {
    element,
    title(value) {
      heading.textContent = value;
      bar.setAttribute('aria-label', value);
    },
    uploading(fraction) {
      bar.max = 1;
      bar.value = fraction;
      text.textContent = `Uploading… ${Math.round(fraction * 100)}%`;
    },
    update(state) {
      element.dataset.status = state.status;
      if (state.total > 0) {
        bar.max = state.total;
        bar.value = state.done;
      } else {
        bar.removeAttribute('value');
      }
      const elapsed = formatSeconds((Date.now() - started) / 1000);
      if (state.status === 'queued') text.textContent = 'Waiting for the job before it…';
      if (state.status === 'running') {
        const current = state.current ? ` · ${baseName(state.current)}` : '';
        text.textContent = `${state.done} of ${state.total || '?'} files${current}`;
      }
      if (state.status === 'done') {
        bar.max = 1;
        bar.value = 1;
        text.textContent = `Done in ${elapsed}: ${reportLine(state)}`;
        const problems = (state.report?.files ?? []).filter(
          (file) => file.status === 'failed' || file.status === 'skipped',
        );
        replaceChildren(
          details,
          problems.length > 0
            ? h(
                'ul',
                { class: 'job-problems' },
                problems.map((file) =>
                  h(
                    'li',
                    {},
                    h('span', { class: `status status-${file.status}` }, file.status),
                    ` ${baseName(file.path)}: ${file.reason ?? ''}`,
                  ),
                ),
              )
            : null,
        );
      }
      if (state.status === 'failed') {
        text.textContent = 'Failed.';
        replaceChildren(
          details,
          errorBanner(state.error?.message ?? 'The job failed.', state.error?.code),
        );
      }
    },
    failed(error) {
      element.dataset.status = 'failed';
      bar.max = 1;
      bar.value = 0;
      text.textContent = 'Failed.';
      const { message, code } = describeError(error);
      replaceChildren(details, errorBanner(message, code));
    },
  };
}

function reportLine(state: JobState): string {
  const counts = state.report?.counts;
  if (!counts) return `${state.done} files`;
  const parts = (['indexed', 'unchanged', 'skipped', 'failed'] as const)
    .filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`);
  return parts.join(', ') || 'nothing to do';
}

/** Follows a job through its event stream; polls when the stream breaks. */
async function trackJob(jobId: string, onChange: (state: JobState) => void): Promise<JobState> {
  const path = `/v1/jobs/${encodeURIComponent(jobId)}`;
  try {
    for await (const event of apiEvents(`${path}/events`)) {
      const state = JSON.parse(event.data) as JobState;
      if (event.event === 'done') return state;
      onChange(state);
    }
  } catch {
    // The stream is a convenience; the job's state is also one GET away.
  }
  while (true) {
    const state = await apiJson<JobState>(path);
    if (state.status === 'done' || state.status === 'failed') return state;
    onChange(state);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
