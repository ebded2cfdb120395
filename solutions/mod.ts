/**
 * The reference solutions of every lesson, under the names SPEC.md gives
 * them. `lessons/mod.ts` exports the same names from the student's copies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "../lib/tensor.ts";
 * import { Linear, ReLU, Sequential, SoftMax } from "./mod.ts";
 * const net = new Sequential().add(new Linear(4, 3)).add(new ReLU()).add(new Linear(3, 2)).add(new SoftMax());
 * const p = net.forward(Tensor.ones([5, 4]));
 * assert.ok(p.sum(1).allClose(Tensor.ones([5])));
 * ```
 *
 * @module
 */

export { Sequential } from "./sequential.ts";
export { Linear } from "./linear.ts";
export { SoftMax } from "./softmax.ts";
export { LogSoftMax } from "./log_softmax.ts";
export { ReLU } from "./relu.ts";
