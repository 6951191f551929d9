// Results that no longer match what is on screen: while a new run is being computed, after the form
// changed (another example, an edited field), or after the last run failed, the previous results are
// dimmed and a note above them says why (data-stale="running" | "changed" | "error" on the results
// element). A run that succeeds makes them current again.

import { t } from './i18n.js';

const REASONS = ['running', 'changed', 'error'];

/** The note's element inside `results`, made on first use. */
function note(results) {
  let element = results.querySelector(':scope > .stale-note');
  if (!element) {
    element = document.createElement('p');
    element.className = 'stale-note';
    element.setAttribute('role', 'status');
    element.hidden = true;
    results.prepend(element);
  }
  return element;
}

/**
 * Marks the results in `results` as out of date for `reason` ("running", "changed", "error"), or as
 * current with null. Nothing is marked while no result is shown (`hasResults` false).
 */
export function markStale(results, reason, { hasResults = true } = {}) {
  const element = note(results);
  if (reason === null || !hasResults) {
    delete results.dataset.stale;
    element.hidden = true;
    element.textContent = '';
    return;
  }
  if (!REASONS.includes(reason)) throw new Error(`unknown reason ${reason}`);
  results.dataset.stale = reason;
  element.textContent = t(`stale.${reason}`);
  element.hidden = false;
}

/** Why `results` are out of date, or null when they are current. */
export function staleReason(results) {
  return results.dataset.stale ?? null;
}

// The notes follow the page's language.
document.addEventListener('languagechange', () => {
  for (const results of document.querySelectorAll('[data-stale]')) {
    note(results).textContent = t(`stale.${results.dataset.stale}`);
  }
});

/**
 * Keeps `results` marked "changed" while what the form would send (`snapshot()`, a string) differs
 * from what the shown results were computed for, and current again when it matches (an edit undone,
 * a field that only lost focus). A run under way or a failed run keeps its own mark. The view calls
 * `shownFor(text)` when results for the form as it was (`text`) are shown, and `check()` after edits
 * that fire no input event (a layer added).
 */
export function watchForm(form, results, snapshot) {
  let shown = null;
  const check = () => {
    if (shown === null || ['running', 'error'].includes(staleReason(results))) return;
    markStale(results, snapshot() === shown ? null : 'changed');
  };
  form.addEventListener('input', check);
  form.addEventListener('change', check);
  return {
    check,
    shownFor(text) {
      shown = text;
      markStale(results, null);
      check();
    },
  };
}
