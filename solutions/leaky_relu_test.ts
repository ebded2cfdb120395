import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { LeakyReLU } from "./leaky_relu.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("LeakyReLU matches torch leaky_relu forward and backward", async (t) => {
  for (const c of ref.leaky_relu) {
    await t.step(`slope ${c.slope}`, () => {
      const m = new LeakyReLU(c.slope);
      const x = Tensor.from(c.input);
      assertTensorClose(m.forward(x), c.output, "output");
      assertTensorClose(m.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput");
    });
  }
});

Deno.test("LeakyReLU gradient matches central differences away from 0", () => {
  seed(81);
  const x = Tensor.normal([3, 4]);
  x.addInPlace(x.sign().mul(0.1));
  assertModuleGradients(new LeakyReLU(0.1), x, { seed: 81 });
});

Deno.test("LeakyReLU defaults to slope 0.03, has gradient slope at 0, accepts any shape", async (t) => {
  await t.step("default slope and the kink", () => {
    const m = new LeakyReLU();
    assert.equal(m.slope, 0.03);
    const x = Tensor.from([-100, 0, 2]);
    assertTensorClose(m.forward(x), [-3, 0, 2], "output");
    assertTensorClose(m.backward(x, Tensor.from([1, 1, 1])), [0.03, 0.03, 1], "gradInput");
  });
  await t.step("contract, rank 4", () => {
    seed(82);
    assertModuleContract(new LeakyReLU(), Tensor.normal([2, 2, 3, 3]), { seed: 82 });
  });
  await t.step("contract, batch size 1", () => {
    seed(83);
    assertModuleContract(new LeakyReLU(0.2), Tensor.normal([1, 4]), { seed: 83 });
  });
  await t.step(
    "reads as LeakyReLU slope=…",
    () => assert.equal(String(new LeakyReLU()), "LeakyReLU slope=0.03"),
  );
});

Deno.test("LeakyReLU rejects bad input with a clear error", () => {
  assert.throws(
    () => new LeakyReLU(Infinity),
    new RangeError("LeakyReLU: expected slope to be a finite number, received Infinity"),
  );
  assert.throws(
    () => new LeakyReLU().backward(Tensor.zeros([2]), Tensor.zeros([3])),
    new TypeError("LeakyReLU slope=0.03: expected gradOutput of shape [2], received [3]"),
  );
});
