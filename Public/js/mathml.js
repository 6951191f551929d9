// The LaTeX that Nabla writes (`latex` in derivative answers, the function catalog) as MathML, which
// browsers render natively: \frac, \sqrt[n]{}, ^{} and _{}, \left( \right), \cdot, \times, Greek
// letters, \sin-style operators, \operatorname{}, \mathrm{}, \sum. Anything else throws, and the
// caller shows the LaTeX as text instead.

const NS = 'http://www.w3.org/1998/Math/MathML';

const GREEK = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι',
  kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ',
  chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};
const SYMBOLS = { cdot: '·', times: '×', pm: '±', infty: '∞', le: '≤', ge: '≥', neq: '≠', to: '→' };
const OPERATOR_NAMES = new Set([
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'sinh', 'cosh', 'tanh', 'coth', 'arcsin', 'arccos', 'arctan',
  'ln', 'log', 'exp', 'min', 'max', 'lg',
]);
const LARGE = { sum: '∑', prod: '∏' };
const FENCES = { '(': '(', ')': ')', '[': '[', ']': ']', '|': '|', '.': '', '\\{': '{', '\\}': '}' };

function node(name, children = [], attributes = {}) {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  for (const child of children) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

const row = (children) => (children.length === 1 ? children[0] : node('mrow', children));

class Reader {
  constructor(text) {
    this.text = text;
    this.index = 0;
  }

  skipSpace() {
    while (this.index < this.text.length && /\s/.test(this.text[this.index])) this.index++;
  }

  peek() {
    this.skipSpace();
    return this.text[this.index];
  }

  /** A command name after a backslash (letters, or one symbol). */
  command() {
    this.index++; // the backslash
    const match = /^[A-Za-z]+/.exec(this.text.slice(this.index));
    const name = match ? match[0] : this.text[this.index];
    this.index += name.length;
    return name;
  }

  expect(character) {
    if (this.peek() !== character) throw new Error(`expected '${character}' at ${this.index}`);
    this.index++;
  }

  /** Items until `}`, `\right`, `]` (when `closing` says so) or the end. */
  sequence(closing = null) {
    const items = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '}' || (closing === ']' && c === ']')) break;
      if (c === '\\' && this.text.startsWith('\\right', this.index)) break;
      const base = this.atom();
      if (base === null) continue;
      items.push(this.scripts(base));
    }
    return items;
  }

  /** `{…}` as one row, or a single token. */
  argument() {
    if (this.peek() === '{') {
      this.index++;
      const items = this.sequence();
      this.expect('}');
      return row(items);
    }
    return this.atom();
  }

  /** Raw text of a `{…}` group (for \operatorname and \mathrm). */
  rawGroup() {
    this.expect('{');
    const end = this.text.indexOf('}', this.index);
    if (end < 0) throw new Error('unclosed group');
    const text = this.text.slice(this.index, end).replace(/\\_/g, '_').replace(/\\,/g, ' ');
    this.index = end + 1;
    return text;
  }

  scripts(base) {
    let sub = null;
    let sup = null;
    for (;;) {
      const c = this.peek();
      if (c === '^' && sup === null) {
        this.index++;
        sup = this.argument();
      } else if (c === '_' && sub === null) {
        this.index++;
        sub = this.argument();
      } else {
        break;
      }
    }
    if (sub && sup) return node('msubsup', [base, sub, sup]);
    if (sub) return node('msub', [base, sub]);
    if (sup) return node('msup', [base, sup]);
    return base;
  }

  atom() {
    const c = this.peek();
    if (c === '{') return this.argument();
    if (/[0-9.]/.test(c)) {
      const match = /^[0-9]*\.?[0-9]+|^[0-9]+\.?/.exec(this.text.slice(this.index));
      this.index += match[0].length;
      return node('mn', [match[0]]);
    }
    if (/[A-Za-z]/.test(c)) {
      this.index++;
      return node('mi', [c]);
    }
    if (c === '\\') return this.commandAtom();
    if ('+-=<>,()[]|!/:;'.includes(c)) {
      this.index++;
      return node('mo', [c === '-' ? '−' : c]);
    }
    throw new Error(`unexpected '${c}' at ${this.index}`);
  }

  commandAtom() {
    const name = this.command();
    if (name === 'frac') {
      const numerator = this.argument();
      const denominator = this.argument();
      return node('mfrac', [numerator, denominator]);
    }
    if (name === 'sqrt') {
      if (this.peek() === '[') {
        this.index++;
        const degree = row(this.sequence(']'));
        this.expect(']');
        return node('mroot', [this.argument(), degree]);
      }
      return node('msqrt', [this.argument()]);
    }
    if (name === 'left') {
      const open = this.fence();
      const inside = this.sequence();
      if (!this.text.startsWith('\\right', this.index)) throw new Error('\\left without \\right');
      this.index += '\\right'.length;
      const close = this.fence();
      const children = [];
      if (open) children.push(node('mo', [open], { fence: 'true' }));
      children.push(...inside);
      if (close) children.push(node('mo', [close], { fence: 'true' }));
      return node('mrow', children);
    }
    if (name === 'operatorname') {
      return node('mrow', [node('mi', [this.rawGroup()], { mathvariant: 'normal' }), node('mo', ['\u2061'])]);
    }
    if (name === 'mathrm') return node('mi', [this.rawGroup()], { mathvariant: 'normal' });
    if (OPERATOR_NAMES.has(name)) return node('mrow', [node('mi', [name]), node('mo', ['\u2061'])]);
    if (name in GREEK) return node('mi', [GREEK[name]]);
    if (name in SYMBOLS) return node('mo', [SYMBOLS[name]]);
    if (name in LARGE) return node('mo', [LARGE[name]], { largeop: 'true' });
    if (name === '_') return node('mi', ['_']);
    if ([',', ';', ' ', '!', 'quad'].includes(name)) return null;
    throw new Error(`unknown command \\${name}`);
  }

  fence() {
    const c = this.peek();
    if (c === '\\') {
      const name = this.text.slice(this.index, this.index + 2);
      this.index += 2;
      if (!(name in FENCES)) throw new Error(`unknown fence ${name}`);
      return FENCES[name];
    }
    this.index++;
    if (!(c in FENCES)) throw new Error(`unknown fence ${c}`);
    return FENCES[c];
  }
}

/** A `<math>` element for `latex`, or throws when it uses something this subset does not know. */
export function latexToMathML(latex, { display = true } = {}) {
  const reader = new Reader(latex);
  const items = reader.sequence();
  if (reader.peek() !== undefined) throw new Error(`unexpected '${reader.peek()}' at ${reader.index}`);
  return node('math', [node('mrow', items)], display ? { display: 'block' } : {});
}

/** Puts `latex` into `container` as MathML, or as plain code when it cannot be converted. */
export function renderLatex(container, latex, { display = true, prefix = null } = {}) {
  container.replaceChildren();
  try {
    const math = latexToMathML(latex, { display });
    if (prefix) math.firstChild.prepend(...prefix());
    math.setAttribute('alttext', latex);
    container.append(math);
  } catch {
    const code = document.createElement('code');
    code.textContent = latex;
    container.append(code);
  }
}
