import assert from "node:assert/strict";
import { decode, decodeOutcomes, encode, encodeOutcomes, WireError } from "./wire.ts";

Deno.test("the wire format round-trips values, errors and non-finite numbers bit for bit", () => {
  const data = new Float64Array([
    1.5,
    NaN,
    Infinity,
    -Infinity,
    -0.1 + 0.2,
    1e-300,
    5e-324,
    Number.MAX_VALUE,
  ]);
  const text = encodeOutcomes({
    a: { values: { t: { shape: [2, 4], data }, n: NaN, b: true, s: 'quote " and \n newline' } },
    b: {
      values: {},
      error: { kind: "not-implemented", step: "Linear.forward", name: "NotImplementedError", message: "x" },
    },
  });
  const back = decodeOutcomes(text, ["a", "b"]);
  const t = back.a.values.t as { shape: number[]; data: Float64Array };
  assert.deepEqual(t.shape, [2, 4]);
  assert.deepEqual([...t.data], [...data]);
  assert.ok(Number.isNaN(back.a.values.n as number));
  assert.equal(back.a.values.b, true);
  assert.equal(back.a.values.s, 'quote " and \n newline');
  assert.equal(back.b.error?.kind, "not-implemented");
});

Deno.test("encode() is deterministic and nests plans' settings and tensors", () => {
  const tree = {
    id: "x",
    settings: { args: [1, 2], flag: false, none: null },
    inputs: { input: { shape: [1], data: new Float64Array([0.5]) } },
  };
  assert.equal(encode(tree), encode(tree));
  assert.equal(encode(decode(encode(tree))), encode(tree));
});

Deno.test("decodeOutcomes() refuses what a hostile child might send", async (t) => {
  for (
    const [name, text] of [
      ["not JSON", "{"],
      ["an unknown probe", '{"zzz":{"values":{}}}'],
      ["a tensor whose shape and data disagree", '{"a":{"values":{"t":{"$t":[2,2],"$d":[1]}}}}'],
      ["a value that is an array", '{"a":{"values":{"t":[1,2]}}}'],
      [
        "an error of an unknown kind",
        '{"a":{"values":{},"error":{"kind":"pass","step":"","name":"","message":""}}}',
      ],
      ["a negative dimension", '{"a":{"values":{"t":{"$t":[-1],"$d":[]}}}}'],
    ]
  ) {
    await t.step(name, () => assert.throws(() => decodeOutcomes(text, ["a"]), WireError));
  }
});

Deno.test("decodeOutcomes() reads a key named __proto__ as an ordinary key, never as a prototype", () => {
  const back = decodeOutcomes('{"a":{"values":{"__proto__":{"$t":[1],"$d":[5]},"x":1}}}', ["a"]);
  assert.equal(Object.getPrototypeOf(back.a.values), null);
  assert.ok(Object.hasOwn(back.a.values, "__proto__"));
  assert.equal(back.a.values.x, 1);
});

Deno.test("decodeOutcomes() refuses a report too large or with too many keys before parsing it", () => {
  const keys = Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(",");
  assert.throws(() => decodeOutcomes(`{"a":{"values":{${keys}}}}`, ["a"]), /more than 50000 keys/);
  assert.throws(() => decodeOutcomes(" ".repeat((16 << 20) + 1), ["a"]), /more than 16777216 characters/);
});
