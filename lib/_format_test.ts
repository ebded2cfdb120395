import assert from "node:assert/strict";
import { formatTensor } from "./_format.ts";

/** Renders row-major values of `shape` filled with 0, 1, 2, …. */
function counting(shape: number[]): string {
  const size = shape.reduce((p, d) => p * d, 1);
  return formatTensor(Float64Array.from({ length: size }, (_, i) => i), shape);
}

Deno.test("formatTensor() writes numbers compactly", async (t) => {
  const one = (v: number) => formatTensor(new Float64Array([v]), []);
  await t.step("integers without decimals", () => {
    assert.equal(one(0), "tensor(0)");
    assert.equal(one(-0), "tensor(0)");
    assert.equal(one(42), "tensor(42)");
    assert.equal(one(-7), "tensor(-7)");
    assert.equal(one(123456789), "tensor(123456789)");
  });
  await t.step("other numbers with up to six significant digits", () => {
    assert.equal(one(0.5), "tensor(0.5)");
    assert.equal(one(1 / 3), "tensor(0.333333)");
    assert.equal(one(-2 / 3), "tensor(-0.666667)");
    assert.equal(one(3.14159265), "tensor(3.14159)");
    assert.equal(one(0.0001234567), "tensor(0.000123457)");
  });
  await t.step("very small or large numbers in exponent form", () => {
    assert.equal(one(1.5e-5), "tensor(1.5000e-5)");
    assert.equal(one(-2.5e-9), "tensor(-2.5000e-9)");
    assert.equal(one(1234567.5), "tensor(1.2346e+6)");
    assert.equal(one(1e20), "tensor(1.0000e+20)");
  });
  await t.step("NaN and infinities as numpy writes them", () => {
    assert.equal(one(NaN), "tensor(nan)");
    assert.equal(one(Infinity), "tensor(inf)");
    assert.equal(one(-Infinity), "tensor(-inf)");
  });
});

Deno.test("formatTensor() aligns columns and nests like numpy", async (t) => {
  await t.step("1-D and 2-D", () => {
    assert.equal(formatTensor(new Float64Array([1, -20, 300]), [3]), "tensor([  1, -20, 300])");
    assert.equal(counting([2, 3]), "tensor([[0, 1, 2],\n        [3, 4, 5]])");
    assert.equal(formatTensor(new Float64Array([0.25, 10]), [2, 1]), "tensor([[0.25],\n        [  10]])");
  });
  await t.step("3-D: one blank line between blocks; 4-D: two", () => {
    assert.equal(
      counting([2, 1, 2]),
      "tensor([[[0, 1]],\n\n        [[2, 3]]])",
    );
    assert.equal(
      counting([2, 1, 1, 2]),
      "tensor([[[[0, 1]]],\n\n\n        [[[2, 3]]]])",
    );
  });
  await t.step("empty tensors", () => {
    assert.equal(formatTensor(new Float64Array(0), [0]), "tensor([])");
    assert.equal(formatTensor(new Float64Array(0), [2, 0]), "tensor([[],\n        []])");
  });
});

Deno.test("formatTensor() summarises tensors of more than 1000 elements", async (t) => {
  await t.step("1000 elements are shown in full, 1001 are not", () => {
    const full = counting([1000]);
    assert.ok(!full.includes("..."));
    assert.equal(full.split(",").length, 1000);
    assert.equal(counting([1001]), "tensor([   0,    1,    2, ...,  998,  999, 1000], shape=[1001])");
  });
  await t.step("short axes stay whole in a summary", () => {
    const s = counting([6, 200]);
    assert.equal(s.split("\n").length, 6, s);
    assert.ok(s.endsWith("[1000, 1001, 1002, ..., 1197, 1198, 1199]], shape=[6, 200])"), s);
  });
  await t.step("3-D summaries put ... on its own line between blank lines", () => {
    const lines = counting([30, 10, 10]).split("\n");
    assert.equal(lines[0], "tensor([[[   0,    1,    2, ...,    7,    8,    9],");
    assert.equal(lines[1], "         [  10,   11,   12, ...,   17,   18,   19],");
    assert.equal(lines[3], "         ...,");
    assert.equal(lines[6], "         [  90,   91,   92, ...,   97,   98,   99]],");
    assert.equal(lines[7], "");
    assert.equal(lines[8], "        [[ 100,  101,  102, ...,  107,  108,  109],");
    const dots = lines.indexOf("        ...,");
    assert.ok(dots > 0 && lines[dots - 1] === "" && lines[dots + 1] === "", lines.join("\n"));
    assert.equal(lines.at(-1), "         [2990, 2991, 2992, ..., 2997, 2998, 2999]]], shape=[30, 10, 10])");
  });
});
