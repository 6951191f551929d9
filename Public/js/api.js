// Calls to the service (same origin only), the curl command for each call, and problem+json errors
// shown next to the field they name. When the service has API keys, the key the person entered (kept
// in localStorage) goes with every call as `Authorization: Bearer`, never in a URL.

import { t } from './i18n.js';

const KEY_STORAGE = 'nabla.apiKey';

/** The API key kept in this browser, or ''. */
export function apiKey() {
  try {
    return localStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

/** Keeps `key` in this browser (an empty key forgets it). */
export function setApiKey(key) {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage may be disabled (private mode): the key then cannot be kept.
  }
}

function authorization() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Tells the page a call was refused for want of a valid key (the key form listens). */
function announceUnauthorized() {
  window.dispatchEvent(new CustomEvent('nabla:unauthorized', { detail: { keyGiven: apiKey() !== '' } }));
}

/** A failed call: `problem` is the RFC 9457 body (or a stand-in for a network failure). */
export class APIError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Sends `body` as JSON to `path` on this page's own origin; resolves with the parsed answer. */
export async function request(method, path, body) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json', ...authorization() } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new APIError(0, { title: 'Network error', detail: t('common.networkError', { detail: error.message }) });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (response.status === 401) {
    announceUnauthorized();
    const detail = t(apiKey() ? 'key.refused' : 'key.needed');
    throw new APIError(401, { ...(data || {}), detail });
  }
  if (!response.ok) throw new APIError(response.status, data || { detail: response.statusText });
  return data;
}

/**
 * The job's event stream: an `EventSource` when no key is needed; with a key, the same events read
 * through `fetch` (an `EventSource` cannot send `Authorization`), through the same interface
 * (`addEventListener`, `close`, `readyState`); a broken or finished stream fires `error`.
 */
export function eventSource(url) {
  return apiKey() ? new KeyedEventSource(url) : new EventSource(url);
}

class KeyedEventSource {
  constructor(url) {
    this.readyState = 0;
    this.listeners = {};
    this.controller = new AbortController();
    this.read(url);
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  close() {
    this.readyState = 2;
    this.controller.abort();
  }

  emit(type, data) {
    for (const listener of this.listeners[type] || []) listener({ type, data });
  }

  async read(url) {
    try {
      const headers = { Accept: 'text/event-stream', ...authorization() };
      const response = await fetch(url, { headers, signal: this.controller.signal });
      if (response.status === 401) announceUnauthorized();
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      this.readyState = 1;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      throw new Error('the stream ended');
    } catch {
      if (this.readyState === 2) return;
      this.readyState = 2;
      this.emit('error', null);
    }
  }

  /** One event block (HTML's server-sent events: `event:` and `data:` lines, `:` comments). */
  dispatch(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.emit(type, data.join('\n'));
  }
}

export const post = (path, body) => request('POST', path, body);
export const get = (path) => request('GET', path);
export const remove = (path) => request('DELETE', path);

/** A shell-quoted string: single quotes, with ' written as '\''. */
function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The curl command that makes the same call as `request(method, path, body)`. */
export function curl(method, path, body) {
  const url = `${location.origin}${path}`;
  const parts = ['curl -s'];
  if (method === 'DELETE') parts.push('-X DELETE');
  if (method === 'GET' && path.endsWith('/events')) parts[0] = 'curl -sN';
  parts.push(url);
  // The key itself is never shown: the command reads it from the shell.
  if (apiKey()) parts.push(`-H "Authorization: Bearer $NABLA_TOKEN"`);
  if (body !== undefined) {
    parts.push(`-H 'Content-Type: application/json'`);
    parts.push(`-d ${shellQuote(JSON.stringify(body))}`);
  }
  return parts.join(' ');
}

/**
 * Shows a failed call's errors in `form`: each `errors[i].pointer` goes to the input `fieldFor`
 * returns (its `<p id="<input id>-error">` says what is wrong, with the column for expressions);
 * what names no field goes to the form's general error line. The first marked input gets focus.
 */
export function showProblem(form, error, fieldFor) {
  clearProblems(form);
  const problem = error instanceof APIError ? error.problem : { detail: String(error) };
  const status = error instanceof APIError ? error.status : 0;
  const unplaced = [];
  let first = null;
  for (const item of problem.errors || []) {
    const input = item.pointer !== undefined ? fieldFor(item.pointer) : null;
    const slot = input && document.getElementById(`${input.id}-error`);
    if (!slot) {
      unplaced.push(item.detail);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    slot.hidden = false;
    slot.dataset.pointer = item.pointer;
    const message = document.createElement('span');
    message.textContent = item.detail;
    slot.append(message);
    if (Number.isInteger(item.position) && typeof input.value === 'string') {
      slot.append(caretLine(input.value, item.position));
    }
    first ??= input;
  }
  if (first === null || unplaced.length > 0) {
    const general = form.querySelector('.general-error');
    const detail = unplaced.length > 0 && first !== null ? unplaced.join('; ') : problem.detail || problem.title;
    general.textContent = status > 0 ? t('common.httpError', { status, detail }) : detail;
    general.hidden = false;
  }
  if (first) first.focus();
}

/** The expression with a caret under the 1-based column. */
function caretLine(text, column) {
  const block = document.createElement('code');
  block.className = 'caret-line';
  block.setAttribute('aria-label', t('common.column', { column }));
  const before = text.slice(0, column - 1);
  const at = text.slice(column - 1, column) || ' ';
  const after = text.slice(column);
  const mark = document.createElement('mark');
  mark.textContent = at;
  block.append(before, mark, after);
  const label = document.createElement('span');
  label.className = 'caret-column';
  label.textContent = ` ← ${t('common.column', { column })}`;
  const wrapper = document.createElement('span');
  wrapper.className = 'caret';
  wrapper.append(block, label);
  return wrapper;
}

/** Removes every error shown in `form`. */
export function clearProblems(form) {
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.hidden = true;
    slot.textContent = '';
    delete slot.dataset.pointer;
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const general = form.querySelector('.general-error');
  if (general) {
    general.hidden = true;
    general.textContent = '';
  }
}

/** Numbers from "1, 2.5; 3" (commas, semicolons or spaces); NaN for what is not a number. */
export function parseNumbers(text) {
  return text
    .split(/[,;\s]+/)
    .filter((part) => part !== '')
    .map((part) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(part) ? Number(part) : NaN));
}

/** A form value as a number when it reads as one, else the text itself (so the API names the field). */
export function numberOrText(text) {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const [number] = parseNumbers(trimmed);
  return parseNumbers(trimmed).length === 1 && Number.isFinite(number) ? number : trimmed;
}
