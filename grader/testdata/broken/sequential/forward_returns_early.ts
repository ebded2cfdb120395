// Broken on purpose (a grader proof): forward returns inside the loop, after the first module.
// @fails forward, hidden.forward
// @diagnosis forward returns after the first module
/**
 * `Sequential`: a chain of modules.
 *
 * @module
 */

import type { Tensor } from "../../../../lib/tensor.ts";
import { Module } from "../../../../lib/module.ts";
import { checkTensor } from "../../../../lessons/_check.ts";

/**
 * Modules applied one after another: `output = mₖ(…m₁(m₀(input)))`.
 *
 * Backward walks the chain in reverse, giving module i the input it saw in
 * forward (the output of module i − 1, or the Sequential's input for i = 0)
 * and the gradInput of module i + 1 as its gradOutput. `getParameters()` and
 * `getGradParameters()` return one list per module (`Tensor[][]`);
 * `train()`, `evaluate()` and `zeroGradParameters()` reach every module.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { Tensor } from "../../../../lib/tensor.ts";
 * import { Sequential } from "./sequential.ts";
 * import { Linear } from "./linear.ts";
 * import { ReLU } from "./relu.ts";
 * const net = new Sequential().add(new Linear(4, 3)).add(new ReLU()).add(new Linear(3, 2));
 * const x = Tensor.ones([5, 4]);
 * assert.deepEqual(net.forward(x).shape, [5, 2]);
 * assert.deepEqual(net.backward(x, Tensor.ones([5, 2])).shape, [5, 4]);
 * assert.deepEqual(net.getParameters().map((p) => p.length), [2, 0, 2]);
 * assert.equal(String(net), "Sequential(Linear 4 -> 3, ReLU, Linear 3 -> 2)");
 * ```
 */
export class Sequential extends Module {
  /** The modules, in the order they are applied. */
  readonly modules: Module[] = [];

  /** Appends `module` to the chain; returns `this`, so calls chain. */
  add(module: Module): this {
    if (!(module instanceof Module)) {
      throw new TypeError(`Sequential: expected a Module to add, received ${module}`);
    }
    this.modules.push(module);
    return this;
  }

  /** Forward through every module in order; the last output is the output. */
  override updateOutput(input: Tensor): Tensor {
    checkTensor(this, "input", input);
    // BEGIN SOLUTION: pass the input through every module in order (module.forward); store the last output in this.output and return it
    let x = input;
    for (const module of this.modules) {
      x = module.forward(x);
      this.output = x;
      return this.output;
    }
    this.output = x;
    return this.output;
    // END SOLUTION
  }

  /**
   * Backward through the modules in reverse: module i gets the input it saw
   * in forward (`modules[i − 1].output`, or `input` for i = 0).
   */
  override backward(input: Tensor, gradOutput: Tensor): Tensor {
    checkTensor(this, "input", input);
    checkTensor(this, "gradOutput", gradOutput);
    // BEGIN SOLUTION: in reverse, grad = modules[i].backward(its forward input: modules[i − 1].output, or input for i = 0, grad) → this.gradInput
    let grad = gradOutput;
    for (let i = this.modules.length - 1; i >= 0; i--) {
      const moduleInput = i === 0 ? input : this.modules[i - 1].output;
      grad = this.modules[i].backward(moduleInput, grad);
    }
    this.gradInput = grad;
    return this.gradInput;
    // END SOLUTION
  }

  /** The same as `backward` (which also accumulates every module's parameter gradients). */
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    return this.backward(input, gradOutput);
  }

  /** One list per module (`[]` for a module without parameters). */
  override getParameters(): Tensor[][] {
    return this.modules.map((m) => m.getParameters().flat());
  }

  /** One list per module, in the order of `getParameters()`. */
  override getGradParameters(): Tensor[][] {
    return this.modules.map((m) => m.getGradParameters().flat());
  }

  /** Zeroes every module's gradients. */
  override zeroGradParameters(): void {
    for (const m of this.modules) m.zeroGradParameters();
  }

  /** Training mode, for this and every module. */
  override train(): void {
    super.train();
    for (const m of this.modules) m.train();
  }

  /** Evaluation mode, for this and every module. */
  override evaluate(): void {
    super.evaluate();
    for (const m of this.modules) m.evaluate();
  }

  /** `Sequential(Linear 784 -> 100, ReLU, …)`. */
  override toString(): string {
    return `Sequential(${this.modules.map(String).join(", ")})`;
  }
}
