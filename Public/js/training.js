// The training view: POST /v1/train (202 and a job, with the data's points when they are small), the
// job's Server-Sent Events drawn live (epoch events: the loss so far, and now and then the model's
// current curve or decision regions), then the done event's result: the whole loss history, the final
// fitted curve (one input) or decision regions (two inputs), metrics and parameters; DELETE cancels;
// the finished model answers POST /v1/jobs/{id}/predict.

import {
  clearProblems,
  curl,
  eventSource,
  numberOrText,
  parseNumbers,
  post,
  remove,
  request,
  showProblem,
} from './api.js';
import { duration, full, short } from './format.js';
import { t } from './i18n.js';
import { Chart, COLORS, decades, extent, pad, redrawOnResize, svgElement, tint } from './plot.js';
import { markStale, watchForm } from './stale.js';

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'linear', 'softmax'];

/** The tutorial's 12 clothing sizes and whether they fit (the API's `clothing-size` data set). */
const CLOTHING_SIZES = [
  [0.8, 0], [1.1, 0], [1.7, 0], [1.9, 0], [2.7, 1], [3.2, 1], [3.7, 1], [4.0, 1], [5.0, 0], [5.5, 0], [6.0, 0], [6.3, 0],
];

const SINE_CSV = ['x,y', ...Array.from({ length: 25 }, (_, i) => {
  const x = -3 + (6 * i) / 24;
  return `${Number(x.toFixed(2))},${Number(Math.sin(x).toFixed(4))}`;
})].join('\n');

/**
 * What each "Start from" choice puts in the form; `preset` is sent as such. The spiral's mini-batches
 * are shuffled: in the same order every epoch (the API's default), Adam settles into a two-epoch cycle
 * and the validation loss alternates between two values.
 */
const EXAMPLES = {
  'clothing-size': {
    preset: 'clothing-size',
    dataset: 'clothing-size', n: '', noise: '',
    hidden: [[2, 'sigmoid']], output: ['', 'sigmoid'],
    loss: 'mse', optimizer: 'sgd', lr: '0.5', epochs: '5000', batch: '', shuffle: false, normalize: 'none',
    validation: '0', test: '0', seed: '0',
  },
  spiral: {
    dataset: 'spiral', n: '300', noise: '0.1',
    hidden: [[16, 'tanh'], [16, 'tanh']], output: ['', 'auto'],
    loss: 'cross_entropy', optimizer: 'adam', lr: '0.005', epochs: '1500', batch: '32', shuffle: true,
    normalize: 'zscore', validation: '0.2', test: '0', seed: '1',
  },
  xor: {
    dataset: 'xor', n: '200', noise: '',
    hidden: [[4, 'tanh']], output: ['', 'auto'],
    loss: 'binary_cross_entropy', optimizer: 'adam', lr: '0.05', epochs: '300', batch: '', shuffle: false,
    normalize: 'none',
    validation: '0.2', test: '0', seed: '0',
  },
  iris: {
    dataset: 'iris', n: '', noise: '',
    hidden: [[8, 'relu']], output: ['', 'auto'],
    loss: 'cross_entropy', optimizer: 'adam', lr: '0.01', epochs: '300', batch: '', shuffle: false,
    normalize: 'zscore', validation: '0.2', test: '0.1', seed: '0',
  },
  csv: {
    dataset: 'csv', csv: SINE_CSV, target: 'y', n: '', noise: '',
    hidden: [[8, 'tanh']], output: ['', 'auto'],
    loss: 'mse', optimizer: 'adam', lr: '0.02', epochs: '2000', batch: '', shuffle: false, normalize: 'none',
    validation: '0', test: '0', seed: '0',
  },
};

const $ = (id) => document.getElementById(id);

export function setupTraining() {
  const form = $('training-form');
  const inputs = {
    example: $('t-example'), dataset: $('t-dataset'), n: $('t-n'), noise: $('t-noise'), csv: $('t-csv'),
    target: $('t-target'), loss: $('t-loss'), optimizer: $('t-optimizer'), lr: $('t-lr'), epochs: $('t-epochs'),
    batch: $('t-batch'), shuffle: $('t-shuffle'), normalize: $('t-normalize'), validation: $('t-validation'),
    test: $('t-test'), seed: $('t-seed'),
  };
  const results = $('t-results');
  const layers = $('t-layers');
  let presetBaseline = null;
  let job = null;

  // ---- the layer editor ----------------------------------------------------------------------

  function layerRow(units, activation, isOutput) {
    const rowElement = document.createElement('div');
    rowElement.className = 'layer-row';
    rowElement.dataset.kind = isOutput ? 'output' : 'hidden';
    const name = document.createElement('span');
    name.className = 'layer-name';
    const unitsField = document.createElement('div');
    unitsField.className = 'field';
    const unitsLabel = document.createElement('label');
    const unitsInput = document.createElement('input');
    unitsInput.type = 'text';
    unitsInput.inputMode = 'numeric';
    unitsInput.autocomplete = 'off';
    unitsInput.className = 'units';
    unitsInput.value = units;
    const unitsError = document.createElement('p');
    unitsError.className = 'field-error';
    unitsError.hidden = true;
    unitsField.append(unitsLabel, unitsInput, unitsError);
    const activationField = document.createElement('div');
    activationField.className = 'field';
    const activationLabel = document.createElement('label');
    const select = document.createElement('select');
    select.className = 'activation';
    for (const value of isOutput ? ['auto', ...ACTIVATIONS] : ACTIVATIONS) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      select.append(option);
    }
    select.value = activation;
    const activationError = document.createElement('p');
    activationError.className = 'field-error';
    activationError.hidden = true;
    activationField.append(activationLabel, select, activationError);
    rowElement.append(name, unitsField, activationField);
    if (!isOutput) {
      const removeButton = document.createElement('button');
      removeButton.type = 'button';
      removeButton.className = 'secondary remove-layer';
      removeButton.addEventListener('click', () => {
        const next = rowElement.nextElementSibling?.querySelector('input, select, button');
        rowElement.remove();
        numberLayers();
        watcher.check();
        (next ?? $('t-add-layer')).focus();
      });
      rowElement.append(removeButton);
    }
    return rowElement;
  }

  /** Ids, labels and error slots follow each row's position (/model/layers/i in errors). */
  function numberLayers() {
    const rows = [...layers.children];
    rows.forEach((rowElement, index) => {
      const isOutput = rowElement.dataset.kind === 'output';
      const units = rowElement.querySelector('input.units');
      const activation = rowElement.querySelector('select.activation');
      const [unitsError, activationError] = rowElement.querySelectorAll('.field-error');
      units.id = `t-layer-${index}-units`;
      activation.id = `t-layer-${index}-activation`;
      unitsError.id = `${units.id}-error`;
      activationError.id = `${activation.id}-error`;
      units.setAttribute('aria-describedby', unitsError.id);
      activation.setAttribute('aria-describedby', activationError.id);
      const [unitsLabel, activationLabel] = rowElement.querySelectorAll('label');
      unitsLabel.htmlFor = units.id;
      activationLabel.htmlFor = activation.id;
      unitsLabel.textContent = t('t.units');
      activationLabel.textContent = t('t.activation');
      units.placeholder = isOutput ? t('t.unitsAuto') : '';
      const autoOption = activation.querySelector('option[value="auto"]');
      if (autoOption) autoOption.textContent = t('t.auto');
      rowElement.querySelector('.layer-name').textContent = isOutput ? t('t.output') : t('t.hidden', { index: index + 1 });
      const removeButton = rowElement.querySelector('.remove-layer');
      if (removeButton) {
        removeButton.textContent = t('t.remove');
        removeButton.setAttribute('aria-label', t('t.removeLayer', { index: index + 1 }));
      }
    });
  }

  function setLayers(hidden, output) {
    layers.replaceChildren(...hidden.map(([u, a]) => layerRow(u, a, false)), layerRow(output[0], output[1], true));
    numberLayers();
  }

  $('t-add-layer').addEventListener('click', () => {
    const rowElement = layerRow(8, 'tanh', false);
    layers.insertBefore(rowElement, layers.lastElementChild);
    numberLayers();
    watcher.check();
    rowElement.querySelector('input').focus();
  });

  // ---- the form and the request --------------------------------------------------------------

  function showDataFields() {
    const csv = inputs.dataset.value === 'csv';
    $('t-csv-fields').hidden = !csv;
    $('t-generated-fields').hidden = csv || ['clothing-size', 'iris'].includes(inputs.dataset.value);
  }

  function applyExample(name) {
    const example = EXAMPLES[name];
    for (const key of ['dataset', 'n', 'noise', 'loss', 'optimizer', 'lr', 'epochs', 'batch', 'normalize', 'validation', 'test', 'seed']) {
      inputs[key].value = example[key];
    }
    inputs.shuffle.checked = example.shuffle;
    if (example.csv !== undefined) {
      inputs.csv.value = example.csv;
      inputs.target.value = example.target;
    }
    setLayers(example.hidden, example.output);
    showDataFields();
    presetBaseline = example.preset ? { preset: example.preset, body: fullBody() } : null;
  }

  /** The whole request the form describes, without a preset. */
  function fullBody() {
    const body = {};
    if (inputs.dataset.value === 'csv') {
      body.data = { csv: inputs.csv.value, target: inputs.target.value };
    } else {
      body.dataset = inputs.dataset.value;
      const n = numberOrText(inputs.n.value);
      const noise = numberOrText(inputs.noise.value);
      if (n !== undefined) body.n = n;
      if (noise !== undefined) body.noise = noise;
    }
    body.model = {
      layers: [...layers.children].map((rowElement) => {
        const layer = {};
        const units = numberOrText(rowElement.querySelector('input.units').value);
        const activation = rowElement.querySelector('select.activation').value;
        if (units !== undefined) layer.units = units;
        if (activation !== 'auto') layer.activation = activation;
        return layer;
      }),
    };
    body.loss = inputs.loss.value;
    body.optimizer = { name: inputs.optimizer.value };
    const lr = numberOrText(inputs.lr.value);
    if (lr !== undefined) body.optimizer.learning_rate = lr;
    const epochs = numberOrText(inputs.epochs.value);
    if (epochs !== undefined) body.epochs = epochs;
    const batch = numberOrText(inputs.batch.value);
    if (batch !== undefined) body.batch_size = batch;
    // Sent whenever there are mini-batches (so the run does not depend on the API's default), and
    // when ticked; with the full batch the order of the rows does not matter.
    if (batch !== undefined || inputs.shuffle.checked) body.shuffle = inputs.shuffle.checked;
    const validation = numberOrText(inputs.validation.value);
    const test = numberOrText(inputs.test.value);
    if ((validation !== undefined && validation !== 0) || (test !== undefined && test !== 0)) {
      body.split = {};
      if (validation !== undefined && validation !== 0) body.split.validation = validation;
      if (test !== undefined && test !== 0) body.split.test = test;
    }
    if (inputs.normalize.value !== 'none') body.normalize = inputs.normalize.value;
    const seed = numberOrText(inputs.seed.value);
    if (seed !== undefined && seed !== 0) body.seed = seed;
    return body;
  }

  /**
   * The request to send: with a preset chosen, the preset's name and only what differs from it (a
   * changed learning rate alone as `learning_rate`; changed layers as a model without the preset's
   * starting weights).
   */
  function requestBody() {
    const body = fullBody();
    if (!presetBaseline) return body;
    const sent = { preset: presetBaseline.preset };
    const base = presetBaseline.body;
    for (const [key, value] of Object.entries(body)) {
      if (JSON.stringify(value) === JSON.stringify(base[key])) continue;
      if (key === 'optimizer' && value.name === base.optimizer.name) {
        sent.learning_rate = value.learning_rate;
      } else {
        sent[key] = value;
      }
    }
    return sent;
  }

  function fieldFor(pointer) {
    const parts = pointer.split('/').slice(1);
    const [head, second, third, fourth] = parts;
    if (head === 'model') {
      if (second === 'layers' && third !== undefined) {
        return $(`t-layer-${third}-${fourth === 'activation' ? 'activation' : 'units'}`) ?? layers;
      }
      return layers;
    }
    if (head === 'data') return second === 'target' ? inputs.target : inputs.csv;
    if (head === 'optimizer') return second === 'learning_rate' ? inputs.lr : inputs.optimizer;
    if (head === 'split') return second === 'test' ? inputs.test : inputs.validation;
    const map = {
      preset: inputs.example, dataset: inputs.dataset, n: inputs.n, noise: inputs.noise, loss: inputs.loss,
      learning_rate: inputs.lr, epochs: inputs.epochs, batch_size: inputs.batch, shuffle: inputs.shuffle,
      normalize: inputs.normalize, seed: inputs.seed,
    };
    return map[head] ?? null;
  }

  // ---- running a job -------------------------------------------------------------------------

  /**
   * A new run: the previous run's results stay, dimmed, until the service accepts the new one, and
   * are then cleared; if it refuses, they stay marked as not matching the form.
   */
  async function start() {
    clearProblems(form);
    stopListening();
    const previous = job;
    const body = requestBody();
    const asked = JSON.stringify(body);
    const features = plotData(body);
    job = {
      id: null, body, features, points: null, plot: null, plotChanged: false, status: 'submitting', live: [],
      liveValidation: [], epochs: Number(inputs.epochs.value) || null, result: null, finished: null, cancelled: false,
    };
    $('t-placeholder').hidden = true;
    markStale(results, 'running', { hasResults: previous !== null });
    setStatus();
    $('t-run').disabled = true;
    try {
      const accepted = await post('/v1/train', body);
      clearResults();
      watcher.shownFor(asked);
      job.id = accepted.id;
      job.status = accepted.status;
      job.points = accepted.points ?? null;
      $('t-cancel').disabled = false;
      renderCurl();
      listen(accepted.links.events);
    } catch (error) {
      job = previous;
      $('t-run').disabled = false;
      if (job) {
        setStatus();
      } else {
        $('t-status').textContent = '';
        delete $('t-status').dataset.status;
        $('t-placeholder').hidden = false;
      }
      markStale(results, 'error', { hasResults: job !== null });
      showProblem(form, error, fieldFor);
    }
  }

  /** Removes the previous run's charts, result and prediction. */
  function clearResults() {
    for (const id of ['t-loss-panel', 't-fit-panel', 't-metrics-panel']) $(id).hidden = true;
    $('t-loss-chart').replaceChildren();
    $('t-fit-chart').replaceChildren();
    delete $('t-fit-chart').dataset.livePlots;
    $('t-predict-out').textContent = '';
    clearProblems($('t-predict-form'));
  }

  // What is shown stands for the request the form made then: another example, an edited field or a
  // layer more marks it out of date.
  const watcher = watchForm(form, results, () => JSON.stringify(requestBody()));

  let source = null;
  let pending = false;

  function stopListening() {
    if (source) source.close();
    source = null;
  }

  function listen(url) {
    const current = job;
    source = eventSource(url);
    source.addEventListener('status', (event) => {
      const summary = JSON.parse(event.data);
      current.status = summary.status;
      addProgress(current, summary.progress);
    });
    source.addEventListener('epoch', (event) => addProgress(current, JSON.parse(event.data)));
    source.addEventListener('done', (event) => {
      stopListening();
      finish(current, JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      // The stream broke before its done event: ask for the job until it has finished.
      if (current.finished || source?.readyState === 1 /* open */) return;
      stopListening();
      poll(current);
    });
  }

  async function poll(current) {
    while (job === current && !current.finished) {
      try {
        const state = await request('GET', `/v1/jobs/${current.id}`);
        if (['succeeded', 'failed', 'cancelled'].includes(state.status)) {
          finish(current, state);
          return;
        }
        current.status = state.status;
        addProgress(current, state.progress);
      } catch {
        // Try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  function addProgress(current, progress) {
    if (job !== current || !progress || progress.epoch === undefined) {
      setStatus();
      return;
    }
    current.status = 'running';
    current.epochs = progress.epochs ?? current.epochs;
    const last = current.live[current.live.length - 1];
    if (!last || last[0] < progress.epoch) {
      current.live.push([progress.epoch, progress.loss]);
      if (progress.validation_loss !== undefined) current.liveValidation.push([progress.epoch, progress.validation_loss]);
    }
    current.progress = progress;
    // A plot of the model as it stands rides on some events (about four a second at most).
    if (progress.curve || progress.boundary) {
      current.plot = { curve: progress.curve, boundary: progress.boundary, epoch: progress.plot_epoch };
      current.plotChanged = true;
    }
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        if (job === current && !current.finished) {
          setStatus();
          drawLoss(current);
          if (current.plotChanged) {
            current.plotChanged = false;
            drawFit(current);
          }
        }
      });
    }
  }

  function finish(current, finished) {
    if (job !== current) return;
    current.finished = finished;
    current.status = finished.status;
    current.result = finished.result ?? null;
    current.points = current.points ?? current.result?.points ?? null;
    $('t-cancel').disabled = true;
    $('t-run').disabled = false;
    $('t-predict-out').textContent = '';
    render();
  }

  $('t-cancel').addEventListener('click', async () => {
    if (!job?.id || job.finished) return;
    job.cancelled = true;
    $('t-cancel').disabled = true;
    renderCurl();
    try {
      await remove(`/v1/jobs/${job.id}`);
    } catch (error) {
      // 409: it finished first; the done event brings the result.
      if (error.status !== 409) showProblem(form, error, () => null);
    }
  });

  // ---- drawing -------------------------------------------------------------------------------

  function setStatus() {
    const line = $('t-status');
    if (!job) {
      line.textContent = '';
      return;
    }
    const status = t(`t.status.${job.status}`);
    line.dataset.status = job.status;
    if (job.result) {
      line.textContent = t('t.finalStatus', { status, epochs: job.result.epochs_run, loss: short(job.result.final_loss, 4) });
    } else if (job.finished?.error) {
      line.textContent = `${status}: ${job.finished.error.message}`;
    } else if (job.progress) {
      line.textContent = t('t.progress', {
        status,
        epoch: job.progress.epoch,
        epochs: job.progress.epochs,
        loss: short(job.progress.loss, 4),
      });
    } else {
      line.textContent = status;
    }
  }

  function render() {
    if (!job) return;
    setStatus();
    drawLoss(job);
    drawFit(job);
    renderMetrics(job);
    renderCurl();
  }

  function renderCurl() {
    if (!job) return;
    const lines = [curl('POST', '/v1/train', job.body)];
    if (job.id) {
      lines.push(curl('GET', `/v1/jobs/${job.id}/events`));
      if (job.cancelled) lines.push(curl('DELETE', `/v1/jobs/${job.id}`));
      lines.push(curl('GET', `/v1/jobs/${job.id}`));
    }
    $('t-curl').textContent = lines.join('\n\n');
    $('t-curl-panel').hidden = false;
  }

  function drawLoss(current) {
    $('t-loss-panel').hidden = false;
    let training = current.live;
    let validation = current.liveValidation;
    const result = current.result;
    if (result && result.loss_history.length > 0) {
      training = result.loss_history.map((loss, i) => [i + 1, loss]);
      validation = (result.validation_loss_history ?? []).map((loss, i) => [i + 1, loss]);
    }
    const values = [...training, ...validation].map((p) => p[1]);
    const positive = extent(values, { positive: true });
    const chart = new Chart($('t-loss-chart'), {
      yLog: positive !== null,
      xLabel: t('t.epoch'),
      yLabel: t('t.lossAxis'),
      label: t('t.lossTitle'),
    });
    const lastEpoch = Math.max(current.epochs ?? 0, training.length ? training[training.length - 1][0] : 1, 1);
    chart.domain([0, lastEpoch], positive ? decades(positive) : [0, 1]).axes();
    const clean = (points) => points.filter(([, loss]) => loss !== null && loss > 0);
    const legend = [{ label: t('t.trainingLoss'), color: COLORS[0] }];
    // Validation first, thinner: it is often noisy, and the training curve stays readable on top.
    // More epochs than pixels: each pixel column's mean, inside a faint band of its lowest and highest.
    if (validation.length > 0) {
      chart.denseLine(clean(validation), { color: COLORS[1], width: 1.6, className: 'series loss-validation' });
      legend.push({ label: t('t.validationLoss'), color: COLORS[1] });
    }
    chart.denseLine(clean(training), { color: COLORS[0], width: 2.2, className: 'series loss-training' });
    chart.legend(legend);
  }

  /**
   * The fitted curve (one input) or the decision regions (two inputs) with the data's points: the
   * result's once the run has ended, else the latest plot from the event stream (marked live, with
   * the epoch it shows).
   */
  function drawFit(current) {
    const panel = $('t-fit-panel');
    const chartElement = $('t-fit-chart');
    const result = current.result;
    const source = result?.curve || result?.boundary ? result : current.finished ? null : current.plot;
    if (!source || (!source.curve && !source.boundary)) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    const live = source === current.plot;
    chartElement.dataset.live = String(live);
    if (live) {
      chartElement.dataset.plotEpoch = String(source.epoch ?? '');
      chartElement.dataset.livePlots = String(Number(chartElement.dataset.livePlots ?? 0) + 1);
    } else {
      delete chartElement.dataset.plotEpoch;
    }
    const title = source.curve ? t('t.fitTitle') : t('t.regionsTitle');
    $('t-fit-title').textContent = live && source.epoch ? `${title} · ${t('t.afterEpoch', { epoch: source.epoch })}` : title;
    if (source.curve) drawCurve(current, source.curve, chartElement);
    else drawRegions(current, source.boundary, chartElement);
  }

  function drawCurve(current, fitted, chartElement) {
    const data = current.features;
    const points = curvePoints(current);
    const ys = fitted.y.map((y) => (Array.isArray(y) ? y[0] : y));
    const curve = fitted.x.map((x, i) => [x, ys[i]]);
    const chart = new Chart(chartElement, {
      xLabel: data?.names?.[0] ?? 'x',
      yLabel: data?.names?.[1] ?? 'y',
      label: t('t.fitTitle'),
    });
    chart.domain(pad(extent([...fitted.x, ...points.map((p) => p[0])])), pad(extent([...ys, ...points.map((p) => p[1])]), 0.1)).axes();
    chart.line(curve, { color: COLORS[0], width: 2.5, className: 'series fitted-curve' });
    const legend = [{ label: t('t.model.curve'), color: COLORS[0] }];
    if (points.length) {
      chart.dots(points, { color: COLORS[1], r: points.length > 200 ? 3 : 5, className: 'dots data-points', title: (p) => `(${p[0]}, ${p[1]})` });
      legend.push({ label: t('t.data.points'), color: COLORS[1], dot: true });
    }
    chart.legend(legend);
  }

  function drawRegions(current, boundary, chartElement) {
    const data = current.features;
    const { x, y, classes } = boundary;
    const chart = new Chart(chartElement, {
      square: true,
      equal: true,
      grid: false,
      xLabel: data?.names?.[0] ?? 'x₁',
      yLabel: data?.names?.[1] ?? 'x₂',
      label: t('t.regionsTitle'),
    });
    chart.domain([x[0], x[x.length - 1]], [y[0], y[y.length - 1]]).axes();
    const regions = svgElement('g', { class: 'regions', 'shape-rendering': 'crispEdges' }, chart.background);
    const halfX = (x[1] - x[0]) / 2;
    const halfY = (y[1] - y[0]) / 2;
    classes.forEach((rowClasses, row) => {
      rowClasses.forEach((klass, col) => {
        const [left, top] = chart.screen([x[col] - halfX, y[row] + halfY]);
        const [right, bottom] = chart.screen([x[col] + halfX, y[row] - halfY]);
        svgElement('rect', {
          x: left.toFixed(1), y: top.toFixed(1), width: (right - left + 0.6).toFixed(1), height: (bottom - top + 0.6).toFixed(1),
          fill: tint(COLORS[klass % COLORS.length], 0.3),
        }, regions);
      });
    });
    const { points, pointClasses, names } = classifiedPoints(current, classes);
    // One group per class, all inside one `data-points` group.
    const dots = svgElement('g', { class: 'data-points' }, chart.plot);
    const radius = points.length > 500 ? 2.5 : 3.5;
    names.forEach((_, index) => {
      const members = points.filter((_, i) => pointClasses[i] === index);
      if (members.length) chart.dots(members, { color: COLORS[index % COLORS.length], r: radius, className: 'dots', group: dots });
    });
    chart.legend(names.map((name, i) => ({ label: name, color: COLORS[i % COLORS.length], dot: true })));
  }

  /** One-input data as [x, y] pairs: the API's points, else what the page knows (clothing sizes, a CSV). */
  function curvePoints(current) {
    const points = current.points;
    if (points?.x?.length && points.x[0].length === 1) {
      return points.x.map((row, i) => [row[0], Array.isArray(points.y[i]) ? points.y[i][0] : points.y[i]]);
    }
    return current.features?.points && !current.features.labels ? current.features.points : [];
  }

  /**
   * Two-input data with each row's class index and the class names: the API's points (class indices
   * into `classes`), else a CSV's rows and labels as the page read them.
   */
  function classifiedPoints(current, gridClasses) {
    const result = current.result;
    const features = current.features;
    const labelNames = features?.labels ? [...new Set(features.labels.map(String))].sort() : null;
    const points = current.points;
    let rows = [];
    let pointClasses = [];
    if (points?.x?.length && points.x[0].length === 2) {
      rows = points.x;
      pointClasses = points.y.map((v) => (Array.isArray(v) ? v[0] : v));
    } else if (features?.points && labelNames) {
      rows = features.points;
      pointClasses = features.labels.map((label) => labelNames.indexOf(String(label)));
    }
    const largest = Math.max(0, ...gridClasses.flat(), ...pointClasses.filter(Number.isInteger));
    const names = result?.classes ?? labelNames ?? Array.from({ length: largest + 1 }, (_, i) => String(i));
    return { points: rows, pointClasses, names };
  }

  function renderMetrics(current) {
    const result = current.result;
    const panel = $('t-metrics-panel');
    if (!result) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    const list = $('t-metrics');
    list.replaceChildren();
    // Rounded to a few digits; the exact number in data-value and as the tooltip.
    const add = (key, value, raw) => {
      if (value === undefined || value === null || value === '') return;
      const term = document.createElement('dt');
      term.textContent = t(`t.m.${key}`);
      const detail = document.createElement('dd');
      detail.textContent = value;
      detail.dataset.key = key;
      if (raw !== undefined) {
        detail.dataset.value = raw;
        detail.title = full(raw);
      }
      list.append(term, detail);
    };
    add('stopped', t(`t.stopped.${result.stopped}`));
    add('epochs', String(result.epochs_run), result.epochs_run);
    add('loss', short(result.final_loss, 4), result.final_loss);
    if (result.final_accuracy !== undefined) {
      add('accuracy', `${short(100 * result.final_accuracy, 4)} %`, result.final_accuracy);
    }
    const validation = result.validation_loss_history ?? [];
    if (validation.length > 0) {
      const last = validation[validation.length - 1];
      add('validation', short(last, 4), last);
    }
    if (result.test) add('test', `${short(result.test.loss, 4)} / ${result.test.accuracy === undefined ? '—' : `${short(100 * result.test.accuracy, 4)} %`}`);
    if (result.rows) add('rows', `${result.rows.train} / ${result.rows.validation} / ${result.rows.test}`);
    add('parameters', String(result.parameter_count));
    if (result.duration_ms !== undefined) add('duration', duration(result.duration_ms), result.duration_ms);
    $('t-params').textContent = JSON.stringify(result.parameters, null, 1);
    const link = $('t-download');
    if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([JSON.stringify(current.finished, null, 2)], { type: 'application/json' }));
    link.download = `nabla-training-${current.id}.json`;
    // A cancelled (or stopped) run keeps the model as it stood, and the API predicts with it.
    $('t-predict-form').hidden = !result.parameters;
    const partial = $('t-predict-partial');
    partial.hidden = current.finished.status === 'succeeded';
    partial.textContent = t('t.predictPartial', { epoch: result.epochs_run });
  }

  /** The points to draw over the fitted curve or regions, when the page knows the data. */
  function plotData(body) {
    const dataset = body.dataset ?? (body.preset ? 'clothing-size' : undefined);
    if (dataset === 'clothing-size' && !body.data) return { points: CLOTHING_SIZES, names: ['size', 'fits'] };
    if (!body.data) return null;
    const lines = String(body.data.csv).trim().split(/\r?\n/);
    const header = lines[0].split(',').map((s) => s.trim());
    const target = header.indexOf(body.data.target);
    if (target < 0 || header.length < 2 || header.length > 3) return null;
    const featureIndices = header.map((_, i) => i).filter((i) => i !== target);
    const rows = lines.slice(1).map((line) => line.split(',').map((s) => s.trim()));
    if (featureIndices.length === 1) {
      const points = rows.map((r) => [Number(r[featureIndices[0]]), Number(r[target])]).filter((p) => p.every(Number.isFinite));
      return { points, names: [header[featureIndices[0]], header[target]] };
    }
    const points = rows.map((r) => featureIndices.map((i) => Number(r[i])));
    return { points, labels: rows.map((r) => r[target]), names: featureIndices.map((i) => header[i]) };
  }

  // ---- predict -------------------------------------------------------------------------------

  $('t-predict-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const predictForm = $('t-predict-form');
    clearProblems(predictForm);
    // An answer stays only as long as it is the answer to what is typed.
    $('t-predict-out').textContent = '';
    if (!job?.id) return;
    const numbers = parseNumbers($('t-predict-x').value);
    const body = { x: [numbers.every(Number.isFinite) ? numbers : $('t-predict-x').value] };
    try {
      const answer = await post(`/v1/jobs/${job.id}/predict`, body);
      const outputs = answer.outputs[0].map((v) => short(v, 5)).join(', ');
      $('t-predict-out').textContent = answer.labels
        ? t('t.predictionClass', { label: answer.labels[0], outputs })
        : t('t.prediction', { outputs });
    } catch (error) {
      showProblem(predictForm, error, () => $('t-predict-x'));
    }
  });

  $('t-predict-x').addEventListener('input', () => {
    $('t-predict-out').textContent = '';
  });

  // ---- wiring --------------------------------------------------------------------------------

  inputs.example.addEventListener('change', () => applyExample(inputs.example.value));
  inputs.dataset.addEventListener('change', showDataFields);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  document.addEventListener('languagechange', () => {
    numberLayers();
    if (job) {
      setStatus();
      if (job.finished) render();
      else if (job.live.length) {
        drawLoss(job);
        drawFit(job);
      }
    }
  });
  redrawOnResize($('t-results'), () => {
    if (!job) return;
    drawLoss(job);
    drawFit(job);
  });
  applyExample(inputs.example.value);
}
