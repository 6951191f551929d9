// The gradient-descent view: the functions of two variables from GET /v1/functions (or an expression),
// one POST /v1/descent with one or several learning rates and a contour grid; each path is drawn
// step by step over the contours, with f per iteration below.

import { clearProblems, curl, get, numberOrText, parseNumbers, post, showProblem } from './api.js';
import { drawContours } from './contour.js';
import { full, point, short } from './format.js';
import { t } from './i18n.js';
import { renderLatex } from './mathml.js';
import { Chart, COLORS, decades, extent, pad, redrawOnResize, starPath, svgElement } from './plot.js';
import { markStale, watchForm } from './stale.js';

const PRESETS = {
  'g-seed': { function: 'function_2', start: '-3, 4', rates: '0.1', steps: '100', optimizer: 'gd' },
  'g-antflea': { function: 'function_2', start: '-3, 4', rates: '1e-10, 0.1, 10', steps: '100', optimizer: 'gd' },
};
const GRID = 50;
/** The start point's ring and the known minimum's star (not a series colour). */
const START_COLOR = '#222';
const MINIMUM_COLOR = '#ffd21f';
const ANIMATION_MS = 1200;

const $ = (id) => document.getElementById(id);
const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export function setupDescent() {
  const form = $('descent-form');
  const inputs = {
    function: $('g-function'),
    expression: $('g-expression'),
    start: $('g-start'),
    rates: $('g-rates'),
    steps: $('g-steps'),
    optimizer: $('g-optimizer'),
  };
  const catalog = new Map();
  const results = $('g-results');
  let shown = null;
  let animation = 0;

  const fieldFor = (pointer) => {
    const name = pointer.split('/')[1];
    if (name === 'learning_rate' || name === 'learning_rates') return inputs.rates;
    if (name === 'variables' || name === 'parameters') return inputs.expression;
    return inputs[name] ?? null;
  };

  function describeFunction() {
    const entry = catalog.get(inputs.function.value);
    $('g-expression-field').hidden = inputs.function.value !== '';
    const formula = $('g-formula');
    formula.replaceChildren();
    if (!entry) return;
    const math = document.createElement('span');
    renderLatex(math, entry.latex, { display: false });
    const note = document.createElement('span');
    note.className = 'domain-note';
    note.textContent = t('g.domain', {
      domain: entry.domain.map(([a, b]) => `[${short(a)}, ${short(b)}]`).join(' × '),
      minimum: short(entry.minimum.value),
      at: entry.minimum.points.map((p) => point(p)).join(', '),
    });
    formula.append(math, ' ', note);
  }

  const ready = get('/v1/functions')
    .then(({ functions }) => {
      const custom = inputs.function.querySelector('option[value=""]');
      const selected = inputs.function.value;
      for (const option of [...inputs.function.options]) if (option.value !== '') option.remove();
      for (const entry of functions) {
        const twoVariables = entry.arity.fixed === 2 || entry.arity.default === 2;
        if (!twoVariables) continue;
        catalog.set(entry.name, entry);
        const option = document.createElement('option');
        option.value = entry.name;
        option.textContent = `${entry.name}: ${entry.formula}`;
        inputs.function.insertBefore(option, custom);
      }
      inputs.function.value = catalog.has(selected) ? selected : 'function_2';
      describeFunction();
    })
    .catch((error) => showProblem(form, error, () => null));

  function contourRange(start) {
    const entry = catalog.get(inputs.function.value);
    let box;
    if (entry) {
      box = entry.domain.slice(0, 2).map(([a, b]) => [a, b]);
    } else {
      const reach = Math.max(1, ...start.map(Math.abs)) * 1.3;
      box = [
        [-reach, reach],
        [-reach, reach],
      ];
    }
    // The start must be on the picture.
    start.slice(0, 2).forEach((value, axis) => {
      const span = box[axis][1] - box[axis][0];
      if (value < box[axis][0]) box[axis][0] = value - 0.1 * span;
      if (value > box[axis][1]) box[axis][1] = value + 0.1 * span;
    });
    return box.map(([a, b]) => [Number(a.toPrecision(6)), Number(b.toPrecision(6))]);
  }

  const snapshot = () => JSON.stringify(Object.values(inputs).map((input) => input.value));
  const watcher = watchForm(form, results, snapshot);

  async function run() {
    await ready;
    clearProblems(form);
    const asked = snapshot();
    const body = {};
    if (inputs.function.value) body.function = inputs.function.value;
    else body.expression = inputs.expression.value;
    const start = parseNumbers(inputs.start.value);
    const startValid = start.length > 0 && start.every(Number.isFinite);
    body.start = startValid ? start : inputs.start.value;
    const rates = parseNumbers(inputs.rates.value);
    if (rates.length === 1 && Number.isFinite(rates[0])) body.learning_rate = rates[0];
    else if (rates.length > 1 && rates.every(Number.isFinite)) body.learning_rates = rates;
    else body.learning_rate = inputs.rates.value;
    const steps = numberOrText(inputs.steps.value);
    if (steps !== undefined) body.steps = steps;
    if (inputs.optimizer.value !== 'gd') body.optimizer = inputs.optimizer.value;
    if (startValid && start.length === 2) {
      const [x, y] = contourRange(start);
      body.contour = { x, y, n: GRID };
    }
    const button = $('g-run');
    button.setAttribute('aria-busy', 'true');
    markStale(results, 'running', { hasResults: shown !== null });
    try {
      const answer = await post('/v1/descent', body);
      const runs = answer.runs ?? [answer];
      shown = { answer, runs, body, minimum: catalog.get(body.function)?.minimum ?? null };
      render(shown, { animate: !reducedMotion() });
      watcher.shownFor(asked);
    } catch (error) {
      markStale(results, 'error', { hasResults: shown !== null });
      showProblem(form, error, fieldFor);
    } finally {
      button.removeAttribute('aria-busy');
    }
  }

  function render(state, { animate }) {
    $('g-placeholder').hidden = true;
    drawContourChart(state, animate);
    renderTable(state);
    drawValues(state);
    $('g-curl').textContent = curl('POST', '/v1/descent', state.body);
    $('g-curl-panel').hidden = false;
  }

  function drawContourChart({ answer, runs, minimum }, animate) {
    const panel = $('g-contour-panel');
    const container = $('g-contour');
    animation += 1;
    const token = animation;
    if (!answer.contour) {
      panel.hidden = true;
      container.dataset.complete = 'true';
      return;
    }
    panel.hidden = false;
    const [xName, yName] = answer.variables;
    // Equal scales: circles stay circles and −∇f stays at right angles to the contours.
    const chart = new Chart(container, {
      square: true,
      equal: true,
      grid: false,
      xLabel: xName,
      yLabel: yName,
      label: t('g.contourTitle'),
    });
    const { x, y } = answer.contour;
    chart.domain([x[0], x[x.length - 1]], [y[0], y[y.length - 1]]).axes();
    drawContours(chart, answer.contour);
    // The start (an open circle) and the known minimum (a star, over everything drawn later), each
    // with its own legend marker.
    const legend = [{ label: t('g.start.label'), color: START_COLOR, marker: 'ring' }];
    if (minimum) {
      for (const p of minimum.points) {
        const [sx, sy] = chart.screen(p);
        const star = svgElement('path', {
          d: starPath(sx, sy, 9),
          class: 'minimum-marker',
          fill: MINIMUM_COLOR,
          'data-x': p[0],
          'data-y': p[1],
        }, chart.marks);
        svgElement('title', {}, star).textContent = `${t('g.minimum')} ${point(p)}`;
      }
      legend.push({ label: t('g.minimum'), color: MINIMUM_COLOR, marker: 'star' });
    }
    const drawn = runs.map((run, index) => {
      const color = COLORS[index % COLORS.length];
      const marker = chart.arrowMarker(color, 9);
      const kept = visibleSteps(chart, run.path);
      const path = chart.line([], {
        color,
        width: 2.2,
        className: 'series descent-path',
        'marker-mid': marker,
        'marker-end': marker,
        'data-run': index,
      });
      legend.push({ label: t('g.lr', { rate: short(run.learning_rate) }), color });
      return { run, index, color, kept, path };
    });
    const start = chart.dots([runs[0].path[0]], {
      color: '#fff', stroke: START_COLOR, r: 5, className: 'dots start-point', title: () => t('g.start.label'),
    });
    start.setAttribute('stroke-width', 2.5);
    chart.legend(legend);
    container.dataset.complete = 'false';

    const finish = () => {
      for (const { run, index, color, path, kept } of drawn) {
        path.setAttribute('d', chart.pathData(kept));
        const end = run.path[run.path.length - 1];
        const dot = chart.dots([end], { color, r: 5, className: 'dots path-end', title: () => point(end, 6) });
        dot.dataset.run = index;
        const circle = dot.querySelector('circle');
        if (circle) {
          dot.dataset.cx = circle.getAttribute('cx');
          dot.dataset.cy = circle.getAttribute('cy');
        }
      }
      container.dataset.complete = 'true';
    };
    if (!animate) {
      finish();
      return;
    }
    const longest = Math.max(...drawn.map((d) => d.kept.length));
    const delay = Math.max(16, ANIMATION_MS / Math.max(1, longest));
    let shownSteps = 1;
    const tick = () => {
      if (token !== animation) return;
      shownSteps += 1;
      if (shownSteps >= longest) {
        finish();
        return;
      }
      for (const { path, kept } of drawn) path.setAttribute('d', chart.pathData(kept.slice(0, shownSteps)));
      setTimeout(tick, delay);
    };
    setTimeout(tick, delay);
  }

  function renderTable({ runs }) {
    $('g-table-panel').hidden = false;
    const table = $('g-table');
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    for (const key of ['rate', 'iterations', 'final', 'value', 'stopped']) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = t(`g.col.${key}`);
      head.append(cell);
    }
    const body = table.createTBody();
    runs.forEach((run, index) => {
      const tableRow = body.insertRow();
      tableRow.dataset.run = index;
      tableRow.dataset.stopped = run.stopped;
      const header = document.createElement('th');
      header.scope = 'row';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = COLORS[index % COLORS.length];
      header.append(swatch, full(run.learning_rate));
      tableRow.append(header);
      const finalCell = tableRow.insertCell();
      finalCell.textContent = run.iterations;
      const at = tableRow.insertCell();
      at.className = 'final-point';
      at.dataset.point = JSON.stringify(run.final.at);
      at.textContent = point(run.final.at, 4);
      tableRow.insertCell().textContent = short(run.final.value, 4);
      tableRow.insertCell().textContent = t(`g.stopped.${run.stopped}`);
    });
  }

  function drawValues({ runs }) {
    $('g-values-panel').hidden = false;
    const all = runs.flatMap((run) => run.values);
    const positive = all.every((v) => v > 0);
    const yDomain = positive ? decades(extent(all, { positive: true })) : pad(extent(all) ?? [0, 1]);
    const longest = Math.max(...runs.map((run) => run.values.length - 1), 1);
    const chart = new Chart($('g-values'), {
      yLog: positive,
      xLabel: t('g.iteration'),
      yLabel: 'f',
      label: t('g.valuesTitle'),
    });
    chart.domain([0, longest], yDomain).axes();
    runs.forEach((run, index) => {
      chart.line(
        run.values.map((v, i) => [i, v]),
        { color: COLORS[index % COLORS.length], width: 2, className: 'series values' },
      );
    });
    chart.legend(
      runs.map((run, index) => ({ label: t('g.lr', { rate: short(run.learning_rate) }), color: COLORS[index % COLORS.length] })),
    );
  }

  inputs.function.addEventListener('change', describeFunction);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  for (const [id, preset] of Object.entries(PRESETS)) {
    $(id).addEventListener('click', async () => {
      await ready;
      inputs.function.value = preset.function;
      inputs.start.value = preset.start;
      inputs.rates.value = preset.rates;
      inputs.steps.value = preset.steps;
      inputs.optimizer.value = preset.optimizer;
      describeFunction();
      run();
    });
  }
  document.addEventListener('languagechange', () => {
    describeFunction();
    if (shown) render(shown, { animate: false });
  });
  redrawOnResize($('g-results'), () => shown && render(shown, { animate: false }));
}

/**
 * The path's points thinned for drawing: a point is kept when it is at least 12 px from the last
 * kept one (so arrowheads do not pile up near the minimum); the first and last are always kept.
 */
function visibleSteps(chart, path) {
  const kept = [path[0]];
  let last = chart.screen(path[0]);
  for (let i = 1; i < path.length - 1; i++) {
    const here = chart.screen(path[i]);
    if (Math.hypot(here[0] - last[0], here[1] - last[1]) >= 12) {
      kept.push(path[i]);
      last = here;
    }
  }
  if (path.length > 1) kept.push(path[path.length - 1]);
  return kept;
}

