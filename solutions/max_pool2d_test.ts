import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { MaxPool2d } from "./max_pool2d.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("MaxPool2d matches torch MaxPool2d(k) forward and gradient routing", async (t) => {
  for (const [i, c] of ref.max_pool2d.entries()) {
    await t.step(`case ${i + 1}, k = ${c.kernelSize}${i === 2 ? ", many ties" : ""}`, () => {
      const pool = new MaxPool2d(c.kernelSize);
      const x = Tensor.from(c.input);
      assertTensorClose(pool.forward(x), c.output, "output", { rtol: 0, atol: 0 });
      assertTensorClose(pool.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput", {
        rtol: 0,
        atol: 0,
      });
    });
  }
});

Deno.test("MaxPool2d gradient matches central differences without ties", () => {
  seed(151);
  assertModuleGradients(new MaxPool2d(2), Tensor.normal([2, 2, 4, 6]), { seed: 151 });
});

Deno.test("MaxPool2d sends the gradient to the first maximum in row-major order", () => {
  const pool = new MaxPool2d(2);
  const x = Tensor.from([[[[1, 3, 7, 7], [3, 3, 7, 7], [-1, -1, -5, -5], [-1, -1, -5, -5]]]]);
  assert.deepEqual(pool.forward(x).toArray(), [[[[3, 7], [-1, -5]]]]);
  const g = pool.backward(x, Tensor.from([[[[1, 2], [3, 4]]]]));
  assert.deepEqual(g.toArray(), [[[[0, 1, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]]]);
});

Deno.test("MaxPool2d keeps the module contract", async (t) => {
  await t.step("contract", () => {
    seed(152);
    assertModuleContract(new MaxPool2d(3), Tensor.normal([2, 3, 6, 3]), { seed: 152 });
  });
  await t.step("batch size 1, k = 1 is the identity", () => {
    seed(153);
    const x = Tensor.normal([1, 2, 3, 3]);
    assertModuleContract(new MaxPool2d(1), x, { seed: 153 });
    assert.ok(new MaxPool2d(1).forward(x).equals(x));
  });
  await t.step("reads as MaxPool2d k=…", () => assert.equal(String(new MaxPool2d(2)), "MaxPool2d k=2"));
});

Deno.test("MaxPool2d rejects bad input with a clear error", async (t) => {
  await t.step("height or width not divisible by k", () => {
    assert.throws(
      () => new MaxPool2d(2).forward(Tensor.zeros([1, 1, 5, 4])),
      new TypeError("MaxPool2d k=2: expected input height and width divisible by 2, received [1, 1, 5, 4]"),
    );
    assert.throws(
      () => new MaxPool2d(3).forward(Tensor.zeros([1, 1, 6, 4])),
      new TypeError("MaxPool2d k=3: expected input height and width divisible by 3, received [1, 1, 6, 4]"),
    );
  });
  await t.step("wrong rank", () => {
    assert.throws(
      () => new MaxPool2d(2).forward(Tensor.zeros([4, 4])),
      new TypeError("MaxPool2d k=2: expected input of shape [N, C, H, W], received [4, 4]"),
    );
  });
  await t.step("non-positive kernel size", () => {
    assert.throws(
      () => new MaxPool2d(0),
      new RangeError("MaxPool2d: expected kernelSize to be a positive integer, received 0"),
    );
  });
});
