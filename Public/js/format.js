// Number text: full precision for results (the shortest text that reads back as the same double,
// as the API writes it), a few digits for axes and legends.

/** The exact number as the API sent it; − for negatives. */
export function full(value) {
  if (value === null || value === undefined) return '—';
  return String(value).replace('-', '−');
}

/** About `digits` significant digits, without trailing zeros; exponents for very large or small. */
export function short(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  let text;
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(Math.max(0, digits - 2)).split('e');
    text = `${trimZeros(mantissa)}e${Number(exponent)}`;
  } else {
    text = trimZeros(value.toPrecision(digits));
  }
  return text.replace('-', '−');
}

function trimZeros(text) {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A point as (x, y) with short numbers. */
export function point(values, digits = 4) {
  return `(${values.map((v) => short(v, digits)).join(', ')})`;
}
