/**
 * Tensor assertions for tests: {@linkcode assertTensorClose} fails with the
 * worst index, got vs expected and the tolerance, so a failure can be acted on.
 *
 * @example
 * ```ts
 * import { Tensor } from "../lib/tensor.ts";
 * import { assertTensorClose } from "./asserts.ts";
 * assertTensorClose(Tensor.from([1, 2]), [1, 2 + 1e-12], "output");
 * ```
 *
 * @module
 */

import { AssertionError } from "node:assert";
import { type NestedInput, Tensor } from "../lib/tensor.ts";
import { currentSeed } from "../lib/random.ts";

/** Tolerances of {@linkcode assertTensorClose}: `|got − expected| ≤ atol + rtol·|expected|`. */
export interface CloseTolerance {
  /** Relative tolerance (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12). */
  atol?: number;
}

/**
 * Asserts that `actual` has the shape of `expected` and every element is within
 * `atol + rtol·|expected|`; the message names `what`, the worst index, both
 * values and the current seed of `lib/random.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { assertTensorClose } from "./asserts.ts";
 * assert.throws(() => assertTensorClose(Tensor.from([[1, 2]]), [[1, 3]], "gradW"), /gradW at \[0, 1\]: got 2/);
 * ```
 */
export function assertTensorClose(
  actual: Tensor,
  expected: Tensor | NestedInput,
  what: string,
  tolerance: CloseTolerance = {},
): void {
  const exp = expected instanceof Tensor ? expected : Tensor.from(expected);
  if (!(actual instanceof Tensor)) {
    throw new AssertionError({ message: `${what}: expected a Tensor, got ${actual}` });
  }
  if (actual.shape.join() !== exp.shape.join()) {
    throw new AssertionError({
      message: `${what}: got shape [${actual.shape.join(", ")}], expected [${exp.shape.join(", ")}]`,
    });
  }
  const rtol = tolerance.rtol ?? 1e-10;
  const atol = tolerance.atol ?? 1e-12;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.size; i++) {
    const a = actual.data[i];
    const b = exp.data[i];
    if (a === b) continue;
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0) && (worst === -1 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst === -1) return;
  const index: number[] = [];
  for (let i = exp.ndim - 1, f = worst; i >= 0; i--) {
    index.unshift(f % exp.shape[i]);
    f = Math.floor(f / exp.shape[i]);
  }
  throw new AssertionError({
    message: `${what} at [${index.join(", ")}]: got ${actual.data[worst]}, expected ${
      exp.data[worst]
    } (rtol ${rtol}, atol ${atol}, seed ${currentSeed()})`,
  });
}
