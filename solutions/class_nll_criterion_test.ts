import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { ClassNLLCriterion } from "./class_nll_criterion.ts";
import { LogSoftMax } from "./log_softmax.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertCriterionGradient } from "../testing/gradcheck.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

function oneHot(labels: number[], classes: number): Tensor {
  return Tensor.eye(classes).take(labels);
}

Deno.test("ClassNLLCriterion matches torch nll_loss (mean over the batch) with one-hot targets", () => {
  const c = ref.class_nll;
  const x = Tensor.from(c.input);
  const target = Tensor.from(c.target);
  const nll = new ClassNLLCriterion();
  const loss = nll.forward(x, target);
  assert.ok(Math.abs(loss - c.loss) <= 1e-14 * Math.abs(c.loss), `loss ${loss}, torch ${c.loss}`);
  assertTensorClose(nll.backward(x, target), c.gradInput, "gradInput");
});

Deno.test("ClassNLLCriterion by hand, central differences, batch size 1", async (t) => {
  await t.step("by hand", () => {
    const x = Tensor.from([[-1, -2, -3], [-0.5, -4, -6]]);
    assert.equal(new ClassNLLCriterion().forward(x, oneHot([2, 0], 3)), (3 + 0.5) / 2);
  });
  await t.step("central differences", () => {
    seed(121);
    const x = new LogSoftMax().forward(Tensor.normal([4, 5]));
    assertCriterionGradient(new ClassNLLCriterion(), x, oneHot([0, 4, 2, 2], 5), { seed: 121 });
  });
  await t.step("batch size 1", () => {
    const g = new ClassNLLCriterion().backward(Tensor.from([[-1, -2]]), oneHot([1], 2));
    assertTensorClose(g, [[0, -1]], "gradInput");
  });
});

Deno.test("ClassNLLCriterion rejects bad shapes with a clear error", () => {
  assert.throws(
    () => new ClassNLLCriterion().forward(Tensor.zeros([2, 3]), Tensor.zeros([2, 4])),
    new TypeError("ClassNLLCriterion: expected target of shape [2, 3], received [2, 4]"),
  );
  assert.throws(
    () => new ClassNLLCriterion().forward(Tensor.zeros([6]), Tensor.zeros([6])),
    new TypeError("ClassNLLCriterion: expected input of shape [N, C], received [6]"),
  );
});
