import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { Conv2d } from "./conv2d.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("Conv2d matches torch Conv2d(in, out, k, padding=k//2) forward and backward", async (t) => {
  for (const c of ref.conv2d) {
    const [n, cin, h, w] = [c.input.length, c.input[0].length, c.input[0][0].length, c.input[0][0][0].length];
    const cout = c.W.length;
    await t.step(`[${n}, ${cin}, ${h}, ${w}] -> ${cout} channels, k = ${c.kernelSize}`, () => {
      const conv = new Conv2d(cin, cout, c.kernelSize);
      conv.W.copyInPlace(Tensor.from(c.W));
      conv.b.copyInPlace(Tensor.from(c.b));
      const x = Tensor.from(c.input);
      assertTensorClose(conv.forward(x), c.output, "output");
      assertTensorClose(conv.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput");
      assertTensorClose(conv.gradW, c.gradW, "gradW");
      assertTensorClose(conv.gradb, c.gradb, "gradb");
    });
  }
});

Deno.test("Conv2d gradients match central differences", async (t) => {
  for (const [s, n, cin, cout, k, h, w] of [[141, 2, 2, 3, 3, 4, 5], [142, 1, 1, 2, 5, 3, 3]]) {
    await t.step(`seed ${s}, [${n}, ${cin}, ${h}, ${w}] -> ${cout}, k = ${k}`, () => {
      seed(s);
      const conv = new Conv2d(cin, cout, k);
      assertModuleGradients(conv, Tensor.normal([n, cin, h, w]), { seed: s, names: ["gradW", "gradb"] });
    });
  }
});

Deno.test("Conv2d is a cross-correlation with zero 'same' padding", () => {
  // By hand: a kernel with a single 1 at (0, 2) reads input[y − 1, x + 1] (p = 1), 0 outside.
  const conv = new Conv2d(1, 1, 3);
  conv.W.copyInPlace(Tensor.from([[[[0, 0, 1], [0, 0, 0], [0, 0, 0]]]]));
  conv.b.fillInPlace(0.5);
  const y = conv.forward(Tensor.from([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]));
  assertTensorClose(y, [[[[0.5, 0.5, 0.5], [2.5, 3.5, 0.5], [5.5, 6.5, 0.5]]]], "output");
});

Deno.test("Conv2d keeps the module contract", async (t) => {
  await t.step("contract", () => {
    seed(143);
    assertModuleContract(new Conv2d(2, 3, 3), Tensor.normal([2, 2, 4, 4]), { seed: 143 });
  });
  await t.step("batch size 1, 1×1 kernel", () => {
    seed(144);
    assertModuleContract(new Conv2d(3, 2, 1), Tensor.normal([1, 3, 2, 3]), { seed: 144 });
  });
  await t.step("initialises from U(-1/sqrt(inChannels), 1/sqrt(inChannels)), shapes of SPEC", () => {
    seed(145);
    const conv = new Conv2d(4, 16, 5);
    assert.deepEqual([conv.W.shape, conv.b.shape, conv.gradW.shape, conv.gradb.shape], [
      [16, 4, 5, 5],
      [16],
      [16, 4, 5, 5],
      [16],
    ]);
    assert.ok(conv.W.abs().max() < 0.5 && conv.W.abs().max() > 0.45, "W outside U(−1/2, 1/2) (seed 145)");
    assert.ok(conv.b.abs().max() < 0.5, "b outside U(−1/2, 1/2) (seed 145)");
    assert.equal(String(conv), "Conv2d 4 -> 16 k=5");
  });
});

Deno.test("Conv2d rejects bad input with a clear error", async (t) => {
  await t.step("even kernel size", () => {
    assert.throws(
      () => new Conv2d(1, 8, 4),
      new RangeError(`Conv2d: expected kernelSize to be odd ("same" padding k//2), received 4`),
    );
  });
  await t.step("wrong channels", () => {
    assert.throws(
      () => new Conv2d(3, 8, 3).forward(Tensor.zeros([2, 1, 5, 5])),
      new TypeError("Conv2d 3 -> 8 k=3: expected input of shape [N, 3, H, W], received [2, 1, 5, 5]"),
    );
  });
  await t.step("wrong rank", () => {
    assert.throws(
      () => new Conv2d(1, 8, 3).forward(Tensor.zeros([2, 784])),
      new TypeError("Conv2d 1 -> 8 k=3: expected input of shape [N, 1, H, W], received [2, 784]"),
    );
  });
  await t.step("non-positive channels", () => {
    assert.throws(
      () => new Conv2d(0, 8, 3),
      new RangeError("Conv2d: expected inChannels to be a positive integer, received 0"),
    );
  });
});

Deno.test("Conv2d reused across input shapes gives what a fresh module gives (its im2col buffer is kept)", () => {
  seed(41);
  const reused = new Conv2d(2, 3, 3);
  // A module with the same weights, built anew for every input.
  const fresh = () => {
    const m = new Conv2d(2, 3, 3);
    m.W.copyInPlace(reused.W);
    m.b.copyInPlace(reused.b);
    return m;
  };
  // Same shape twice (the buffer is reused), then a transposed image of the same size, other batch sizes.
  for (const shape of [[2, 2, 5, 4], [2, 2, 5, 4], [2, 2, 4, 5], [1, 2, 5, 4], [3, 2, 4, 5], [2, 2, 5, 4]]) {
    const x = Tensor.normal(shape);
    const g = Tensor.normal([shape[0], 3, shape[2], shape[3]]);
    const other = fresh();
    reused.zeroGradParameters();
    assert.ok(reused.forward(x).equals(other.forward(x)), `forward on ${shape} (seed 41)`);
    assert.ok(reused.backward(x, g).equals(other.backward(x, g)), `gradInput on ${shape} (seed 41)`);
    assert.ok(reused.gradW.equals(other.gradW), `gradW on ${shape} (seed 41)`);
    assert.ok(reused.gradb.equals(other.gradb), `gradb on ${shape} (seed 41)`);
  }
});
