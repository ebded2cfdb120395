/**
 * The grader's own random stream for probe inputs, drawn in the parent when
 * it builds a plan: independent of `lib/random.ts`, so nothing the student's
 * code draws (or re-seeds) changes the inputs, and the same `(seed, probe)`
 * always gives the same plan (the fixtures rely on it).
 *
 * @module
 */

const F64 = Float64Array;
const floor = Math.floor;
const imul = Math.imul;

/** A small seeded generator (mulberry32) with the helpers probes need. */
export class Rng {
  #state: number;

  /** A stream determined by `seed` and a label (e.g. the probe id). */
  constructor(seed: number, label: string) {
    let h = (seed | 0) ^ 0x9e3779b9 ^ floor(seed / 4294967296);
    for (let i = 0; i < label.length; i++) h = imul(h ^ label.charCodeAt(i), 0x01000193);
    this.#state = h | 0;
    for (let i = 0; i < 4; i++) this.next();
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** `n` uniform floats in [low, high). */
  array(n: number, low = -1, high = 1): Float64Array {
    const out = new F64(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /**
   * `n` floats in [low, high) whose magnitude is at least `gap`, so a kink at
   * 0 (ReLU, LeakyReLU, ELU) is never within a finite-difference step.
   */
  awayFromZero(n: number, low = -2, high = 2, gap = 0.05): Float64Array {
    const out = new F64(n);
    for (let i = 0; i < n; i++) {
      let x = 0;
      do x = this.uniform(low, high); while (x > -gap && x < gap);
      out[i] = x;
    }
    return out;
  }

  /** `n` distinct values: a shuffled grid with jitter, so max-pooling windows never tie. */
  distinct(n: number, low = -2, high = 2): Float64Array {
    const out = new F64(n);
    const step = (high - low) / n;
    for (let i = 0; i < n; i++) out[i] = low + step * (i + 0.2 + 0.6 * this.next());
    for (let i = n - 1; i > 0; i--) {
      const j = floor(this.next() * (i + 1));
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** A random permutation of 0 … n − 1. */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /**
   * Exact values laid out anew for each seed: shuffled, each non-zero one
   * scaled by a factor in [low, high] (zeros, the kinks, stay exactly 0), so
   * a table of last run's answers is no use.
   */
  rearranged(values: readonly number[], low = 1, high = 1): Float64Array {
    const order = this.permutation(values.length);
    const out = new F64(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[order[i]];
      out[i] = v === 0 ? 0 : v * this.uniform(low, high);
    }
    return out;
  }

  /** `rows` × `cols` values with the rows shuffled, and the columns within each row. */
  shuffledRows(values: readonly number[], cols: number): Float64Array {
    const rows = values.length / cols;
    const out = new F64(values.length);
    this.permutation(rows).forEach((r, i) => {
      const c = this.permutation(cols);
      for (let k = 0; k < cols; k++) out[i * cols + k] = values[r * cols + c[k]];
    });
    return out;
  }

  /** A one-hot `[n, classes]` matrix as flat data. */
  oneHot(n: number, classes: number): Float64Array {
    const out = new F64(n * classes);
    for (let i = 0; i < n; i++) out[i * classes + floor(this.next() * classes)] = 1;
    return out;
  }
}
