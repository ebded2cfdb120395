/**
 * Input checks shared by the modules: each throws a clear error that names the
 * module, what was expected and what was received (SPEC.md, "Bad input"):
 * a `TypeError` for a wrong type or shape, a `RangeError` for a value out of
 * range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkShape } from "./_check.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * assert.throws(
 *   () => checkShape("Linear 3 -> 4", "input", Tensor.zeros([2, 5]), ["N", 3]),
 *   new TypeError("Linear 3 -> 4: expected input of shape [N, 3], received [2, 5]"),
 * );
 * ```
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";

/** An axis of an expected shape: an exact length, or a name (`"N"`) that matches any length. */
export type Dim = number | string;

/**
 * `[2, 5]`, as messages show shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatShape } from "./_check.ts";
 * assert.equal(formatShape(["N", 3]), "[N, 3]");
 * ```
 */
export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(", ")}]`;
}

function _describe(v: unknown): string {
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`;
  if (typeof v === "string") return `"${v}"`;
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "object") return v.constructor?.name ?? "an object";
  return String(v);
}

/**
 * Throws a `TypeError` unless `t` is a `Tensor`; returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTensor } from "./_check.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * assert.equal(checkTensor("ReLU", "input", Tensor.zeros([1])).size, 1);
 * ```
 */
export function checkTensor(who: unknown, what: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(`${who}: expected ${what} to be a Tensor, received ${_describe(t)}`);
  }
  return t;
}

/**
 * Throws a `TypeError` unless `t` is a `Tensor` of shape `dims` (a name such as
 * `"N"` matches any length); returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkShape } from "./_check.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * assert.equal(checkShape("SoftMax", "input", Tensor.zeros([2, 3]), ["N", "D"]).ndim, 2);
 * ```
 */
export function checkShape(who: unknown, what: string, t: unknown, dims: readonly Dim[]): Tensor {
  const x = checkTensor(who, what, t);
  const ok = x.ndim === dims.length && dims.every((d, i) => typeof d === "string" || d === x.shape[i]);
  if (!ok) {
    throw new TypeError(
      `${who}: expected ${what} of shape ${formatShape(dims)}, received ${formatShape(x.shape)}`,
    );
  }
  return x;
}

/**
 * Throws a `TypeError` unless `t` is a `Tensor` with at least `minRank` axes;
 * `pattern` describes the expectation in the message (e.g. `"[N, ...]"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMinRank } from "./_check.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * assert.equal(checkMinRank("Flatten", "input", Tensor.zeros([2, 3, 4]), 2, "[N, ...]").ndim, 3);
 * ```
 */
export function checkMinRank(
  who: unknown,
  what: string,
  t: unknown,
  minRank: number,
  pattern: string,
): Tensor {
  const x = checkTensor(who, what, t);
  if (x.ndim < minRank) {
    throw new TypeError(`${who}: expected ${what} of shape ${pattern}, received ${formatShape(x.shape)}`);
  }
  return x;
}

/**
 * Throws unless `value` is a positive integer (a `TypeError` for a non-number,
 * a `RangeError` otherwise); returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPositiveInteger } from "./_check.ts";
 * assert.equal(checkPositiveInteger("Linear", "nIn", 3), 3);
 * ```
 */
export function checkPositiveInteger(who: unknown, name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(`${who}: expected ${name} to be a positive integer, received ${_describe(value)}`);
  }
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${who}: expected ${name} to be a positive integer, received ${value}`);
  }
  return value;
}

/**
 * Throws unless `value` is a number for which `ok` holds (a `TypeError` for a
 * non-number, a `RangeError` otherwise); `expected` describes the range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNumber } from "./_check.ts";
 * assert.equal(checkNumber("Dropout", "p", 0.5, "in [0, 1)", (p) => p >= 0 && p < 1), 0.5);
 * ```
 */
export function checkNumber(
  who: unknown,
  name: string,
  value: unknown,
  expected: string,
  ok: (v: number) => boolean,
): number {
  if (typeof value !== "number") {
    throw new TypeError(`${who}: expected ${name} ${expected}, received ${_describe(value)}`);
  }
  if (!ok(value)) throw new RangeError(`${who}: expected ${name} ${expected}, received ${value}`);
  return value;
}

/**
 * Checks the `variables` and `gradients` of an optimizer: one list of tensors
 * per module (`Tensor[][]`, the structure of `Sequential.getParameters()`),
 * the two of the same structure and shapes. Returns the `[variable, gradient]`
 * pairs in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOptimizerArguments } from "./_check.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * const x = Tensor.zeros([2]);
 * const g = Tensor.ones([2]);
 * assert.deepEqual(checkOptimizerArguments("sgdMomentum", [[x], []], [[g], []]), [[x, g]]);
 * ```
 */
export function checkOptimizerArguments(
  who: string,
  variables: readonly (readonly Tensor[])[],
  gradients: readonly (readonly Tensor[])[],
): [Tensor, Tensor][] {
  const pairs: [Tensor, Tensor][] = [];
  for (const [name, lists] of [["variables", variables], ["gradients", gradients]] as const) {
    if (!Array.isArray(lists) || !lists.every(Array.isArray)) {
      throw new TypeError(
        `${who}: expected ${name} as one list of tensors per module (Tensor[][]), received ${
          Array.isArray(lists) ? "a list with a non-list entry" : _describe(lists)
        }`,
      );
    }
  }
  const shapeOf = (lists: readonly (readonly Tensor[])[]) => `[${lists.map((l) => l.length).join(", ")}]`;
  if (variables.length !== gradients.length || variables.some((l, i) => l.length !== gradients[i].length)) {
    throw new TypeError(
      `${who}: expected gradients with the structure of variables (list lengths ${
        shapeOf(variables)
      }), received ${shapeOf(gradients)}`,
    );
  }
  variables.forEach((list, i) => {
    list.forEach((x, j) => {
      checkTensor(who, `variables[${i}][${j}]`, x);
      checkShape(who, `gradients[${i}][${j}]`, gradients[i][j], x.shape);
      pairs.push([x, gradients[i][j]]);
    });
  });
  return pairs;
}

/**
 * Reads an optimizer's per-variable memory `state[key]`: creates it (zeros
 * like each variable) on the first call, and checks on later calls that it
 * still matches the variables (a `TypeError` when the state belongs to
 * another set of variables).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimizerMemory } from "./_check.ts";
 * import { Tensor } from "../lib/tensor.ts";
 * const state: Record<string, unknown> = {};
 * const v = optimizerMemory("sgdMomentum", state, "velocities", [Tensor.ones([3])]);
 * assert.equal(v[0].sum(), 0);
 * assert.equal(optimizerMemory("sgdMomentum", state, "velocities", [Tensor.ones([3])]), v);
 * ```
 */
export function optimizerMemory(
  who: string,
  state: Record<string, unknown>,
  key: string,
  variables: readonly Tensor[],
): Tensor[] {
  if (typeof state !== "object" || state === null) {
    throw new TypeError(`${who}: expected state to be an object, received ${_describe(state)}`);
  }
  const memory = state[key] ??= variables.map((x) => Tensor.zerosLike(x));
  const ok = Array.isArray(memory) && memory.length === variables.length &&
    memory.every((m, i) => m instanceof Tensor && m.shape.join() === variables[i].shape.join());
  if (!ok) {
    throw new TypeError(
      `${who}: expected state.${key} to hold one tensor per variable (${variables.length}, same shapes), received ${
        _describe(memory)
      }; was this state used with other variables?`,
    );
  }
  return memory as Tensor[];
}
