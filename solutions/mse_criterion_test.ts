import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { MSECriterion } from "./mse_criterion.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertCriterionGradient } from "../testing/gradcheck.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

// Departure from torch: MSELoss(reduction="mean") divides by N·D, SPEC by the batch size N only,
// so torch's loss and gradient are multiplied by D here.
Deno.test("MSECriterion matches torch mse_loss rescaled from N·D to N", () => {
  const c = ref.mse;
  const x = Tensor.from(c.input);
  const target = Tensor.from(c.target);
  const d = x.shape[1];
  const mse = new MSECriterion();
  const loss = mse.forward(x, target);
  assert.ok(
    Math.abs(loss - c.torchMeanLoss * d) <= 1e-12 * loss,
    `loss ${loss}, torch·D ${c.torchMeanLoss * d}`,
  );
  assertTensorClose(mse.backward(x, target), Tensor.from(c.torchMeanGrad).mul(d), "gradInput");
});

Deno.test("MSECriterion divides by the batch size only, for any shape", async (t) => {
  await t.step("by hand, [2, 2, 2]", () => {
    const x = Tensor.from([[[1, 2], [3, 4]], [[0, 0], [0, 1]]]);
    const target = Tensor.zerosLike(x);
    assert.equal(new MSECriterion().forward(x, target), (1 + 4 + 9 + 16 + 1) / 2);
    assertTensorClose(new MSECriterion().backward(x, target), x, "gradInput");
  });
  await t.step("batch size 1", () => {
    assert.equal(new MSECriterion().forward(Tensor.from([[3, 4]]), Tensor.from([[0, 0]])), 25);
  });
  await t.step("gradient matches central differences", () => {
    seed(111);
    assertCriterionGradient(new MSECriterion(), Tensor.normal([4, 3]), Tensor.normal([4, 3]), { seed: 111 });
  });
  await t.step("inputs are not modified", () => {
    const x = Tensor.from([[1, 2]]);
    const target = Tensor.from([[0, 5]]);
    const mse = new MSECriterion();
    mse.forward(x, target);
    mse.backward(x, target);
    assert.deepEqual([x.toArray(), target.toArray()], [[[1, 2]], [[0, 5]]]);
  });
});

Deno.test("MSECriterion rejects a target of another shape", () => {
  assert.throws(
    () => new MSECriterion().forward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])),
    new TypeError("MSECriterion: expected target of shape [2, 3], received [3, 2]"),
  );
});
