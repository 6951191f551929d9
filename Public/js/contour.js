// Contour lines (marching squares) and a shaded grid for f on a regular grid: values[row][column]
// is f(x[column], y[row]), as POST /v1/descent returns it in `contour`.

import { svgElement } from './plot.js';

/** `count` contour levels at evenly spaced quantiles of the finite grid values. */
export function quantileLevels(values, count) {
  const all = values.flat().filter(Number.isFinite).sort((a, b) => a - b);
  if (all.length === 0) return [];
  const levels = [];
  for (let k = 0; k < count; k++) {
    const level = all[Math.min(all.length - 1, Math.floor(((k + 0.5) / count) * all.length))];
    if (levels.length === 0 || level > levels[levels.length - 1]) levels.push(level);
  }
  return levels;
}

/** Line segments [[x1, y1], [x2, y2]] (data coordinates) where f crosses `level`. */
export function contourSegments(xs, ys, values, level) {
  const segments = [];
  const cross = (x1, y1, v1, x2, y2, v2) => {
    const t = (level - v1) / (v2 - v1);
    return [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
  };
  for (let row = 0; row + 1 < ys.length; row++) {
    for (let col = 0; col + 1 < xs.length; col++) {
      const x0 = xs[col];
      const x1 = xs[col + 1];
      const y0 = ys[row];
      const y1 = ys[row + 1];
      const a = values[row][col]; // (x0, y0)
      const b = values[row][col + 1]; // (x1, y0)
      const c = values[row + 1][col + 1]; // (x1, y1)
      const d = values[row + 1][col]; // (x0, y1)
      if (![a, b, c, d].every(Number.isFinite)) continue;
      const points = [];
      if (a < level !== b < level) points.push(cross(x0, y0, a, x1, y0, b));
      if (b < level !== c < level) points.push(cross(x1, y0, b, x1, y1, c));
      if (c < level !== d < level) points.push(cross(x1, y1, c, x0, y1, d));
      if (d < level !== a < level) points.push(cross(x0, y1, d, x0, y0, a));
      // Two crossings: one segment; four (a saddle cell): pair them in edge order.
      if (points.length >= 2) segments.push([points[0], points[1]]);
      if (points.length === 4) segments.push([points[2], points[3]]);
    }
  }
  return segments;
}

/** Light fill colours from low (blue) to high (warm), for the shaded bands. */
function bandColor(fraction) {
  const stops = [
    [222, 235, 247],
    [236, 244, 233],
    [253, 246, 216],
    [252, 226, 204],
    [246, 211, 213],
  ];
  const position = Math.max(0, Math.min(1, fraction)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(position));
  const t = position - i;
  const rgb = stops[i].map((v, k) => Math.round(v + t * (stops[i + 1][k] - v)));
  return `rgb(${rgb.join(',')})`;
}

/** The band index of `value` among sorted `levels`. */
function band(value, levels) {
  let index = 0;
  while (index < levels.length && value >= levels[index]) index++;
  return index;
}

/** Draws the shaded bands, the contour lines and (optionally) arrows of −∇f on `chart`. */
export function drawContours(chart, { x: xs, y: ys, values }, { levels = 14, arrows = true } = {}) {
  const levelValues = quantileLevels(values, levels);
  const fill = svgElement('g', { class: 'contour-fill', 'shape-rendering': 'crispEdges' }, chart.background);
  const halfX = (xs[1] - xs[0]) / 2;
  const halfY = (ys[1] - ys[0]) / 2;
  for (let row = 0; row < ys.length; row++) {
    for (let col = 0; col < xs.length; col++) {
      const value = values[row][col];
      if (!Number.isFinite(value)) continue;
      const [left, top] = chart.screen([xs[col] - halfX, ys[row] + halfY]);
      const [right, bottom] = chart.screen([xs[col] + halfX, ys[row] - halfY]);
      svgElement('rect', {
        x: left.toFixed(1),
        y: top.toFixed(1),
        width: (right - left + 0.6).toFixed(1),
        height: (bottom - top + 0.6).toFixed(1),
        fill: bandColor(band(value, levelValues) / Math.max(1, levelValues.length)),
      }, fill);
    }
  }
  const lines = svgElement('g', { class: 'contour-lines' }, chart.background);
  levelValues.forEach((level) => {
    const segments = contourSegments(xs, ys, values, level);
    let d = '';
    for (const [a, b] of segments) {
      const [x1, y1] = chart.screen(a);
      const [x2, y2] = chart.screen(b);
      d += `M${x1.toFixed(1)} ${y1.toFixed(1)}L${x2.toFixed(1)} ${y2.toFixed(1)}`;
    }
    svgElement('path', { d, class: 'contour-line', 'data-level': level }, lines);
  });
  if (arrows) drawGradientField(chart, xs, ys, values);
  return levelValues;
}

/** Arrows of −∇f (central differences on the grid) on a coarse sub-grid, longer where f is steeper. */
function drawGradientField(chart, xs, ys, values) {
  const every = Math.max(1, Math.round(xs.length / 11));
  const field = [];
  for (let row = every; row + 1 < ys.length; row += every) {
    for (let col = every; col + 1 < xs.length; col += every) {
      const gx = (values[row][col + 1] - values[row][col - 1]) / (xs[col + 1] - xs[col - 1]);
      const gy = (values[row + 1][col] - values[row - 1][col]) / (ys[row + 1] - ys[row - 1]);
      if (Number.isFinite(gx) && Number.isFinite(gy)) field.push({ x: xs[col], y: ys[row], gx, gy });
    }
  }
  const largest = Math.max(...field.map((a) => Math.hypot(a.gx, a.gy)), 0);
  if (!(largest > 0)) return;
  const spacing = Math.abs(chart.sx(xs[every]) - chart.sx(xs[0]));
  const scaleX = Math.abs(chart.sx(xs[1]) - chart.sx(xs[0])) / Math.abs(xs[1] - xs[0]);
  const scaleY = Math.abs(chart.sy(ys[1]) - chart.sy(ys[0])) / Math.abs(ys[1] - ys[0]);
  const g = svgElement('g', { class: 'gradient-field' }, chart.background);
  const marker = chart.arrowMarker('#7a7a7a', 6);
  for (const a of field) {
    const magnitude = Math.hypot(a.gx, a.gy);
    if (magnitude === 0) continue;
    const length = spacing * 0.75 * Math.sqrt(magnitude / largest);
    if (length < 3) continue;
    const [x, y] = chart.screen([a.x, a.y]);
    // −∇f mapped to the screen: each axis has its own scale, and the y axis points down.
    const sx = -a.gx * scaleX;
    const sy = a.gy * scaleY;
    const norm = Math.hypot(sx, sy);
    const ux = sx / norm;
    const uy = sy / norm;
    svgElement('line', {
      x1: (x - (ux * length) / 2).toFixed(1),
      y1: (y - (uy * length) / 2).toFixed(1),
      x2: (x + (ux * length) / 2).toFixed(1),
      y2: (y + (uy * length) / 2).toFixed(1),
      'marker-end': marker,
    }, g);
  }
}
