import assert from "node:assert/strict";
import { compare, diagnose, fmt, NUMERIC_TOL, REFERENCE_TOL, scaled, transposed } from "./compare.ts";
import type { Judge, TensorValue } from "../spec.ts";

const t = (shape: number[], xs: number[]): TensorValue => ({ shape, data: new Float64Array(xs) });

Deno.test("compare() names the worst index, got, expected, relative error and seed", () => {
  const msg = compare("gradW", t([2, 2], [1, 2, 3, 4.5]), t([2, 2], [1, 2, 3, 4]), REFERENCE_TOL, 7);
  assert.equal(msg, "gradW at [1, 1]: got 4.500, expected 4.000 (rel. error 1.1e-1, seed 7)");
});

Deno.test("compare() accepts float64 rounding and rejects a wrong shape or NaN", async (s) => {
  await s.step(
    "rounding",
    () => assert.equal(compare("y", t([2], [0.1 + 0.2, 1]), t([2], [0.3, 1]), REFERENCE_TOL, 1), undefined),
  );
  await s.step(
    "central-difference noise",
    () => assert.equal(compare("g", t([1], [1.000001]), t([1], [1]), NUMERIC_TOL, 1), undefined),
  );
  await s.step(
    "shape",
    () =>
      assert.equal(
        compare("y", t([2, 1], [1, 2]), t([1, 2], [1, 2]), REFERENCE_TOL, 3),
        "y has shape [2, 1], expected [1, 2] (seed 3)",
      ),
  );
  await s.step(
    "NaN",
    () => assert.match(compare("y", t([1], [NaN]), t([1], [1]), REFERENCE_TOL, 1)!, /got NaN/),
  );
  await s.step(
    "Infinity never passes for a finite value",
    () => assert.notEqual(compare("y", t([1], [1]), t([1], [-Infinity]), REFERENCE_TOL, 1), undefined),
  );
});

Deno.test("diagnose() names the first mistake whose signature the result matches", () => {
  const ref = t([2, 3], [1, 2, 3, 4, 5, 6]);
  const j = { reference: () => ref } as unknown as Judge;
  const mistakes = [
    { says: "doubled", value: () => scaled(ref, 2) },
    { says: "transposed", value: () => transposed(ref) },
  ];
  assert.equal(diagnose(j, transposed(ref), mistakes)?.says, "transposed");
  assert.equal(diagnose(j, scaled(ref, 2), mistakes)?.says, "doubled");
  assert.equal(diagnose(j, scaled(ref, 3), mistakes), undefined);
});

Deno.test("fmt() keeps 4 significant digits and switches to exponents for tiny or huge values", () => {
  assert.equal(fmt(0.421034), "0.4210");
  assert.equal(fmt(2.9e-7), "2.900e-7");
  assert.equal(fmt(0), "0");
});
