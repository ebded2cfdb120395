import assert from "node:assert/strict";
import { sweepTempFiles, TEMP_PREFIX, writeFileAtomic } from "./atomic_write.ts";

Deno.test("writeFileAtomic() replaces a file whole and leaves no temp file", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("creates missing parent folders", async () => {
      await writeFileAtomic(`${dir}/a/b/out.json`, "first");
      assert.equal(await Deno.readTextFile(`${dir}/a/b/out.json`), "first");
    });
    await t.step("overwrites with the new content, bytes or text", async () => {
      await writeFileAtomic(`${dir}/a/b/out.json`, new TextEncoder().encode("second"));
      assert.equal(await Deno.readTextFile(`${dir}/a/b/out.json`), "second");
      const names = [...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name);
      assert.deepEqual(names, ["out.json"]);
    });
    await t.step("a reader never sees a torn file during concurrent rewrites", async () => {
      const big = (c: string) => c.repeat(1 << 20);
      const writers = ["x", "y", "z", "w"].map((c) => writeFileAtomic(`${dir}/race.txt`, big(c)));
      const reads: string[] = [];
      for (let i = 0; i < 20; i++) {
        try {
          reads.push(await Deno.readTextFile(`${dir}/race.txt`));
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
      await Promise.all(writers);
      for (const r of [...reads, await Deno.readTextFile(`${dir}/race.txt`)]) {
        assert.equal(r.length, 1 << 20);
        assert.equal(new Set(r).size, 1, "a file mixes two writes");
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sweepTempFiles() removes only leftovers of killed runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/${TEMP_PREFIX}x.json.123.abcd`, "torn");
    await Deno.writeTextFile(`${dir}/kept.json`, "{}");
    assert.equal(await sweepTempFiles(dir), 1);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["kept.json"]);
    assert.equal(await sweepTempFiles(`${dir}/missing`), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
