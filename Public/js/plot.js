// A small SVG chart: linear or log axes with ticks and grid, clipped lines, dots, arrows and a legend.
// Charts are drawn at the container's pixel width (so text stays readable at 375 px) and redrawn by
// their views when the width changes.

import { short, superscript } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

/** Colour-blind-safe series colours (Okabe and Ito). */
export const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** `color` (#rrggbb) mixed with white: `amount` 0 is white, 1 the colour. */
export function tint(color, amount) {
  const channels = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return `rgb(${channels.map((c) => Math.round(255 + (c - 255) * amount)).join(',')})`;
}

/** A new SVG element with attributes, appended to `parent` when given. */
export function svgElement(name, attributes = {}, parent = null) {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(key, String(value));
  }
  if (parent) parent.append(element);
  return element;
}

/** 10 to the power `exponent`, written 10⁻⁵. */
function powerOfTen(exponent) {
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  return `10${superscript(exponent)}`;
}

/** About `count` round tick values between `low` and `high`. */
export function niceTicks(low, high, count) {
  const span = high - low;
  if (!(span > 0) || !Number.isFinite(span)) return [low];
  const rough = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) {
    ticks.push(Math.abs(value) < step * 1e-9 ? 0 : Number(value.toPrecision(12)));
  }
  return ticks;
}

/** A tick label: the round value as written (0.25, 4000), or 2×10⁵ for very large or small ones. */
function tickText(value) {
  return short(value, 6);
}

/** A five-pointed star centred at (x, y), as SVG path data. */
export function starPath(x, y, radius) {
  let d = '';
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? radius : radius * 0.45;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    d += `${k === 0 ? 'M' : 'L'}${(x + r * Math.cos(angle)).toFixed(1)} ${(y + r * Math.sin(angle)).toFixed(1)}`;
  }
  return `${d}Z`;
}

/** [min, max] of the finite numbers in `values` (positive only when `positive`). */
export function extent(values, { positive = false } = {}) {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value) || (positive && value <= 0)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return low <= high ? [low, high] : null;
}

/** `[low, high]` widened by `fraction` of its span each side (by 1 when it is a single value). */
export function pad([low, high], fraction = 0.05) {
  if (high === low) return [low - 1, high + 1];
  const margin = (high - low) * fraction;
  return [low - margin, high + margin];
}

/** Log-axis domain: whole decades around the extent. */
export function decades([low, high]) {
  let a = 10 ** Math.floor(Math.log10(low));
  let b = 10 ** Math.ceil(Math.log10(high));
  if (a === b) {
    a /= 10;
    b *= 10;
  }
  return [a, b];
}

let nextId = 0;
/** Charts narrower than this (in pixels) put their legend below the plot instead of inside it. */
const NARROW = 480;

export class Chart {
  /**
   * options: xLog, yLog, xLabel, yLabel, label (the accessible name), square (plot area as tall as
   * wide), equal (with square: one unit is as long on both axes, the plot area narrowed or shortened
   * to fit the domain), aspect (height / width otherwise), grid (false: tick marks only, for filled
   * plots).
   */
  constructor(container, options = {}) {
    this.options = { aspect: 0.6, minHeight: 220, maxHeight: 380, ...options };
    const width = Math.max(260, Math.floor(container.clientWidth || 600));
    this.margin = { top: 12, right: 14, bottom: 42, left: 58 };
    const plotWidth = width - this.margin.left - this.margin.right;
    const height = this.options.square
      ? Math.min(plotWidth, 560) + this.margin.top + this.margin.bottom
      : Math.round(Math.min(this.options.maxHeight, Math.max(this.options.minHeight, width * this.options.aspect)));
    this.id = `chart${nextId++}`;
    this.svg = svgElement('svg', { role: 'img', 'aria-label': this.options.label || '', class: 'plot' });
    const defs = svgElement('defs', {}, this.svg);
    const clip = svgElement('clipPath', { id: `${this.id}-clip` }, defs);
    this.clipRect = svgElement('rect', {}, clip);
    this.defs = defs;
    const clipped = `url(#${this.id}-clip)`;
    this.background = svgElement('g', { 'clip-path': clipped }, this.svg);
    this.axesGroup = svgElement('g', { class: 'axes' }, this.svg);
    this.plot = svgElement('g', { 'clip-path': clipped }, this.svg);
    // Markers that must stay visible over every line and dot (a known minimum).
    this.marks = svgElement('g', { 'clip-path': clipped, class: 'marks' }, this.svg);
    this.overlay = svgElement('g', {}, this.svg);
    this.layout(width, height, this.margin.left, width - this.margin.right, this.margin.top, height - this.margin.bottom);
    container.replaceChildren(this.svg);
  }

  /** Sets the picture's size and the plot area (left…right, top…bottom, in pixels). */
  layout(width, height, left, right, top, bottom) {
    Object.assign(this, { width, height, left, right, top, bottom });
    this.svg.setAttribute('width', width);
    this.svg.setAttribute('height', height);
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    for (const [key, value] of Object.entries({ x: left, y: top, width: right - left, height: bottom - top })) {
      this.clipRect.setAttribute(key, value);
    }
  }

  /** Sets the data ranges ([low, high] each; positive for log axes). */
  domain(x, y) {
    this.xDomain = x;
    this.yDomain = y;
    if (this.options.square && this.options.equal && !this.options.xLog && !this.options.yLog) {
      // As many pixels per unit on both axes: the longer span gets the room, the other is shortened,
      // and the plot area is centred across the picture.
      const room = this.width - this.margin.left - this.margin.right;
      const xSpan = x[1] - x[0];
      const ySpan = y[1] - y[0];
      if (xSpan > 0 && ySpan > 0) {
        const scale = Math.min(room / xSpan, Math.min(room, 560) / ySpan);
        const plotWidth = xSpan * scale;
        const plotHeight = ySpan * scale;
        const left = this.margin.left + (room - plotWidth) / 2;
        const top = this.margin.top;
        const height = Math.round(top + plotHeight + this.margin.bottom);
        this.layout(this.width, height, left, left + plotWidth, top, top + plotHeight);
      }
    }
    return this;
  }

  /** Pixels per data unit along x and y (linear axes). */
  scales() {
    return [
      (this.right - this.left) / (this.xDomain[1] - this.xDomain[0]),
      (this.bottom - this.top) / (this.yDomain[1] - this.yDomain[0]),
    ];
  }

  sx(value) {
    const [a, b] = this.xDomain;
    const f = this.options.xLog
      ? (Math.log10(value) - Math.log10(a)) / (Math.log10(b) - Math.log10(a))
      : (value - a) / (b - a);
    return this.left + f * (this.right - this.left);
  }

  sy(value) {
    const [a, b] = this.yDomain;
    const f = this.options.yLog
      ? (Math.log10(value) - Math.log10(a)) / (Math.log10(b) - Math.log10(a))
      : (value - a) / (b - a);
    return this.bottom - f * (this.bottom - this.top);
  }

  /** Grid, ticks, tick labels, frame and axis labels. */
  axes() {
    const g = this.axesGroup;
    const xTicks = this.ticks(this.xDomain, this.options.xLog, Math.max(3, Math.round((this.right - this.left) / 80)));
    const yTicks = this.ticks(this.yDomain, this.options.yLog, Math.max(3, Math.round((this.bottom - this.top) / 45)));
    const grid = this.options.grid !== false;
    for (const { value, text } of xTicks) {
      const x = this.sx(value);
      if (grid) svgElement('line', { x1: x, x2: x, y1: this.top, y2: this.bottom, class: 'grid' }, g);
      else svgElement('line', { x1: x, x2: x, y1: this.bottom, y2: this.bottom + 4, class: 'tick-mark' }, g);
      // A label that would pass the picture's right edge ends at the edge instead of being cut.
      const half = [...text].length * 3.6;
      const anchor = x + half > this.width - 2 ? { x: this.width - 2, 'text-anchor': 'end' } : { x, 'text-anchor': 'middle' };
      svgElement('text', { ...anchor, y: this.bottom + 16, class: 'tick' }, g).textContent = text;
    }
    for (const { value, text } of yTicks) {
      const y = this.sy(value);
      if (grid) svgElement('line', { x1: this.left, x2: this.right, y1: y, y2: y, class: 'grid' }, g);
      else svgElement('line', { x1: this.left - 4, x2: this.left, y1: y, y2: y, class: 'tick-mark' }, g);
      svgElement('text', { x: this.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, g).textContent = text;
    }
    svgElement('rect', {
      x: this.left,
      y: this.top,
      width: this.right - this.left,
      height: this.bottom - this.top,
      class: 'frame',
    }, g);
    if (this.options.xLabel) {
      svgElement('text', { x: (this.left + this.right) / 2, y: this.height - 6, 'text-anchor': 'middle', class: 'axis-label' }, g)
        .textContent = this.options.xLabel;
    }
    if (this.options.yLabel) {
      const y = (this.top + this.bottom) / 2;
      // Beside the tick labels, wherever the plot area starts (equal scales centre it).
      const x = Math.max(14, this.left - 44);
      svgElement('text', {
        x,
        y,
        'text-anchor': 'middle',
        transform: `rotate(-90 ${x} ${y})`,
        class: 'axis-label',
      }, g).textContent = this.options.yLabel;
    }
    return this;
  }

  ticks([low, high], log, count) {
    if (log) {
      const first = Math.ceil(Math.log10(low) - 1e-9);
      const last = Math.floor(Math.log10(high) + 1e-9);
      const rough = (last - first + 1) / count;
      const step = [1, 2, 3, 5, 10, 20, 25, 50, 100].find((s) => s >= rough) ?? Math.ceil(rough);
      const start = Math.ceil(first / step) * step;
      const ticks = [];
      for (let e = start; e <= last; e += step) ticks.push({ value: 10 ** e, text: powerOfTen(e) });
      return ticks;
    }
    return niceTicks(low, high, count).map((value) => ({ value, text: tickText(value) }));
  }

  /** Screen coordinates of a data point, kept finite (huge values are pinned far outside the plot). */
  screen([x, y]) {
    const limit = 1e7;
    const clamp = (v) => (Number.isNaN(v) ? NaN : Math.max(-limit, Math.min(limit, v)));
    return [clamp(this.sx(x)), clamp(this.sy(y))];
  }

  /**
   * The path data of a polyline through data `points`: segments clipped to the plot area (plus a
   * margin), broken at non-finite points and where a segment leaves the plot.
   */
  pathData(points) {
    const box = [this.left - 20, this.top - 20, this.right + 20, this.bottom + 20];
    let d = '';
    let last = null;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      if (!a.every(Number.isFinite) || !b.every(Number.isFinite)) continue;
      if ((this.options.xLog && (a[0] <= 0 || b[0] <= 0)) || (this.options.yLog && (a[1] <= 0 || b[1] <= 0))) continue;
      const segment = clipSegment(this.screen(a), this.screen(b), box);
      if (!segment) continue;
      const [[x1, y1], [x2, y2]] = segment;
      if (!last || Math.abs(last[0] - x1) > 0.01 || Math.abs(last[1] - y1) > 0.01) d += `M${x1.toFixed(2)} ${y1.toFixed(2)}`;
      d += `L${x2.toFixed(2)} ${y2.toFixed(2)}`;
      last = [x2, y2];
    }
    return d;
  }

  /** A line through data points. */
  line(points, { color = COLORS[0], width = 2, dash, className = 'series', group = this.plot, ...rest } = {}) {
    return svgElement('path', {
      d: this.pathData(points),
      fill: 'none',
      stroke: color,
      'stroke-width': width,
      'stroke-dasharray': dash,
      'stroke-linejoin': 'round',
      'stroke-linecap': 'round',
      class: className,
      'data-points': points.length,
      ...rest,
    }, group);
  }

  /**
   * A long series (more points than the plot has 2-px columns, such as a loss per epoch), drawn as a
   * line through its moving average and, with `spread`, a faint band from the lowest to the highest
   * value around each drawn point. Two box filters in a row, of k and k + 1 points (k points per
   * drawn point; on a log axis, of the logarithms), smooth it: one of the two lengths is even, so
   * values that alternate from one point to the next average out exactly and read as a line inside a
   * band rather than as a solid block of zigzags. Shorter series are drawn as they are. `data-points`
   * on the line is the series' length either way.
   */
  denseLine(points, { color = COLORS[0], width = 2, className = 'series', spread = true, ...rest } = {}) {
    const columns = Math.max(1, Math.floor((this.right - this.left) / 2));
    const usable = points.filter(
      ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && !(this.options.xLog && x <= 0) && !(this.options.yLog && y <= 0),
    );
    if (usable.length <= columns) return this.line(points, { color, width, className, ...rest });
    const toAxis = (y) => (this.options.yLog ? Math.log10(y) : y);
    const fromAxis = (v) => (this.options.yLog ? 10 ** v : v);
    const k = Math.ceil(usable.length / columns);
    const smooth = boxFilter(boxFilter(usable.map(([, y]) => toAxis(y)), k), k + 1);
    const drawn = [];
    for (let first = 0; first < usable.length; first += k) {
      const last = Math.min(usable.length, first + k);
      let x = 0;
      let level = 0;
      let low = Infinity;
      let high = -Infinity;
      for (let i = first; i < last; i++) {
        x += usable[i][0];
        level += smooth[i];
        low = Math.min(low, usable[i][1]);
        high = Math.max(high, usable[i][1]);
      }
      const count = last - first;
      drawn.push({ x: x / count, y: fromAxis(level / count), low, high });
    }
    if (spread) {
      const edge = (pairs) => pairs.map((p) => this.screen(p).map((v) => v.toFixed(1)).join(' ')).join('L');
      const top = drawn.map((p) => [p.x, p.high]);
      const bottom = drawn.map((p) => [p.x, p.low]).reverse();
      svgElement('path', {
        d: `M${edge(top)}L${edge(bottom)}Z`,
        fill: color,
        'fill-opacity': 0.16,
        stroke: 'none',
        class: `${className.split(' ').pop()}-spread spread`,
      }, this.plot);
    }
    const line = drawn.map((p) => [p.x, p.y]);
    return this.line(line, { color, width, className, 'data-points': points.length, 'data-drawn': line.length, ...rest });
  }

  /** Dots at data points (skipping those outside the plot). */
  dots(points, { color = COLORS[0], r = 4, className = 'dots', stroke = '#fff', group = this.plot, title } = {}) {
    const g = svgElement('g', { class: className, fill: color, stroke, 'stroke-width': 1.5 }, group);
    for (const p of points) {
      if (!p.every(Number.isFinite)) continue;
      const [x, y] = this.screen(p);
      if (x < this.left - r || x > this.right + r || y < this.top - r || y > this.bottom + r) continue;
      const dot = svgElement('circle', { cx: x.toFixed(2), cy: y.toFixed(2), r }, g);
      if (title) svgElement('title', {}, dot).textContent = title(p);
    }
    return g;
  }

  /** An arrowhead marker in `color`, for marker-start/mid/end. */
  arrowMarker(color, size = 7) {
    const id = `${this.id}-arrow-${color.replace('#', '')}-${size}`;
    if (!this.defs.querySelector(`#${id}`)) {
      const marker = svgElement('marker', {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: size,
        markerHeight: size,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto',
      }, this.defs);
      svgElement('path', { d: 'M0 0L10 5L0 10z', fill: color }, marker);
    }
    return `url(#${id})`;
  }

  /**
   * A legend in a corner of the plot (below it on a narrow chart): items {label, color, dash,
   * marker}; marker 'dot' (a filled
   * circle), 'ring' (an open circle), 'star', else a line (`dot: true` is 'dot').
   */
  legend(items, { corner = 'top-right' } = {}) {
    if (items.length === 0) return null;
    const g = svgElement('g', { class: 'legend' }, this.overlay);
    const lineHeight = 18;
    const box = svgElement('rect', { rx: 4, class: 'legend-box' }, g);
    let widest = 0;
    items.forEach((item, index) => {
      const y = index * lineHeight + 12;
      const marker = item.marker ?? (item.dot ? 'dot' : 'line');
      const entry = svgElement('g', { class: 'legend-item', 'data-marker': marker }, g);
      if (marker === 'dot') {
        svgElement('circle', { cx: 12, cy: y - 4, r: 4, fill: item.color }, entry);
      } else if (marker === 'ring') {
        svgElement('circle', { cx: 12, cy: y - 4, r: 4, fill: '#fff', stroke: item.color, 'stroke-width': 2 }, entry);
      } else if (marker === 'star') {
        svgElement('path', { d: starPath(12, y - 4, 7), fill: item.color, stroke: '#222', 'stroke-width': 1 }, entry);
      } else {
        svgElement('line', {
          x1: 4, x2: 20, y1: y - 4, y2: y - 4, stroke: item.color, 'stroke-width': 2.5, 'stroke-dasharray': item.dash,
        }, entry);
      }
      const text = svgElement('text', { x: 26, y, class: 'legend-text' }, entry);
      text.textContent = item.label;
      // Measured when the chart is on screen; else estimated (CJK characters are about twice as wide).
      const measured = text.getComputedTextLength();
      const estimate = [...item.label].reduce((sum, c) => sum + (c.charCodeAt(0) > 0x2e80 ? 12 : 7), 0);
      widest = Math.max(widest, (measured > 0 ? measured : estimate) + 30);
    });
    const width = Math.min(widest + 8, this.right - this.left - 8);
    const height = items.length * lineHeight + 4;
    box.setAttribute('width', width);
    box.setAttribute('height', height);
    box.setAttribute('x', -2);
    box.setAttribute('y', -2);
    if (this.width < NARROW) {
      // On a phone a legend inside would hide a quarter of the plot: it goes below the axis label,
      // and the picture grows to hold it.
      const y = this.height + 2;
      g.setAttribute('transform', `translate(${this.left + 2} ${y})`);
      g.dataset.placement = 'below';
      this.layout(this.width, y + height + 4, this.left, this.right, this.top, this.bottom);
      return g;
    }
    const x = corner.endsWith('left') ? this.left + 6 : this.right - width - 4;
    const y = corner.startsWith('bottom') ? this.bottom - height - 4 : this.top + 6;
    g.setAttribute('transform', `translate(${x} ${y})`);
    g.dataset.placement = 'inside';
    return g;
  }
}

/**
 * The moving average of `values` over `length` points centred on each (fewer at the ends), from
 * prefix sums.
 */
function boxFilter(values, length) {
  const sums = [0];
  for (const value of values) sums.push(sums[sums.length - 1] + value);
  const before = Math.floor((length - 1) / 2);
  const after = length - 1 - before;
  return values.map((_, i) => {
    const from = Math.max(0, i - before);
    const to = Math.min(values.length, i + after + 1);
    return (sums[to] - sums[from]) / (to - from);
  });
}

/** The part of segment a→b inside `box` ([x0, y0, x1, y1]), or null (Liang–Barsky). */
export function clipSegment([ax, ay], [bx, by], [x0, y0, x1, y1]) {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const edges = [
    [-dx, ax - x0],
    [dx, x1 - ax],
    [-dy, ay - y0],
    [dy, y1 - ay],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  return [
    [ax + t0 * dx, ay + t0 * dy],
    [ax + t1 * dx, ay + t1 * dy],
  ];
}

/** Calls `draw` now and again whenever `element`'s width changes (debounced to one frame). */
export function redrawOnResize(element, draw) {
  let width = element.clientWidth;
  let pending = false;
  const observer = new ResizeObserver(() => {
    if (element.clientWidth === width || pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      width = element.clientWidth;
      draw();
    });
  });
  observer.observe(element);
  return observer;
}
