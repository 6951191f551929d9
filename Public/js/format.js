// Number text: full precision where the exact double is the point (a derivative and its error), a
// few significant digits elsewhere (losses, axes, legends), and durations in ms, s, min or h.

const SUPERSCRIPTS = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** `text` with every ASCII hyphen-minus written as a minus sign (−). */
function minus(text) {
  return text.replaceAll('-', '−');
}

/** `digits` as superscript digits: 4 → ⁴, -13 → ⁻¹³. */
export function superscript(digits) {
  return [...String(digits)].map((c) => SUPERSCRIPTS[c] ?? c).join('');
}

/** The exact number as the API sent it; − for negatives. */
export function full(value) {
  if (value === null || value === undefined) return '—';
  return minus(String(value));
}

/**
 * About `digits` significant digits, without trailing zeros: 0.000006140445118192093 reads 6.14×10⁻⁶,
 * 123456 reads 1.235×10⁵; between 0.001 and 100000 plain decimals.
 */
export function short(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(Math.max(0, digits - 1)).split('e');
    const kept = trimZeros(mantissa);
    const power = `10${superscript(Number(exponent))}`;
    return minus(kept === '1' ? power : kept === '-1' ? `-${power}` : `${kept}×${power}`);
  }
  return minus(trimZeros(value.toPrecision(digits)));
}

function trimZeros(text) {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A point as (x, y) with short numbers. */
export function point(values, digits = 4) {
  return `(${values.map((v) => short(v, digits)).join(', ')})`;
}

/**
 * A duration given in milliseconds as a person reads it: 0.42 ms, 296 ms, 6.2 s, 42 s, 3 min 5 s,
 * 1 h 2 min.
 */
export function duration(milliseconds) {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return '—';
  if (milliseconds < 1) return `${short(milliseconds, 2)} ms`;
  if (milliseconds < 999.5) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
  const minutes = Math.round(totalSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
