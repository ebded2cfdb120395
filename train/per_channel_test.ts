import assert from "node:assert/strict";
import { seed } from "../lib/random.ts";
import { Tensor } from "../lib/tensor.ts";
import { BatchNormalization, ChannelwiseScaling } from "../solutions/mod.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { PerChannel } from "./per_channel.ts";

Deno.test("PerChannel(BatchNormalization) normalises each channel over batch and pixels", () => {
  seed(5);
  // Channel c has mean ≈ 3c and spread ≈ c + 1, so per-channel statistics differ a lot.
  const x = Tensor.normal([4, 3, 5, 5]).mul(Tensor.from([1, 2, 3]).reshape([1, 3, 1, 1]))
    .add(Tensor.from([0, 3, 6]).reshape([1, 3, 1, 1]));
  const out = new PerChannel(new BatchNormalization(0)).forward(x);
  assert.deepEqual(out.shape, [4, 3, 5, 5]);
  for (let c = 0; c < 3; c++) {
    const channel = out.slice(null, [c, c + 1]);
    assert.ok(Math.abs(channel.mean()) < 1e-12, `channel ${c} mean ${channel.mean()} (seed 5)`);
    // Biased variance with EPS = 1e-3 in the denominator: slightly below 1.
    const v = channel.variance();
    assert.ok(v > 0.99 && v < 1, `channel ${c} variance ${v} (seed 5)`);
  }
});

Deno.test("PerChannel passes gradients through the inner module (central differences)", async (t) => {
  await t.step("ChannelwiseScaling: gradInput, gamma and beta", () => {
    seed(2);
    const m = new PerChannel(new ChannelwiseScaling(3));
    assertModuleGradients(m, Tensor.normal([2, 3, 4, 4]), { seed: 2, names: ["gamma", "beta"] });
  });
  await t.step("BatchNormalization in training mode", () => {
    seed(3);
    assertModuleGradients(new PerChannel(new BatchNormalization(0.9)), Tensor.normal([2, 3, 3, 3]), {
      seed: 3,
      tolerance: 1e-5,
    });
  });
});

Deno.test("PerChannel shares the inner module's parameters and mode", () => {
  const inner = new ChannelwiseScaling(2);
  const m = new PerChannel(inner);
  assert.equal(m.getParameters()[0], inner.gamma);
  m.evaluate();
  assert.equal(inner.training, false);
  m.train();
  assert.equal(inner.training, true);
  assert.equal(String(m), `PerChannel(${inner})`);
  assert.throws(() => m.forward(Tensor.zeros([2, 2])), {
    name: "TypeError",
    message: "PerChannel: expected input of shape [N, C, H, W], received [2, 2]",
  });
});
