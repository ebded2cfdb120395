import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { ClassNLLCriterionUnstable } from "./class_nll_criterion_unstable.ts";
import { SoftMax } from "./softmax.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertCriterionGradient } from "../testing/gradcheck.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

const EPS = 1e-15;

Deno.test("ClassNLLCriterionUnstable agrees with torch nll_loss on the log of in-range probabilities", () => {
  // Torch has no probability-input NLL; for probabilities inside [EPS, 1 − EPS] the loss is
  // torch's NLL of log(p), and the gradient is torch's gradient divided by p.
  const c = ref.class_nll;
  const p = Tensor.from(c.input).exp();
  const target = Tensor.from(c.target);
  const nll = new ClassNLLCriterionUnstable();
  const loss = nll.forward(p, target);
  assert.ok(Math.abs(loss - c.loss) <= 1e-13 * Math.abs(c.loss), `loss ${loss}, torch ${c.loss}`);
  assertTensorClose(nll.backward(p, target), Tensor.from(c.gradInput).div(p), "gradInput");
});

// Hand-computed: the clipping has no torch equivalent.
Deno.test("ClassNLLCriterionUnstable clips to [EPS, 1 - EPS] in the loss and the gradient", async (t) => {
  assert.equal(ClassNLLCriterionUnstable.EPS, EPS);
  const target = Tensor.from([[1, 0], [0, 1], [1, 0]]);
  const p = Tensor.from([[0, 1], [0.5, 1], [1e-300, 0.25]]);
  const nll = new ClassNLLCriterionUnstable();
  await t.step("loss", () => {
    const expected = -(Math.log(EPS) + Math.log(1 - EPS) + Math.log(EPS)) / 3;
    const loss = nll.forward(p, target);
    assert.ok(
      Number.isFinite(loss) && Math.abs(loss - expected) < 1e-14 * expected,
      `loss ${loss}, ${expected}`,
    );
  });
  await t.step("gradient uses the clipped value (not 0) outside the range", () => {
    assertTensorClose(nll.backward(p, target), [[-1 / EPS / 3, 0], [0, -1 / (1 - EPS) / 3], [
      -1 / EPS / 3,
      0,
    ]], "gradInput");
  });
  await t.step("central differences inside the range", () => {
    seed(131);
    const probs = new SoftMax().forward(Tensor.normal([4, 3]));
    assertCriterionGradient(nll, probs, Tensor.eye(3).take([0, 2, 1, 1]), { seed: 131 });
  });
  await t.step("inputs are not modified", () => {
    assert.deepEqual(p.toArray(), [[0, 1], [0.5, 1], [1e-300, 0.25]]);
  });
});

Deno.test("ClassNLLCriterionUnstable rejects bad shapes with a clear error", () => {
  assert.throws(
    () => new ClassNLLCriterionUnstable().backward(Tensor.zeros([2, 3]), Tensor.zeros([3, 3])),
    new TypeError("ClassNLLCriterionUnstable: expected target of shape [2, 3], received [3, 3]"),
  );
});
