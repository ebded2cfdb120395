/**
 * The given base classes of every lesson: `Module` (a layer with a forward
 * and a backward pass) and `Criterion` (a loss), with the contract every
 * module keeps, and `NotImplementedError`, which lesson stubs throw.
 *
 * The contract (SPEC.md):
 * - `forward` stores its result in `this.output` and returns it; `backward`
 *   stores ∂L/∂input in `this.gradInput` and returns it.
 * - `input` and `gradOutput` are never modified.
 * - Parameter gradients **accumulate** (`+=`) across `backward` calls until
 *   `zeroGradParameters()`.
 * - Any batch size works; parameter tensors are updated in place by the
 *   optimizers, so a module never replaces them after construction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Module } from "./module.ts";
 * import { Tensor } from "./tensor.ts";
 *
 * class Double extends Module {
 *   override updateOutput(input: Tensor): Tensor {
 *     this.output = input.mul(2);
 *     return this.output;
 *   }
 *   override updateGradInput(_input: Tensor, gradOutput: Tensor): Tensor {
 *     this.gradInput = gradOutput.mul(2);
 *     return this.gradInput;
 *   }
 * }
 * const m = new Double();
 * assert.equal(m.forward(Tensor.from([1, 2])).sum(), 6);
 * assert.equal(m.backward(Tensor.from([1, 2]), Tensor.ones([2])).sum(), 4);
 * ```
 *
 * @module
 */

import type { Tensor } from "./tensor.ts";

/**
 * Thrown by a lesson stub whose body the student has not written yet. The
 * grader reads it as "not started", not as a crash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotImplementedError } from "./module.ts";
 * const e = new NotImplementedError("Linear.updateOutput");
 * assert.ok(e.name === "NotImplementedError" && e.task === "Linear.updateOutput");
 * ```
 */
export class NotImplementedError extends Error {
  /** What is still to write, e.g. `Linear.updateOutput`. */
  readonly task: string;

  /** @param task What is still to write, e.g. `Linear.updateOutput`. */
  constructor(task: string) {
    super(`${task} is not implemented yet: write it in your lesson file`);
    this.name = "NotImplementedError";
    this.task = task;
  }
}

/**
 * A module's parameters: a flat list, or, for `Sequential`, one list per
 * module. Every module but `Sequential` returns `Tensor[]`.
 */
export type Parameters = Tensor[] | Tensor[][];

/**
 * A layer: `forward` computes the output from the input, `backward` the
 * gradient of the loss with respect to the input (and accumulates the
 * gradients of the parameters).
 *
 * Subclasses override `updateOutput`, `updateGradInput` and, when they have
 * parameters, `accGradParameters`, `getParameters` and `getGradParameters`.
 */
export class Module {
  /** The last result of `forward` (undefined before the first call). */
  output!: Tensor;
  /** The last result of `backward`: ∂L/∂input (undefined before the first call). */
  gradInput!: Tensor;
  /** True in training mode (after construction and `train()`), false after `evaluate()`. */
  training = true;

  /**
   * Computes the output for `input`; stores it in `this.output` and returns it.
   * Calls `updateOutput`.
   */
  forward(input: Tensor): Tensor {
    this.updateOutput(input);
    return this.output;
  }

  /**
   * Back-propagates `gradOutput` (∂L/∂output) through the module: computes
   * `gradInput` and accumulates the parameter gradients. `input` must be the
   * input of the forward pass this follows. Returns `this.gradInput`.
   */
  backward(input: Tensor, gradOutput: Tensor): Tensor {
    this.updateGradInput(input, gradOutput);
    this.accGradParameters(input, gradOutput);
    return this.gradInput;
  }

  /** Computes, stores in `this.output` and returns the output. Never modifies `input`. */
  updateOutput(_input: Tensor): Tensor {
    throw new NotImplementedError(`${this.constructor.name}.updateOutput`);
  }

  /**
   * Computes, stores in `this.gradInput` and returns ∂L/∂input (the shape of
   * `input`). Never modifies `input` or `gradOutput`.
   */
  updateGradInput(_input: Tensor, _gradOutput: Tensor): Tensor {
    throw new NotImplementedError(`${this.constructor.name}.updateGradInput`);
  }

  /**
   * **Adds** ∂L/∂param into each gradient tensor (`+=`, never `=`). Modules
   * without parameters keep this no-op.
   */
  accGradParameters(_input: Tensor, _gradOutput: Tensor): void {}

  /** Sets every gradient tensor to 0, in place. */
  zeroGradParameters(): void {
    for (const g of this.getGradParameters().flat()) g.fillInPlace(0);
  }

  /** The parameter tensors (`[]` when none); the same objects for the module's life. */
  getParameters(): Parameters {
    return [];
  }

  /** The gradients of `getParameters()`, in the same order (`[]` when none). */
  getGradParameters(): Parameters {
    return [];
  }

  /** Switches to training mode (Dropout drops, BatchNormalization uses batch statistics). */
  train(): void {
    this.training = true;
  }

  /** Switches to evaluation mode. */
  evaluate(): void {
    this.training = false;
  }

  /** A readable one-line description, e.g. `Linear 784 -> 100`. */
  toString(): string {
    return this.constructor.name;
  }
}

/**
 * A loss: `forward(input, target)` gives a number, `backward(input, target)`
 * its gradient with respect to `input`. Targets are one-hot `[batch, classes]`
 * tensors. Criterions are the only place that divides by the batch size.
 */
export class Criterion {
  /** The last loss computed by `forward` (undefined before the first call). */
  output!: number;
  /** The last ∂loss/∂input computed by `backward` (undefined before the first call). */
  gradInput!: Tensor;

  /** The loss of `input` against `target`; calls `updateOutput`. */
  forward(input: Tensor, target: Tensor): number {
    this.updateOutput(input, target);
    return this.output;
  }

  /** ∂loss/∂input; calls `updateGradInput` and returns `this.gradInput`. */
  backward(input: Tensor, target: Tensor): Tensor {
    this.updateGradInput(input, target);
    return this.gradInput;
  }

  /** Computes, stores in `this.output` and returns the loss. */
  updateOutput(_input: Tensor, _target: Tensor): number {
    throw new NotImplementedError(`${this.constructor.name}.updateOutput`);
  }

  /** Computes, stores in `this.gradInput` and returns ∂loss/∂input. */
  updateGradInput(_input: Tensor, _target: Tensor): Tensor {
    throw new NotImplementedError(`${this.constructor.name}.updateGradInput`);
  }

  /** A readable one-line description. */
  toString(): string {
    return this.constructor.name;
  }
}
