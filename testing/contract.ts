/**
 * The module contract of SPEC.md as one assertion, for tests and the grader:
 * `forward` returns `this.output` and `backward` `this.gradInput`, neither
 * modifies `input` nor `gradOutput`, gradInput has the input's shape,
 * parameter gradients accumulate across `backward` calls and
 * `zeroGradParameters()` clears them, and `getParameters()` /
 * `getGradParameters()` return the same objects, pairwise of the same shape.
 *
 * @example
 * ```ts
 * import { Tensor } from "../lib/tensor.ts";
 * import { Linear } from "../solutions/linear.ts";
 * import { assertModuleContract } from "./contract.ts";
 * assertModuleContract(new Linear(3, 2), Tensor.ones([4, 3]), { seed: 1 });
 * ```
 *
 * @module
 */

import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import type { Module } from "../lib/module.ts";
import { seed } from "../lib/random.ts";

/** Options of {@linkcode assertModuleContract}. */
export interface ContractOptions {
  /** Seed of the random upstream gradient (default 0). */
  seed?: number;
}

/**
 * Asserts the module contract on `module` for `input` (see the module doc).
 * The module must give the same gradients for the same forward twice (true
 * of every module, Dropout included, since backward reuses the forward's mask).
 *
 * @example
 * ```ts
 * import { Tensor } from "../lib/tensor.ts";
 * import { ReLU } from "../solutions/relu.ts";
 * import { assertModuleContract } from "./contract.ts";
 * assertModuleContract(new ReLU(), Tensor.from([[1, -2]]));
 * ```
 */
export function assertModuleContract(module: Module, input: Tensor, options: ContractOptions = {}): void {
  const s = options.seed ?? 0;
  const ctx = `${module} (seed ${s})`;
  const inputCopy = input.clone();
  const params = module.getParameters().flat();
  const grads = module.getGradParameters().flat();
  assert.equal(
    grads.length,
    params.length,
    `${ctx}: getGradParameters() and getParameters() differ in length`,
  );
  params.forEach((p, i) => {
    assert.deepEqual(grads[i].shape, p.shape, `${ctx}: gradient ${i} has a shape other than parameter ${i}`);
  });

  const out = module.forward(input);
  assert.ok(out instanceof Tensor, `${ctx}: forward returned ${out}, expected a Tensor`);
  assert.equal(out, module.output, `${ctx}: forward did not return this.output`);
  assert.ok(input.equals(inputCopy), `${ctx}: forward modified its input`);

  seed(s);
  const gradOutput = Tensor.normal(out.shape);
  const gradCopy = gradOutput.clone();
  module.zeroGradParameters();
  for (const g of grads) {
    assert.equal(g.abs().max(), 0, `${ctx}: zeroGradParameters() left a non-zero gradient`);
  }
  const gi = module.backward(input, gradOutput);
  assert.equal(gi, module.gradInput, `${ctx}: backward did not return this.gradInput`);
  assert.deepEqual(
    gi.shape,
    input.shape,
    `${ctx}: gradInput has shape [${gi.shape}], input [${input.shape}]`,
  );
  assert.ok(input.equals(inputCopy), `${ctx}: backward modified its input`);
  assert.ok(gradOutput.equals(gradCopy), `${ctx}: backward modified gradOutput`);

  const once = grads.map((g) => g.clone());
  const firstGradInput = gi.clone();
  module.backward(input, gradOutput);
  assert.ok(module.gradInput.allClose(firstGradInput, { rtol: 1e-12, atol: 0 }), `${ctx}: gradInput changed`);
  grads.forEach((g, i) => {
    assert.ok(
      g.allClose(once[i].mul(2), { rtol: 1e-12, atol: 1e-300 }),
      `${ctx}: gradient ${i} after two backward calls is not twice the first: overwritten, not accumulated?`,
    );
  });
  module.zeroGradParameters();
  for (const g of grads) assert.equal(g.abs().max(), 0, `${ctx}: zeroGradParameters() did not clear`);

  const again = module.getParameters().flat();
  const againGrads = module.getGradParameters().flat();
  assert.ok(again.every((p, i) => p === params[i]), `${ctx}: getParameters() returned new objects`);
  assert.ok(againGrads.every((g, i) => g === grads[i]), `${ctx}: getGradParameters() returned new objects`);
}
