/**
 * The API key, when the server asks for one: kept in sessionStorage, so it lasts as long as
 * the tab and is never written to disk by the UI.
 */
import { h } from './dom.js';

const STORAGE_KEY = 'mmrag.apiKey';

let memoryKey: string | undefined;
let pending: Promise<string | undefined> | undefined;

export function getApiKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

export function setApiKey(key: string | undefined): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be off (private windows); the key then lasts until the page reloads.
  }
  memoryKey = key;
}

/**
 * Asks for the key in a small dialog. Several requests refused at once share one prompt.
 * Resolves to undefined when the user cancels.
 */
export function promptForApiKey(rejected: boolean): Promise<string | undefined> {
  pending ??= showPrompt(rejected).finally(() => {
    pending = undefined;
  });
  return pending;
}

function showPrompt(rejected: boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = h('input', {
      type: 'password',
      name: 'api-key',
      id: 'api-key-input',
      autocomplete: 'off',
      required: true,
    });
    const form = h(
      'form',
      { method: 'dialog', class: 'key-form' },
      h('h2', {}, 'API key needed'),
      h(
        'p',
        {},
        rejected
          ? 'The server refused that key. Enter the key `mmrag serve` was started with.'
          : 'This server needs an API key (the one given to `mmrag serve --api-key`).',
      ),
      h('label', { for: 'api-key-input' }, 'API key'),
      input,
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'submit', value: 'ok', class: 'primary' }, 'Use key'),
        h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel'),
      ),
    );
    const dialog = h('dialog', { class: 'key-dialog', 'aria-labelledby': 'key-title' }, form);
    form.querySelector('h2')?.setAttribute('id', 'key-title');
    document.body.append(dialog);

    dialog.addEventListener('close', () => {
      const key = dialog.returnValue === 'ok' ? input.value.trim() : '';
      dialog.remove();
      if (key) setApiKey(key);
      resolve(key || undefined);
    });
    dialog.showModal();
    input.focus();
  });
}
