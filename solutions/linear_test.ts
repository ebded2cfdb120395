import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { Linear } from "./linear.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("Linear matches torch.nn.Linear forward and backward", async (t) => {
  for (const c of ref.linear) {
    await t.step(`input [${c.input.length}, ${c.W[0].length}] -> ${c.W.length}`, () => {
      const layer = new Linear(c.W[0].length, c.W.length);
      layer.W.copyInPlace(Tensor.from(c.W));
      layer.b.copyInPlace(Tensor.from(c.b));
      const x = Tensor.from(c.input);
      assertTensorClose(layer.forward(x), c.output, "output");
      assertTensorClose(layer.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput");
      assertTensorClose(layer.gradW, c.gradW, "gradW");
      assertTensorClose(layer.gradb, c.gradb, "gradb");
    });
  }
});

Deno.test("Linear gradients match central differences", async (t) => {
  for (const [s, n, nIn, nOut] of [[1, 4, 5, 3], [2, 1, 3, 2]]) {
    await t.step(`seed ${s}, [${n}, ${nIn}] -> ${nOut}`, () => {
      seed(s);
      const layer = new Linear(nIn, nOut);
      assertModuleGradients(layer, Tensor.normal([n, nIn]), { seed: s, names: ["gradW", "gradb"] });
    });
  }
});

Deno.test("Linear keeps the module contract", async (t) => {
  await t.step("accumulates, zeroes, does not mutate, keeps its parameter objects", () => {
    seed(3);
    assertModuleContract(new Linear(4, 3), Tensor.normal([5, 4]), { seed: 3 });
  });
  await t.step("batch size 1", () => {
    seed(4);
    assertModuleContract(new Linear(2, 6), Tensor.normal([1, 2]), { seed: 4 });
  });
  await t.step("initialises W and b from U(-1/sqrt(nIn), 1/sqrt(nIn)), seeded", () => {
    seed(5);
    const a = new Linear(16, 300);
    seed(5);
    const b = new Linear(16, 300);
    assert.ok(a.W.equals(b.W) && a.b.equals(b.b), "same seed, different initialisation (seed 5)");
    for (const p of [a.W, a.b]) {
      assert.ok(p.abs().max() < 0.25, `a parameter outside [-1/4, 1/4) (seed 5)`);
      assert.ok(p.abs().max() > 0.2, `parameters suspiciously small for U(-1/4, 1/4) (seed 5)`);
    }
    assert.deepEqual([a.W.shape, a.b.shape, a.gradW.shape, a.gradb.shape], [[300, 16], [300], [300, 16], [
      300,
    ]]);
    assert.equal(a.gradW.abs().max() + a.gradb.abs().max(), 0);
  });
  await t.step("reads as Linear nIn -> nOut", () => {
    assert.equal(String(new Linear(784, 100)), "Linear 784 -> 100");
  });
});

Deno.test("Linear rejects bad input with a clear error", async (t) => {
  const layer = new Linear(3, 4);
  await t.step("wrong input width", () => {
    assert.throws(
      () => layer.forward(Tensor.zeros([2, 5])),
      new TypeError("Linear 3 -> 4: expected input of shape [N, 3], received [2, 5]"),
    );
  });
  await t.step("wrong input rank", () => {
    assert.throws(
      () => layer.forward(Tensor.zeros([3])),
      new TypeError("Linear 3 -> 4: expected input of shape [N, 3], received [3]"),
    );
  });
  await t.step("wrong gradOutput shape", () => {
    assert.throws(
      () => layer.backward(Tensor.zeros([2, 3]), Tensor.zeros([2, 3])),
      new TypeError("Linear 3 -> 4: expected gradOutput of shape [2, 4], received [2, 3]"),
    );
  });
  await t.step("non-positive or non-integer sizes", () => {
    assert.throws(
      () => new Linear(0, 4),
      new RangeError("Linear: expected nIn to be a positive integer, received 0"),
    );
    assert.throws(
      () => new Linear(3, 2.5),
      new RangeError("Linear: expected nOut to be a positive integer, received 2.5"),
    );
  });
});
