/**
 * The kit's one seeded random generator. Everything random in gradlings
 * (parameter initialisation, dropout masks, data shuffling) draws from it, so
 * after `seed(n)` a run is reproducible on every machine: the generator is
 * xoshiro128** over 32-bit integer arithmetic, seeded through SplitMix32, and
 * every float is built from integers only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { random, seed } from "./random.ts";
 * seed(7);
 * const a = random();
 * seed(7);
 * assert.equal(random(), a);
 * ```
 *
 * @module
 */

/** xoshiro128** state: four 32-bit words. */
const _state = new Uint32Array(4);
/** A cached second normal deviate from Box–Muller, or NaN when empty. */
let _spareNormal = NaN;
/** The seed of the current stream, for failure messages. */
let _currentSeed = 0;

/** murmur3's 32-bit finaliser: a bijection of 32-bit words that maps 0 to 0. */
function _fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One SplitMix32 step: the next counter and its mixed output word. */
function _splitMix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0;
  return [x, _fmix32(x)];
}

function _nextUint32(): number {
  const s = _state;
  const result = Math.imul(_rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = _rotl(s[3], 11);
  return result;
}

function _rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Restarts the generator from `n` (any safe integer; the same `n` gives the
 * same stream on every machine, and different safe integers give different
 * streams). SplitMix32 from the low 32 bits of `n` fills the four state
 * words; the high bits, when not 0 (negative or ≥ 2³² seeds), are folded into
 * words 1–3 through the murmur3 finaliser, so no two seeds share a state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { random, seed } from "./random.ts";
 * seed(1);
 * const first = [random(), random()];
 * seed(1);
 * assert.deepEqual([random(), random()], first);
 * ```
 */
export function seed(n: number): void {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Cannot seed the generator: expected a safe integer, received ${n}`);
  }
  _currentSeed = n;
  let x = n | 0; // the low 32 bits
  for (let i = 0; i < 4; i++) {
    const [next, word] = _splitMix32(x);
    x = next;
    _state[i] = word;
  }
  // Word 0 depends on the low bits alone and each fold is a bijection that
  // maps 0 to 0, so every safe integer gives its own state, and seeds in
  // [0, 2³²) keep the streams they always had.
  const hi = Math.floor(n / 4294967296) | 0;
  if (hi !== 0) {
    _state[1] ^= _fmix32(hi);
    _state[2] ^= _fmix32(Math.imul(hi, 0x9e3779b1));
    _state[3] ^= _fmix32(Math.imul(hi, 0x85ebca77));
  }
  if (_state[0] === 0 && _state[1] === 0 && _state[2] === 0 && _state[3] === 0) _state[0] = 1;
  _spareNormal = NaN;
}

/** The seed last given to {@linkcode seed} (0 at start-up). */
export function currentSeed(): number {
  return _currentSeed;
}

/**
 * A uniform float in [0, 1) with 53 random bits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { random } from "./random.ts";
 * const x = random();
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export function random(): number {
  const hi = _nextUint32() >>> 5; // 27 bits
  const lo = _nextUint32() >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/**
 * A uniform float in [low, high).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uniform } from "./random.ts";
 * const x = uniform(-1, 1);
 * assert.ok(x >= -1 && x < 1);
 * ```
 */
export function uniform(low = 0, high = 1): number {
  return low + (high - low) * random();
}

/**
 * A normal deviate with the given mean and standard deviation (Box–Muller).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normal } from "./random.ts";
 * assert.ok(Number.isFinite(normal(0, 1)));
 * ```
 */
export function normal(mean = 0, std = 1): number {
  if (!Number.isNaN(_spareNormal)) {
    const z = _spareNormal;
    _spareNormal = NaN;
    return mean + std * z;
  }
  let u = 0;
  while (u === 0) u = random();
  const v = random();
  const r = Math.sqrt(-2 * Math.log(u));
  _spareNormal = r * Math.sin(2 * Math.PI * v);
  return mean + std * r * Math.cos(2 * Math.PI * v);
}

/**
 * A uniform integer in [low, high).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randint } from "./random.ts";
 * const k = randint(0, 10);
 * assert.ok(Number.isInteger(k) && k >= 0 && k < 10);
 * ```
 */
export function randint(low: number, high: number): number {
  if (!(Number.isInteger(low) && Number.isInteger(high)) || high <= low) {
    throw new RangeError(`Cannot draw an integer: expected integers low < high, received ${low} and ${high}`);
  }
  return low + Math.floor(random() * (high - low));
}

/**
 * Fills `out` with uniform floats in [low, high), in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillUniform } from "./random.ts";
 * const a = fillUniform(new Float64Array(3), 2, 3);
 * assert.ok(a.every((x) => x >= 2 && x < 3));
 * ```
 */
export function fillUniform(out: Float64Array, low = 0, high = 1): Float64Array {
  const span = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + span * random();
  return out;
}

/**
 * Fills `out` with normal deviates, in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillNormal } from "./random.ts";
 * const a = fillNormal(new Float64Array(4), 0, 1);
 * assert.ok(a.every(Number.isFinite));
 * ```
 */
export function fillNormal(out: Float64Array, mean = 0, std = 1): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = normal(mean, std);
  return out;
}

/**
 * Fills `out` with a Bernoulli mask: each element is 1 with probability `p`,
 * else 0, drawn independently (`random() < p`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillBernoulli } from "./random.ts";
 * const m = fillBernoulli(new Float64Array(5), 1);
 * assert.ok(m.every((x) => x === 1));
 * ```
 */
export function fillBernoulli(out: Float64Array, p: number): Float64Array {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`Cannot draw a Bernoulli mask: expected a probability in [0, 1], received ${p}`);
  }
  for (let i = 0; i < out.length; i++) out[i] = random() < p ? 1 : 0;
  return out;
}

/**
 * Shuffles `items` in place (Fisher–Yates) and returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shuffle } from "./random.ts";
 * const a = shuffle([1, 2, 3, 4]);
 * assert.equal([...a].sort().join(), "1,2,3,4");
 * ```
 */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/**
 * A random permutation of 0, 1, …, n − 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permutation } from "./random.ts";
 * const p = permutation(5);
 * assert.equal([...p].sort().join(), "0,1,2,3,4");
 * ```
 */
export function permutation(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Cannot build a permutation: expected a non-negative integer, received ${n}`);
  }
  return shuffle(Array.from({ length: n }, (_, i) => i));
}

seed(0);
