/**
 * A small element builder, so views read as the markup they make. Text always goes in as text
 * nodes: nothing a server or a file says is ever parsed as HTML.
 */

type Child = Node | string | number | null | undefined | false;

type Listener = (event: Event) => void;

export type Props = Record<string, string | number | boolean | Listener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children.flat());
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children.flat());
}

/** A spinner with words for screen readers. */
export function spinner(label = 'Loading'): HTMLElement {
  return h('span', { class: 'spinner', role: 'status' }, h('span', { class: 'sr-only' }, label));
}

/** An error banner that shows the server's message and, when known, its code. */
export function errorBanner(message: string, code?: string): HTMLElement {
  return h(
    'div',
    { class: 'banner banner-error', role: 'alert' },
    h('strong', {}, 'Error'),
    code ? h('code', { class: 'banner-code' }, code) : null,
    h('span', {}, message),
  );
}

export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return `${minutes}:${rest}`;
}

/** The last part of a path, for labels; the whole path stays in a title. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
