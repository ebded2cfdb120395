import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

Deno.test("SPEC.md in the kit is the course's binding contract, word for word", async (t) => {
  const kit = await Deno.readTextFile(new URL("SPEC.md", ROOT));
  let shared: string | undefined;
  try {
    shared = await Deno.readTextFile(new URL("../shared/SPEC.md", ROOT));
  } catch {
    // A student copy or a clone without the course's shared folder has only the kit's copy.
  }
  await t.step("it names the interop surface and every lesson", () => {
    for (
      const name of [
        "static from(values)",
        "toArray()",
        "Sequential",
        "BatchNormalization",
        "adamOptimizer",
        "Flatten",
      ]
    ) {
      assert.ok(kit.includes(name), `SPEC.md should mention ${name}`);
    }
  });
  if (shared !== undefined) {
    await t.step("it equals ../shared/SPEC.md (copy it over when the contract changes)", () => {
      assert.equal(kit, shared);
    });
  }
});
