import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { BatchNormalization } from "./batch_normalization.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

const tol = { rtol: 1e-9, atol: 1e-12 };

Deno.test("BatchNormalization matches torch BatchNorm1d(affine=False, eps=1e-3, momentum=1-alpha)", async (t) => {
  const r = ref.batch_normalization;
  assert.equal(BatchNormalization.EPS, r.eps);
  const bn = new BatchNormalization(r.alpha);
  for (const [i, c] of r.train.entries()) {
    await t.step(`training batch ${i + 1}`, () => {
      const x = Tensor.from(c.input);
      assertTensorClose(bn.forward(x), c.output, "output", tol);
      assertTensorClose(bn.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput", tol);
      assertTensorClose(bn.movingMean!, c.movingMean, "movingMean", tol);
      // Departure from torch: its running_var is the UNBIASED variance (÷(N−1)); SPEC's moving
      // variance is biased (÷N), so it is compared with the biased value computed in the script.
      assertTensorClose(bn.movingVariance!, c.movingVarianceBiased, "movingVariance", tol);
      assert.ok(!bn.movingVariance!.allClose(Tensor.from(c.torchRunningVarUnbiased)), "biased = unbiased?");
    });
  }
  await t.step("evaluation with the moving statistics", () => {
    // The script put the biased moving variance into torch's running_var before eval().
    const c = r.eval;
    bn.evaluate();
    const x = Tensor.from(c.input);
    assertTensorClose(bn.forward(x), c.output, "output", tol);
    assertTensorClose(bn.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput", tol);
  });
});

Deno.test("BatchNormalization gradients match central differences", async (t) => {
  await t.step("training", () => {
    seed(51);
    const x = Tensor.normal([5, 3]).mul(Tensor.from([1, 3, 0.5])).add(Tensor.from([0, -2, 4]));
    assertModuleGradients(new BatchNormalization(0.5), x, { seed: 51 });
  });
  await t.step("evaluation", () => {
    seed(52);
    const bn = new BatchNormalization(0.5);
    bn.forward(Tensor.normal([6, 3]).mul(2));
    bn.evaluate();
    assertModuleGradients(bn, Tensor.normal([4, 3]), { seed: 52 });
  });
});

Deno.test("BatchNormalization statistics follow SPEC", async (t) => {
  await t.step("moving statistics start undefined, then at 0 and 1 blended with the batch", () => {
    const bn = new BatchNormalization(0.75);
    assert.equal(bn.movingMean, undefined);
    const x = Tensor.from([[1, 2], [3, 2], [5, 2]]);
    bn.forward(x);
    // mean (3, 2), biased variance (8/3, 0); moving = 0.75·(0 | 1) + 0.25·batch.
    assertTensorClose(bn.movingMean!, [0.75, 0.5], "movingMean");
    assertTensorClose(bn.movingVariance!, [0.75 + 0.25 * 8 / 3, 0.75], "movingVariance");
  });
  await t.step("alpha weights the OLD value: alpha = 1 never moves, alpha = 0 keeps the last batch", () => {
    const x = Tensor.from([[1, 2], [3, 6]]);
    const frozen = new BatchNormalization(1);
    frozen.forward(x);
    assert.deepEqual([frozen.movingMean!.toArray(), frozen.movingVariance!.toArray()], [[0, 0], [1, 1]]);
    const last = new BatchNormalization();
    last.forward(x);
    assert.deepEqual([last.movingMean!.toArray(), last.movingVariance!.toArray()], [[2, 4], [1, 4]]);
  });
  await t.step("training output has zero mean and (almost) unit biased variance per feature", () => {
    seed(53);
    const y = new BatchNormalization().forward(Tensor.normal([50, 4]).mul(7).add(3));
    assertTensorClose(y.mean(0), [0, 0, 0, 0], "mean", { atol: 1e-14 });
    const v = y.variance(0); // σ²/(σ² + EPS)
    assert.ok(v.data.every((s) => s < 1 && s > 0.9999), `variance ${v} (seed 53)`);
  });
  await t.step("evaluation before any training uses mean 0 and variance 1", () => {
    const bn = new BatchNormalization(0.9);
    bn.evaluate();
    const y = bn.forward(Tensor.from([[2, -4]]));
    assertTensorClose(y, [[2 / Math.sqrt(1.001), -4 / Math.sqrt(1.001)]], "output");
  });
  await t.step("evaluation does not update the moving statistics", () => {
    const bn = new BatchNormalization(0.5);
    bn.forward(Tensor.from([[1, 2], [3, 6]]));
    const before = [bn.movingMean!.clone(), bn.movingVariance!.clone()];
    bn.evaluate();
    bn.forward(Tensor.from([[100, 200], [300, 600]]));
    assert.ok(bn.movingMean!.equals(before[0]) && bn.movingVariance!.equals(before[1]));
  });
  await t.step("batch size 1 in training gives zeros, finite gradients", () => {
    const bn = new BatchNormalization();
    const x = Tensor.from([[3, -1]]);
    assert.deepEqual(bn.forward(x).toArray(), [[0, 0]]);
    assert.ok(bn.backward(x, Tensor.from([[1, 2]])).data.every(Number.isFinite));
  });
});

Deno.test("BatchNormalization keeps the module contract", async (t) => {
  for (const mode of ["training", "evaluation"]) {
    await t.step(mode, () => {
      seed(54);
      const bn = new BatchNormalization(0.1);
      bn.forward(Tensor.normal([5, 3]));
      if (mode === "evaluation") bn.evaluate();
      assertModuleContract(bn, Tensor.normal([5, 3]), { seed: 54 });
    });
  }
  await t.step("reads as BatchNormalization alpha=…", () => {
    assert.equal(String(new BatchNormalization(0.9)), "BatchNormalization alpha=0.9");
  });
});

Deno.test("BatchNormalization rejects bad input with a clear error", async (t) => {
  await t.step("rank other than 2", () => {
    assert.throws(
      () => new BatchNormalization().forward(Tensor.zeros([2, 3, 4])),
      new TypeError("BatchNormalization alpha=0: expected input of shape [N, D], received [2, 3, 4]"),
    );
  });
  await t.step("D changing after the first forward", () => {
    const bn = new BatchNormalization();
    bn.forward(Tensor.ones([2, 4]));
    assert.throws(
      () => bn.forward(Tensor.ones([2, 5])),
      new TypeError("BatchNormalization alpha=0: expected input of shape [N, 4], received [2, 5]"),
    );
  });
  await t.step("alpha outside [0, 1]", () => {
    assert.throws(
      () => new BatchNormalization(1.5),
      new RangeError("BatchNormalization: expected alpha in [0, 1], received 1.5"),
    );
  });
});
