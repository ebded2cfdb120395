/**
 * Gradient checks by central differences, shared by the solution tests and the
 * grader: {@linkcode numericGradient} and {@linkcode relativeError} are the
 * building blocks; {@linkcode assertModuleGradients} and
 * {@linkcode assertCriterionGradient} run a whole check and fail with a
 * message naming the tensor, the worst index, got vs expected and the seed.
 *
 * A module is probed with a random upstream gradient R and the loss
 * `Σ(output ⊙ R)`, not `output.sum()`: with `sum()` every upstream gradient
 * is 1, and a backward that ignores `gradOutput` would pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { numericGradient, relativeError } from "./gradcheck.ts";
 * const x = Tensor.from([1, 2, 3]);
 * const g = numericGradient((t) => t.square().sum(), x);
 * assert.ok(relativeError(g, x.mul(2)) < 1e-8);
 * ```
 *
 * @module
 */

import { AssertionError } from "node:assert";
import { Tensor } from "../lib/tensor.ts";
import type { Criterion, Module } from "../lib/module.ts";
import { currentSeed, seed } from "../lib/random.ts";

/**
 * ∂f/∂x by central differences, `(f(x + eps·eᵢ) − f(x − eps·eᵢ)) / 2eps` for
 * every element i. `x` is perturbed **in place** one element at a time and
 * restored exactly, so `x` may be a module's parameter tensor and `f` may
 * ignore its argument.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { numericGradient } from "./gradcheck.ts";
 * const w = Tensor.from([[2, -1]]);
 * const g = numericGradient(() => w.get(0, 0) * w.get(0, 1), w);
 * assert.ok(g.allClose(Tensor.from([[-1, 2]])));
 * assert.deepEqual(w.toArray(), [[2, -1]]);
 * ```
 */
export function numericGradient(f: (x: Tensor) => number, x: Tensor, eps = 1e-6): Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`numericGradient: expected x to be a Tensor, received ${x}`);
  }
  if (!(eps > 0)) throw new RangeError(`numericGradient: expected eps > 0, received ${eps}`);
  const grad = Tensor.zerosLike(x);
  for (let i = 0; i < x.size; i++) {
    const old = x.data[i];
    x.data[i] = old + eps;
    const plus = f(x);
    x.data[i] = old - eps;
    const minus = f(x);
    x.data[i] = old;
    grad.data[i] = (plus - minus) / (2 * eps);
  }
  return grad;
}

/**
 * The largest elementwise difference relative to the largest magnitude:
 * `max|a − b| / max(max|a|, max|b|)` (0 when both are all zeros). Unlike an
 * elementwise relative error it does not blow up on entries near zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { relativeError } from "./gradcheck.ts";
 * assert.equal(relativeError(Tensor.from([1, 2]), Tensor.from([1, 2.5])), 0.2);
 * ```
 */
export function relativeError(a: Tensor, b: Tensor): number {
  _sameShape("relativeError", a, b);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.size; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    if (!(d <= diff)) diff = d; // NaN wins
    scale = Math.max(scale, Math.abs(a.data[i]), Math.abs(b.data[i]));
  }
  if (diff === 0) return 0;
  return scale === 0 || Number.isNaN(diff) ? Infinity : diff / scale;
}

/**
 * The probe loss `Σ(output ⊙ r)`, whose gradient with respect to `output` is `r`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { probeLoss } from "./gradcheck.ts";
 * assert.equal(probeLoss(Tensor.from([1, 2]), Tensor.from([3, -1])), 1);
 * ```
 */
export function probeLoss(output: Tensor, r: Tensor): number {
  _sameShape("probeLoss", output, r);
  let s = 0;
  for (let i = 0; i < output.size; i++) s += output.data[i] * r.data[i];
  return s;
}

/** Options of the gradient assertions. */
export interface GradCheckOptions {
  /** Seed of the random upstream gradient R (default: the current seed of `lib/random.ts`). */
  seed?: number;
  /** Step of the central differences (default 1e-6). */
  eps?: number;
  /** Largest accepted {@linkcode relativeError} (default 1e-6). */
  tolerance?: number;
  /** Names of the parameters in `getParameters()` order, for messages (default `parameter 0`, …). */
  names?: readonly string[];
}

/**
 * Checks `module`'s `gradInput` and every parameter gradient against central
 * differences of `Σ(module.forward(x) ⊙ R)`, R standard normal drawn after
 * `seed(options.seed)`. The module must be deterministic in its current mode
 * (put Dropout in eval mode, or use p = 0). Gradients are zeroed first; the
 * module's parameters are perturbed and restored.
 *
 * @example
 * ```ts
 * import { Tensor } from "../lib/tensor.ts";
 * import { Module } from "../lib/module.ts";
 * import { assertModuleGradients } from "./gradcheck.ts";
 * class Square extends Module {
 *   override updateOutput(x: Tensor): Tensor {
 *     return (this.output = x.square());
 *   }
 *   override updateGradInput(x: Tensor, g: Tensor): Tensor {
 *     return (this.gradInput = g.mul(x).mul(2));
 *   }
 * }
 * assertModuleGradients(new Square(), Tensor.from([[1, -2, 3]]), { seed: 1 });
 * ```
 */
export function assertModuleGradients(module: Module, input: Tensor, options: GradCheckOptions = {}): void {
  const s = options.seed ?? currentSeed();
  module.zeroGradParameters();
  const output = module.forward(input);
  seed(s);
  const r = Tensor.normal(output.shape);
  const gradInput = module.backward(input, r).clone();
  const params = module.getParameters().flat();
  const grads = module.getGradParameters().flat().map((g) => g.clone());
  const loss = (x: Tensor) => probeLoss(module.forward(x), r);
  const eps = options.eps ?? 1e-6;
  _compare(`${module}`, "gradInput", gradInput, numericGradient(loss, input.clone(), eps), s, options);
  params.forEach((p, i) => {
    const name = options.names?.[i] ?? `parameter ${i}`;
    _compare(`${module}`, name, grads[i], numericGradient(() => loss(input), p, eps), s, options);
  });
}

/**
 * Checks `criterion.backward(input, target)` against central differences of
 * `criterion.forward(input, target)`.
 *
 * @example
 * ```ts
 * import { Tensor } from "../lib/tensor.ts";
 * import { Criterion } from "../lib/module.ts";
 * import { assertCriterionGradient } from "./gradcheck.ts";
 * class Dot extends Criterion {
 *   override updateOutput(x: Tensor, t: Tensor): number {
 *     return (this.output = x.mul(t).sum());
 *   }
 *   override updateGradInput(_x: Tensor, t: Tensor): Tensor {
 *     return (this.gradInput = t.clone());
 *   }
 * }
 * assertCriterionGradient(new Dot(), Tensor.from([[1, 2]]), Tensor.from([[0, 1]]));
 * ```
 */
export function assertCriterionGradient(
  criterion: Criterion,
  input: Tensor,
  target: Tensor,
  options: GradCheckOptions = {},
): void {
  const s = options.seed ?? currentSeed();
  const analytic = criterion.backward(input, target).clone();
  const numeric = numericGradient((x) => criterion.forward(x, target), input.clone(), options.eps ?? 1e-6);
  _compare(`${criterion}`, "gradInput", analytic, numeric, s, options);
}

function _compare(
  who: string,
  name: string,
  got: Tensor,
  expected: Tensor,
  s: number,
  options: GradCheckOptions,
): void {
  if (got.shape.join() !== expected.shape.join()) {
    throw new AssertionError({
      message: `${who}: ${name} has shape [${got.shape.join(", ")}], expected [${
        expected.shape.join(", ")
      }] (seed ${s})`,
    });
  }
  const tol = options.tolerance ?? 1e-6;
  const err = relativeError(got, expected);
  if (err <= tol) return;
  let worst = 0;
  for (let i = 1; i < got.size; i++) {
    const d = Math.abs(got.data[i] - expected.data[i]);
    if (!(d <= Math.abs(got.data[worst] - expected.data[worst]))) worst = i;
  }
  const at = _unravel(worst, got.shape).join(", ");
  throw new AssertionError({
    message: `${who}: ${name} at [${at}]: got ${got.data[worst].toPrecision(6)}, expected ${
      expected.data[worst].toPrecision(6)
    } (rel. error ${err.toExponential(1)} > ${tol}, seed ${s})`,
  });
}

function _unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}

function _sameShape(op: string, a: Tensor, b: Tensor): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.shape.join() !== b.shape.join()) {
    const fmt = (t: unknown) => t instanceof Tensor ? `[${t.shape.join(", ")}]` : String(t);
    throw new TypeError(`${op}: expected two tensors of the same shape, received ${fmt(a)} and ${fmt(b)}`);
  }
}
