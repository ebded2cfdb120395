import assert from "node:assert/strict";
import { CLASSES, digitCounts, IMAGE_PIXELS, loadMnist } from "./mnist.ts";

Deno.test("digitCounts() reports the package's unequal digits, 10,000 in all", () => {
  const counts = digitCounts();
  assert.equal(counts.length, CLASSES);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10000);
  // The quirk the loader handles: the package does not hold the same number of each digit.
  assert.ok(Math.min(...counts) < Math.max(...counts), `counts ${counts} should differ`);
});

Deno.test("loadMnist() splits the digits without mixing samples", async (t) => {
  const data = loadMnist({ seed: 3 });

  await t.step("default sizes: 8,000 train, 500 validation, 1,500 test", () => {
    assert.equal(data.train.ids.length, 8000);
    assert.equal(data.validation.ids.length, 500);
    assert.equal(data.test.ids.length, 1500);
  });

  await t.step("no sample id appears twice, within or across splits", () => {
    const all = [...data.train.ids, ...data.validation.ids, ...data.test.ids];
    assert.equal(new Set(all).size, all.length, "seed 3");
  });

  await t.step("no image appears in two splits (pixel content, not only ids)", () => {
    const key = (s: typeof data.train, i: number) =>
      s.images.data.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS).join(",");
    const seen = new Set<string>();
    for (let i = 0; i < data.train.ids.length; i++) seen.add(key(data.train, i));
    for (const split of [data.validation, data.test]) {
      for (let i = 0; i < split.ids.length; i++) assert.ok(!seen.has(key(split, i)), `seed 3, sample ${i}`);
    }
  });

  await t.step("every split keeps the digit proportions within one sample per digit", () => {
    const counts = digitCounts();
    for (const split of [data.train, data.validation, data.test]) {
      const n = split.digits.length;
      const got = new Array<number>(CLASSES).fill(0);
      for (const d of split.digits) got[d]++;
      for (let d = 0; d < CLASSES; d++) {
        const expected = (n * counts[d]) / 10000;
        assert.ok(
          Math.abs(got[d] - expected) <= 1.5,
          `digit ${d}: got ${got[d]}, expected ≈${expected} (seed 3)`,
        );
      }
    }
  });

  await t.step("labels are one-hot and agree with the digits", () => {
    const { labels, digits } = data.test;
    assert.deepEqual(labels.shape, [1500, CLASSES]);
    for (let i = 0; i < digits.length; i++) {
      const row = Array.from(labels.data.subarray(i * CLASSES, (i + 1) * CLASSES));
      assert.equal(row.reduce((a, b) => a + b, 0), 1, `row ${i}`);
      assert.equal(row[digits[i]], 1, `row ${i}`);
    }
  });

  await t.step("pixels lie in [0, 1] and are not all zero", () => {
    const px = data.train.images.data;
    assert.ok(px.every((v) => v >= 0 && v <= 1));
    assert.equal(Math.max(...px.subarray(0, 100 * IMAGE_PIXELS)), 1);
  });
});

Deno.test("loadMnist() is deterministic in its seed", async (t) => {
  const small = { train: 60, validation: 20, test: 30 };
  await t.step("same seed, same split and order", () => {
    const a = loadMnist({ ...small, seed: 11 });
    const b = loadMnist({ ...small, seed: 11 });
    assert.deepEqual(a.train.ids, b.train.ids);
    assert.deepEqual(a.test.ids, b.test.ids);
    assert.ok(a.train.images.equals(b.train.images));
  });
  await t.step("another seed, another split", () => {
    const a = loadMnist({ ...small, seed: 11 });
    const b = loadMnist({ ...small, seed: 12 });
    assert.notDeepEqual(a.test.ids, b.test.ids);
  });
  await t.step("the test split does not depend on the train size", () => {
    const a = loadMnist({ train: 100, validation: 50, test: 40, seed: 5 });
    const b = loadMnist({ train: 5000, validation: 50, test: 40, seed: 5 });
    assert.deepEqual([...a.test.ids].sort(), [...b.test.ids].sort());
  });
});

Deno.test("loadMnist() shapes images flat or as [N, 1, 28, 28] with the same pixels", () => {
  const flat = loadMnist({ train: 7, validation: 2, test: 3, seed: 2 });
  const image = loadMnist({ train: 7, validation: 2, test: 3, seed: 2, layout: "image" });
  assert.deepEqual(flat.train.images.shape, [7, 784]);
  assert.deepEqual(image.train.images.shape, [7, 1, 28, 28]);
  assert.deepEqual(image.validation.images.shape, [2, 1, 28, 28]);
  assert.deepEqual(flat.train.images.data, image.train.images.data);
});

Deno.test("loadMnist() can use the whole package, every digit included", () => {
  const data = loadMnist({ train: 9000, validation: 0, test: 1000 });
  assert.equal(new Set([...data.train.ids, ...data.test.ids]).size, 10000);
  assert.deepEqual(data.validation.images.shape, [0, 784]);
});

Deno.test("loadMnist() rejects bad options with a clear error", async (t) => {
  await t.step("sizes that add up to more than the package holds", () => {
    assert.throws(
      () => loadMnist({ train: 9000, validation: 500, test: 1500 }),
      { name: "RangeError", message: /at most 10000, received 9000 \+ 500 \+ 1500 = 11000/ },
    );
  });
  await t.step("a negative or fractional size", () => {
    assert.throws(() => loadMnist({ test: -1 }), {
      name: "RangeError",
      message: /test to be an integer ≥ 0, received -1/,
    });
    assert.throws(() => loadMnist({ train: 2.5 }), {
      name: "RangeError",
      message: /train to be an integer ≥ 1/,
    });
    assert.throws(() => loadMnist({ train: 0 }), { name: "RangeError", message: /received 0/ });
  });
  await t.step("an unknown layout", () => {
    assert.throws(
      () => loadMnist({ layout: "nchw" as "flat" }),
      { name: "TypeError", message: /expected layout "flat" or "image", received "nchw"/ },
    );
  });
});
