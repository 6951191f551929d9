// Calls to the service (same origin only), the curl command for each call, and problem+json errors
// shown next to the field they name.

import { t } from './i18n.js';

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
  const init = { method, headers: { Accept: 'application/json, application/problem+json' } };
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
  if (!response.ok) throw new APIError(response.status, data || { detail: response.statusText });
  return data;
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
