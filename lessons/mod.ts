/**
 * The reference solutions of every lesson, under the names SPEC.md gives
 * them. `lessons/mod.ts` exports the same names from the student's copies.
 *
 * @example
 * ```ts ignore
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
export { BatchNormalization } from "./batch_normalization.ts";
export { ChannelwiseScaling } from "./channelwise_scaling.ts";
export { Dropout } from "./dropout.ts";
export { LeakyReLU } from "./leaky_relu.ts";
export { ELU } from "./elu.ts";
export { SoftPlus } from "./softplus.ts";
export { MSECriterion } from "./mse_criterion.ts";
export { ClassNLLCriterionUnstable } from "./class_nll_criterion_unstable.ts";
export { ClassNLLCriterion } from "./class_nll_criterion.ts";
export { sgdMomentum, type SgdMomentumConfig, type SgdMomentumState } from "./sgd_momentum.ts";
export { adamOptimizer, type AdamOptimizerConfig, type AdamOptimizerState } from "./adam_optimizer.ts";
export { Conv2d } from "./conv2d.ts";
export { MaxPool2d } from "./max_pool2d.ts";
export { Flatten } from "./flatten.ts";
