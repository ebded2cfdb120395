import assert from "node:assert/strict";
import { describeDifference, PATTERNS } from "./patterns.ts";
import type { Evidence, TensorValue } from "../spec.ts";

const t = (shape: number[], data: number[]): TensorValue => ({ shape, data: Float64Array.from(data) });
const expected = t([2, 3], [0.5, -1.25, 2, 0.75, -0.25, 1.5]);
const ev = (got: TensorValue, more: Partial<Evidence> = {}): Evidence => ({
  what: "gradInput",
  got,
  expected,
  ...more,
});
const times = (c: number) => t([2, 3], Array.from(expected.data, (x) => x * c));

Deno.test("describeDifference() names what a wrong result is, from the numbers", async (s) => {
  await s.step("a factor that is a size of the probe is named", () => {
    const f = describeDifference(
      ev(times(1 / 2), { constants: [{ value: 2, symbol: "N", meaning: "the batch size" }] }),
    );
    assert.deepEqual(f, { id: PATTERNS.factor, says: "a factor 2 too small (÷ N, the batch size)" });
  });
  await s.step("the sign", () => assert.equal(describeDifference(ev(times(-1)))?.id, PATTERNS.sign));
  await s.step("the transpose of a square result", () => {
    const square = t([2, 2], [1, 2, 3, 4]);
    const f = describeDifference({ what: "gradW", got: t([2, 2], [1, 3, 2, 4]), expected: square });
    assert.deepEqual(f, { id: PATTERNS.transposed, says: "gradW is transposed" });
  });
  await s.step("another tensor of the probe", () => {
    const gradOutput = t([2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const f = describeDifference(ev(gradOutput, { related: [{ name: "gradOutput", value: gradOutput }] }));
    assert.deepEqual(f, { id: PATTERNS.equals, says: "gradInput equals gradOutput" });
  });
  await s.step("NaN, with the input where it appears", () => {
    const got = t([2, 3], [0.5, -1.25, NaN, 0.75, -0.25, 1.5]);
    const f = describeDifference(ev(got, { aligned: t([2, 3], [0, 0, 1000, 0, 0, 0]) }));
    assert.equal(f?.id, PATTERNS.nonFinite);
    assert.match(f!.says, /^NaN at \[0, 2\] \(1 of 6 elements\), where the input is 1000: an overflow/);
  });
  await s.step("wrong only where the input is negative, for an elementwise layer", () => {
    const input = t([2, 3], [1, -1, 2, -2, 3, -3]);
    const got = t([2, 3], [0.5, -12.5, 2, 7.5, -0.25, 15]);
    const f = describeDifference(ev(got, { aligned: input, elementwise: true }));
    assert.equal(f?.id, PATTERNS.region);
    assert.match(f!.says, /only where the input is negative: there, a constant factor 10 too large/);
  });
  await s.step("the right values in another shape", () => {
    const f = describeDifference(ev(t([6], Array.from(expected.data))));
    assert.equal(f?.id, PATTERNS.reshaped);
  });
  await s.step("close, but not within tolerance", () => {
    const f = describeDifference(ev(times(1.0001)));
    assert.equal(f?.id, PATTERNS.near);
  });
  await s.step("a single number is never 'a constant factor' of another unless the factor is named", () => {
    const loss = (x: number): TensorValue => t([], [x]);
    assert.equal(describeDifference({ what: "loss", got: loss(3.7), expected: loss(1.1) }), undefined);
    const f = describeDifference({
      what: "loss",
      got: loss(4.4),
      expected: loss(1.1),
      constants: [{ value: 4, symbol: "N" }],
    });
    assert.equal(f?.id, PATTERNS.factor);
  });
});
