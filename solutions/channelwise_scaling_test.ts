import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { ChannelwiseScaling } from "./channelwise_scaling.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";

// PyTorch has no layer of its own for this (it is BatchNorm1d's affine part): values by hand.
Deno.test("ChannelwiseScaling scales and shifts each feature", () => {
  const m = new ChannelwiseScaling(3);
  m.gamma.copyInPlace(Tensor.from([2, -1, 0.5]));
  m.beta.copyInPlace(Tensor.from([0, 1, -1]));
  const x = Tensor.from([[1, 2, 4], [-1, 0, 2]]);
  assertTensorClose(m.forward(x), [[2, -1, 1], [-2, 1, 0]], "output");
  const g = Tensor.from([[1, 2, 3], [4, 5, 6]]);
  assertTensorClose(m.backward(x, g), [[2, -2, 1.5], [8, -5, 3]], "gradInput");
  assertTensorClose(m.gradGamma, [1 - 4, 4 + 0, 12 + 12], "gradGamma");
  assertTensorClose(m.gradBeta, [5, 7, 9], "gradBeta");
});

Deno.test("ChannelwiseScaling gradients match central differences", () => {
  seed(61);
  assertModuleGradients(new ChannelwiseScaling(4), Tensor.normal([3, 4]), {
    seed: 61,
    names: ["gradGamma", "gradBeta"],
  });
});

Deno.test("ChannelwiseScaling keeps the module contract", async (t) => {
  await t.step("contract", () => {
    seed(62);
    assertModuleContract(new ChannelwiseScaling(4), Tensor.normal([5, 4]), { seed: 62 });
  });
  await t.step("batch size 1", () => {
    seed(63);
    assertModuleContract(new ChannelwiseScaling(2), Tensor.normal([1, 2]), { seed: 63 });
  });
  await t.step("initialises from U(-1/sqrt(nOut), 1/sqrt(nOut)) and reads as ChannelwiseScaling nOut", () => {
    seed(64);
    const m = new ChannelwiseScaling(400);
    const bound = 1 / 20;
    assert.ok(m.gamma.abs().max() < bound && m.beta.abs().max() < bound, "outside the bound (seed 64)");
    assert.ok(m.gamma.abs().max() > 0.9 * bound, "suspiciously small (seed 64)");
    assert.equal(String(m), "ChannelwiseScaling 400");
  });
});

Deno.test("ChannelwiseScaling rejects bad input with a clear error", () => {
  assert.throws(
    () => new ChannelwiseScaling(3).forward(Tensor.zeros([2, 4])),
    new TypeError("ChannelwiseScaling 3: expected input of shape [N, 3], received [2, 4]"),
  );
  assert.throws(
    () => new ChannelwiseScaling(-1),
    new RangeError("ChannelwiseScaling: expected nOut to be a positive integer, received -1"),
  );
});
