// The page's entry point: tabs (with the view in the URL's #fragment), the language switch, copy
// buttons, and the three views.

import { setupDerivative } from './derivative.js';
import { setupDescent } from './descent.js';
import { initialLanguage, language, setLanguage, t } from './i18n.js';
import { setupKey } from './key.js';
import { setupTraining } from './training.js';

const VIEWS = ['derivative', 'descent', 'training'];

function showView(name, { focus = false } = {}) {
  const view = VIEWS.includes(name) ? name : 'derivative';
  for (const other of VIEWS) {
    const tab = document.getElementById(`tab-${other}`);
    const selected = other === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(`view-${other}`).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  document.body.dataset.view = view;
  if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
}

function setupTabs() {
  const tabs = VIEWS.map((name) => document.getElementById(`tab-${name}`));
  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => showView(VIEWS[index]));
    // Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern, automatic activation).
    tab.addEventListener('keydown', (event) => {
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = (moves[event.key] + tabs.length) % tabs.length;
      showView(VIEWS[next], { focus: true });
    });
  });
  window.addEventListener('hashchange', () => showView(location.hash.slice(1)));
  showView(location.hash.slice(1));
}

function setupCopyButtons() {
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(source.textContent);
      } catch {
        // No clipboard access (an insecure origin): select the text for Ctrl+C instead.
        const range = document.createRange();
        range.selectNodeContents(source);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
      }
      button.textContent = t('common.copied');
      setTimeout(() => {
        button.textContent = t('common.copy');
      }, 1500);
    });
  }
}

setLanguage(initialLanguage(), { remember: false });
document.getElementById('lang-toggle').addEventListener('click', () => {
  setLanguage(language() === 'en' ? 'zh' : 'en');
});
setupTabs();
setupCopyButtons();
setupKey();
setupDerivative();
setupDescent();
setupTraining();
document.body.dataset.ready = 'true';
