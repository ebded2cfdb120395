import assert from "node:assert/strict";
import { decodeOutcomes, encodeOutcomes } from "./_wire.ts";

Deno.test("the wire format round-trips values, errors and non-finite numbers", () => {
  const data = new Float64Array([1.5, NaN, Infinity, -Infinity, -0.1 + 0.2, 1e-300]);
  const text = encodeOutcomes({
    a: { values: { t: { shape: [2, 3], data }, n: NaN, b: true, s: 'quote " and \n newline' } },
    b: {
      values: {},
      error: { kind: "not-implemented", step: "Linear.forward", name: "NotImplementedError", message: "x" },
    },
  });
  const back = decodeOutcomes(text, ["a", "b"]);
  const t = back.a.values.t as { shape: number[]; data: Float64Array };
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual([...t.data], [...data]);
  assert.ok(Number.isNaN(back.a.values.n as number));
  assert.equal(back.a.values.b, true);
  assert.equal(back.a.values.s, 'quote " and \n newline');
  assert.equal(back.b.error?.kind, "not-implemented");
});

Deno.test("decodeOutcomes() rejects unknown probes and malformed values", async (t) => {
  await t.step(
    "unknown probe",
    () => assert.throws(() => decodeOutcomes('{"x":{"values":{}}}', ["a"]), TypeError),
  );
  await t.step(
    "shape and data disagree",
    () => assert.throws(() => decodeOutcomes('{"a":{"values":{"v":{"t":[2],"d":[1]}}}}', ["a"]), TypeError),
  );
  await t.step("not JSON", () => assert.throws(() => decodeOutcomes("{", ["a"])));
});
