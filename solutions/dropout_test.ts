import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { random, seed } from "../lib/random.ts";
import { Dropout } from "./dropout.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { numericGradient, probeLoss, relativeError } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";

// PyTorch's dropout draws from its own generator: these are statistical and exact checks instead.
Deno.test("Dropout keeps each element with probability 1 - p and scales it by 1/(1 - p)", async (t) => {
  for (const p of [0.2, 0.5, 0.9]) {
    await t.step(`p = ${p}`, () => {
      const s = 71;
      seed(s);
      const n = 100_000;
      const y = new Dropout(p).forward(Tensor.ones([10, n / 10]));
      const kept = y.data.filter((v) => v !== 0);
      assert.ok(kept.every((v) => v === 1 / (1 - p)), `a kept value other than 1/(1 − p) (seed ${s})`);
      const rate = kept.length / n;
      const sigma = Math.sqrt(p * (1 - p) / n);
      assert.ok(
        Math.abs(rate - (1 - p)) < 5 * sigma,
        `keep rate ${rate}, expected ${1 - p} ± ${5 * sigma} (seed ${s})`,
      );
    });
  }
});

Deno.test("Dropout backward uses the mask of the forward it follows", async (t) => {
  await t.step("same zeros, same scale, and the same again on a second backward", () => {
    seed(72);
    const drop = new Dropout(0.4);
    const x = Tensor.normal([20, 30]);
    const y = drop.forward(x);
    const g = Tensor.normal([20, 30]);
    const gi = drop.backward(x, g).clone();
    const expected = Tensor.where(y.ne(0), g.div(0.6), 0);
    assertTensorClose(gi, expected, "gradInput");
    assertTensorClose(drop.backward(x, g), gi, "gradInput of a second backward");
  });
  await t.step("gradient matches central differences for a fixed mask", () => {
    const s = 73;
    seed(s);
    const drop = new Dropout(0.3);
    const x = Tensor.normal([4, 5]);
    const r = Tensor.normal([4, 5]);
    const forwardWithMask = (input: Tensor) => {
      seed(s + 1); // the same mask on every call
      return drop.forward(input);
    };
    forwardWithMask(x);
    const analytic = drop.backward(x, r);
    const numeric = numericGradient((v) => probeLoss(forwardWithMask(v), r), x.clone());
    assert.ok(
      relativeError(analytic, numeric) < 1e-6,
      `gradInput: rel. error ${relativeError(analytic, numeric)}`,
    );
  });
  await t.step("the mask comes from lib/random.ts: the same seed gives the same mask", () => {
    const x = Tensor.ones([50]);
    seed(74);
    const a = new Dropout(0.5).forward(x);
    seed(74);
    assert.ok(new Dropout(0.5).forward(x).equals(a));
  });
});

Deno.test("Dropout is the identity in evaluation and at p = 0, and draws nothing", async (t) => {
  for (
    const [name, make] of [
      ["evaluation, p = 0.5", () => {
        const d = new Dropout(0.5);
        d.evaluate();
        return d;
      }],
      ["training, p = 0", () => new Dropout(0)],
    ] as const
  ) {
    await t.step(name, () => {
      const drop = make();
      seed(75);
      const x = Tensor.normal([3, 4]);
      const g = Tensor.normal([3, 4]);
      const next = random();
      seed(75);
      Tensor.normal([3, 4]);
      Tensor.normal([3, 4]);
      assert.ok(drop.forward(x).equals(x) && drop.forward(x) !== x);
      assert.ok(drop.backward(x, g).equals(g));
      assert.equal(random(), next, "the identity drew random numbers");
    });
  }
});

Deno.test("Dropout keeps the module contract", async (t) => {
  await t.step("training, rank 4 (after a Conv2d)", () => {
    seed(76);
    assertModuleContract(new Dropout(0.5), Tensor.normal([2, 3, 4, 4]), { seed: 76 });
  });
  await t.step("evaluation, batch size 1", () => {
    seed(77);
    const d = new Dropout(0.5);
    d.evaluate();
    assertModuleContract(d, Tensor.normal([1, 3]), { seed: 77 });
  });
  await t.step("reads as Dropout p=…", () => assert.equal(String(new Dropout()), "Dropout p=0.5"));
});

Deno.test("Dropout rejects p outside [0, 1) with a clear error", () => {
  for (const p of [1, -0.1, 1.5, NaN]) {
    assert.throws(() => new Dropout(p), new RangeError(`Dropout: expected p in [0, 1), received ${p}`));
  }
  assert.throws(
    () => new Dropout("0.5" as unknown as number),
    new TypeError(`Dropout: expected p in [0, 1), received "0.5"`),
  );
});
