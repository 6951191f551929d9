// The derivative view: POST /v1/derivative at the first point (with the chosen method, by default
// "all" for the table of every method, the h sweep and an explanation in the page's language), then
// once more at every point and over a grid around them, for f's curve and the tangent lines.

import { clearProblems, curl, numberOrText, parseNumbers, post, showProblem } from './api.js';
import { full, short, superscript } from './format.js';
import { language, t } from './i18n.js';
import { renderLatex } from './mathml.js';
import { Chart, COLORS, decades, extent, pad, redrawOnResize } from './plot.js';
import { markStale, watchForm } from './stale.js';

// The tutorial's central difference uses h = 1e-4, which is also the API's default: the field stays empty.
// The order is set before the method (the method menu follows the order).
const SEED = { expression: '0.01*x^2 + 0.1*x', at: '5, 10', order: '1', method: 'all', h: '' };
const USES_H = new Set(['all', 'central', 'forward_difference', 'backward_difference', 'richardson']);
/**
 * The highest order each method of the menu computes (the API's DerivativeMethod.orders; "all"
 * compares first derivatives). The menu offers a method only for the orders it computes.
 */
const HIGHEST_ORDER = {
  all: 1, symbolic: 4, forward: 4, reverse: 1, central: 2, forward_difference: 1, backward_difference: 1,
  richardson: 1, complex_step: 1,
};
/** About this many points on f's curve, at a round step (short numbers in the curl command). */
const GRID_POINTS = 120;

const $ = (id) => document.getElementById(id);

export function setupDerivative() {
  const form = $('derivative-form');
  const inputs = {
    expression: $('d-expression'),
    at: $('d-at'),
    method: $('d-method'),
    h: $('d-h'),
    order: $('d-order'),
  };
  const results = $('d-results');
  let shown = null;
  // The method chosen before an order it cannot compute replaced it (restored when the order allows).
  let displaced = null;

  /**
   * Offers only the methods that compute the chosen order; if the chosen one cannot, symbolic takes
   * its place and a note says so (the API would answer 400 for "all" with order 2).
   */
  function fitMethodToOrder() {
    const order = Number(inputs.order.value);
    for (const option of inputs.method.options) option.disabled = HIGHEST_ORDER[option.value] < order;
    if (displaced && HIGHEST_ORDER[displaced] >= order) {
      inputs.method.value = displaced;
      displaced = null;
    } else if (HIGHEST_ORDER[inputs.method.value] < order) {
      displaced ??= inputs.method.value;
      inputs.method.value = 'symbolic';
    }
    describeOrderNote();
  }

  function describeOrderNote() {
    const note = $('d-order-note');
    note.hidden = displaced === null;
    note.textContent = displaced === null
      ? ''
      : t('d.orderNote', { order: inputs.order.value, method: t(`method.${inputs.method.value}`) });
  }

  // Which input a problem's pointer names (/at/3 is one of the points).
  const fieldFor = (pointer) => {
    const name = pointer.split('/')[1];
    if (name === 'variable' || name === 'parameters') return inputs.expression;
    return inputs[name] ?? null;
  };

  const snapshot = () => JSON.stringify(Object.values(inputs).map((input) => input.value));
  const watcher = watchForm(form, results, snapshot);

  async function run() {
    clearProblems(form);
    const asked = snapshot();
    markStale(results, 'running', { hasResults: shown !== null });
    const expression = inputs.expression.value;
    const method = inputs.method.value;
    const order = Number(inputs.order.value);
    const numbers = parseNumbers(inputs.at.value);
    const points = numbers.length > 0 && numbers.every(Number.isFinite) ? numbers : null;
    const pointBody = { expression, at: points ? points[0] : numberOrText(inputs.at.value) ?? '' };
    if (method !== 'symbolic') pointBody.method = method;
    if (order !== 1) pointBody.order = order;
    if (USES_H.has(method) && inputs.h.value.trim() !== '') pointBody.h = numberOrText(inputs.h.value);
    if (order === 1) pointBody.sweep = true;
    pointBody.explain = language();

    const button = $('d-run');
    button.setAttribute('aria-busy', 'true');
    form.setAttribute('aria-busy', 'true');
    try {
      const answer = await post('/v1/derivative', pointBody);
      const curveMethod = method === 'all' ? 'symbolic' : method;
      const curve = await curveAround(expression, points, { method: curveMethod, order, h: pointBody.h });
      shown = { answer, curve, points, order, method, requests: [pointBody, curve.body].filter(Boolean) };
      render(shown);
      watcher.shownFor(asked);
    } catch (error) {
      markStale(results, 'error', { hasResults: shown !== null });
      showProblem(form, error, fieldFor);
    } finally {
      button.removeAttribute('aria-busy');
      form.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  $('d-seed').addEventListener('click', () => {
    displaced = null;
    for (const [name, value] of Object.entries(SEED)) {
      inputs[name].value = value;
      if (name === 'order') fitMethodToOrder();
    }
    describeOrderNote();
    run();
  });
  inputs.order.addEventListener('change', fitMethodToOrder);
  inputs.method.addEventListener('change', () => {
    displaced = null;
    describeOrderNote();
  });
  fitMethodToOrder();
  // The explanation comes from the API in the page's language: ask again.
  document.addEventListener('languagechange', () => {
    describeOrderNote();
    if (shown) run();
  });
  redrawOnResize($('d-results'), () => {
    if (!shown) return;
    drawCharts(shown);
    updateMathTabStop();
  });
}

/**
 * f and its derivative on a grid around the points (and at the points, first). When f is not finite
 * somewhere on the grid (log(x) around 1 reaches 0), the grid narrows, at most three times.
 */
async function curveAround(expression, points, { method, order, h }) {
  if (!points) return { error: null };
  const low = Math.min(...points);
  const high = Math.max(...points);
  let margin = Math.max(2, high - low, Math.abs(low), Math.abs(high));
  let lastError = null;
  for (let attempt = 0; attempt < 4; attempt++, margin /= 2) {
    const grid = roundGrid(low - margin, high + margin, GRID_POINTS);
    const body = { expression, at: [...points, ...grid], method };
    if (order !== 1) body.order = order;
    if (h !== undefined && USES_H.has(method)) body.h = h;
    try {
      const answer = await post('/v1/derivative', body);
      return { body, answer, grid, count: points.length };
    } catch (error) {
      if (error.status !== 422) throw error;
      lastError = error;
    }
  }
  return { error: lastError };
}

function render(state) {
  const { answer, order, requests } = state;
  $('d-placeholder').hidden = true;
  $('d-summary-panel').hidden = false;

  const headline = $('d-headline');
  headline.replaceChildren();
  const x = full(answer.at);
  const derivativeName = nameOfDerivative(order);
  const value = document.createElement('strong');
  value.id = 'd-derivative-value';
  if (answer.derivative === null && answer.left_limit !== undefined) {
    value.textContent = t('d.jump', { left: full(answer.left_limit), right: full(answer.right_limit) });
  } else if (answer.derivative === null) {
    value.textContent = t('d.noDerivative', {
      left: full(answer.left_derivative),
      right: full(answer.right_derivative),
    });
  } else {
    value.textContent = full(answer.derivative);
  }
  const text = t('d.headline', { x, value: full(answer.value), derivativeName, derivative: '\u0000' });
  const [before, after] = text.split('\u0000');
  headline.append(before, value, after ?? '');

  const latex = $('d-latex');
  latex.replaceChildren();
  if (answer.latex) {
    const label = document.createElement('span');
    label.className = 'math-label';
    label.textContent = `${derivativeName}(x) =`;
    // A long derivative scrolls sideways inside its own box (MathML does not break lines), which
    // keyboard users reach with Tab when it overflows; the text form below it wraps.
    const math = document.createElement('div');
    math.className = 'math';
    renderLatex(math, answer.latex, { display: false });
    const code = document.createElement('code');
    code.className = 'expression-text';
    code.textContent = answer.derivative_expression;
    math.setAttribute('aria-label', `${derivativeName}(x)`);
    latex.append(label, math, code);
    updateMathTabStop();
  }
  $('d-explanation').textContent = answer.explanation ?? '';
  const warning = $('d-warning');
  warning.hidden = !answer.warnings;
  warning.textContent = (answer.warnings ?? []).join(' ');

  renderTable(state);
  $('d-curl').textContent = requests.map((body) => curl('POST', '/v1/derivative', body)).join('\n\n');
  $('d-curl-panel').hidden = false;
  drawCharts(state);
}

function renderTable({ answer }) {
  const panel = $('d-table-panel');
  if (!answer.methods) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  $('d-table-title').textContent = t('d.tableTitle', { x: full(answer.at) });
  const table = $('d-table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const key of ['method', 'derivative', 'error', 'bound', 'h', 'evaluations']) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = t(`d.col.${key}`);
    head.append(cell);
  }
  const body = table.createTBody();
  for (const [name, result] of Object.entries(answer.methods)) {
    const tableRow = body.insertRow();
    tableRow.dataset.method = name;
    // Where f jumps or has a corner (or one lies within x ± h), the API says what the number means.
    if (result.note) tableRow.title = result.note;
    const header = document.createElement('th');
    header.scope = 'row';
    header.textContent = t(`method.${name}`);
    tableRow.append(header);
    const cells = [
      full(result.derivative),
      result.exact ? t('d.exact') : short(result.error, 3),
      short(result.error_bound ?? result.error_estimate, 3),
      result.h === undefined ? '' : short(result.h),
      result.evaluations ?? '',
    ];
    for (const content of cells) tableRow.insertCell().textContent = content;
    tableRow.cells[1].className = 'number';
  }
}

function drawCharts(state) {
  drawCurve(state);
  drawSweep(state);
}

function drawCurve({ curve, points, order }) {
  const panel = $('d-plot-panel');
  const list = $('d-tangents');
  list.replaceChildren();
  if (!curve.answer) {
    panel.hidden = !curve.error;
    if (curve.error) {
      $('d-plot').replaceChildren();
      const item = document.createElement('li');
      item.textContent = t('d.curveMissing', { detail: curve.error.message });
      list.append(item);
    }
    return;
  }
  panel.hidden = false;
  const { answer, grid, count } = curve;
  const values = answer.value.slice(count);
  const fx = grid.map((x, i) => [x, values[i]]);
  const yRange = pad(extent(values) ?? [-1, 1], 0.08);
  const chart = new Chart($('d-plot'), { xLabel: 'x', yLabel: 'f(x)', label: t('d.plotTitle') });
  chart.domain([grid[0], grid[grid.length - 1]], yRange).axes();
  chart.line(fx, { color: COLORS[0], width: 2.5, className: 'series f-curve' });
  const legend = [{ label: 'f(x)', color: COLORS[0] }];
  $('d-plot-title').textContent = order === 1 ? t('d.plotTitle') : t('d.plotTitleN');
  points.forEach((x, i) => {
    const y = answer.value[i];
    const slope = answer.derivative[i];
    const color = COLORS[(i + 1) % COLORS.length];
    const item = document.createElement('li');
    item.style.setProperty('--swatch', color);
    if (order === 1 && slope !== null) {
      const intercept = y - slope * x;
      const ends = [grid[0], grid[grid.length - 1]];
      chart.line(
        ends.map((t0) => [t0, slope * t0 + intercept]),
        { color, width: 2, dash: '6 4', className: 'series tangent', 'data-x': x },
      );
      legend.push({ label: `x = ${short(x)}`, color, dash: '6 4' });
      item.textContent = t('d.tangent', { x: full(x), equation: lineEquation(slope, intercept) });
    } else if (order === 1) {
      item.textContent = t('d.slopeAt', { x: full(x), slope: full(slope) });
    } else {
      // Not a slope: the derivative of this order, named as in the headline.
      item.textContent = t('d.valueAt', { name: nameOfDerivative(order), x: full(x), value: short(slope, 6) });
    }
    list.append(item);
    chart.dots([[x, y]], { color, r: 5, className: 'dots point' });
  });
  chart.legend(legend, { corner: 'top-left' });
}

function drawSweep({ answer }) {
  const panel = $('d-sweep-panel');
  const sweep = answer.sweep;
  if (!sweep) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  // Exact zeros cannot sit on a log axis: they are drawn at the floor.
  const errors = sweep.samples.map((s) => s.error);
  const positive = extent(errors, { positive: true }) ?? [1e-16, 1];
  const floor = positive[0] / 10;
  const samples = sweep.samples.map((s) => [s.h, s.error > 0 ? s.error : floor]);
  const chart = new Chart($('d-sweep'), {
    xLog: true,
    yLog: true,
    xLabel: 'h',
    yLabel: t('d.axisError'),
    label: t('d.sweepTitle'),
  });
  chart.domain(decades(extent(samples.map((s) => s[0]))), decades([floor, positive[1]])).axes();
  chart.line(samples, { color: COLORS[1], width: 2.5, className: 'series sweep' });
  chart.dots(samples, { color: COLORS[1], r: 3.5, title: ([h, e]) => `h = ${short(h)}: ${short(e)}` });
  const best = sweep.samples.find((s) => s.h === sweep.best_h);
  if (best) {
    chart.line([[best.h, chart.yDomain[0]], [best.h, chart.yDomain[1]]], { color: COLORS[2], width: 1.5, dash: '4 4' });
    chart.dots([[best.h, best.error > 0 ? best.error : floor]], { color: COLORS[2], r: 6, className: 'dots best' });
  }
  $('d-sweep-note').textContent = t('d.sweepNote', { h: short(sweep.best_h), error: short(best?.error ?? NaN, 3) });
}

/** The formula's box is a tab stop (a scrollable region) exactly when it is too wide to show whole. */
function updateMathTabStop() {
  const math = document.querySelector('#d-latex .math');
  if (!math) return;
  if (math.scrollWidth > math.clientWidth) {
    math.tabIndex = 0;
    math.setAttribute('role', 'region');
  } else {
    math.removeAttribute('tabindex');
    math.removeAttribute('role');
  }
}

/** f′, f″, f‴, then f⁽⁴⁾. */
function nameOfDerivative(order) {
  if (order <= 3) return t(`d.derivativeName${order}`);
  return t('d.derivativeNameN', { order: superscript(order) });
}

/** "0.2·x − 0.25": 12 significant digits, so 0.30000000000000004 reads 0.3. */
function lineEquation(slope, intercept) {
  const text = (v) => String(Number(v.toPrecision(12)));
  const b = Number(intercept.toPrecision(12));
  const sign = b < 0 ? '−' : '+';
  return `${text(slope).replace('-', '−')}·x ${sign} ${text(Math.abs(b))}`;
}

/** Multiples of a round step (1, 2, 2.5 or 5 × 10^k) from about `from` to about `to`, about `count` of them. */
function roundGrid(from, to, count) {
  const rough = (to - from) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough);
  const first = Math.floor(from / step);
  const last = Math.ceil(to / step);
  const grid = [];
  for (let k = first; k <= last; k++) grid.push(Number((k * step).toPrecision(12)));
  return grid;
}
