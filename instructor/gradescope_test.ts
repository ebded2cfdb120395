import assert from "node:assert/strict";
import { LESSONS } from "../grader/manifest.ts";
import { hasHidden } from "../grader/specs/mod.ts";
import { makeFakeKit, writeStudent } from "./_fake_kit.ts";
import { buildAutograderZip } from "./gradescope.ts";
import { validateGradescope } from "./gradescope_schema.ts";
import { readZip } from "./zip_reader.ts";

Deno.test("the autograder zip has setup.sh and run_autograder at its root, executable, and no solutions", async () => {
  const bytes = await buildAutograderZip();
  const paths = readZip(bytes, { maxFileBytes: 64 << 20, maxTotalBytes: 256 << 20, maxEntries: 5000 })
    .map((e) => e.path);
  for (
    const p of [
      "setup.sh",
      "run_autograder",
      "instructor/gradescope_run.ts",
      "grader/manifest.ts",
      "deno.json",
    ]
  ) {
    assert.ok(paths.includes(p), `${p} is missing`);
  }
  assert.equal(paths.filter((p) => p.startsWith("solutions/") || p.endsWith("_test.ts")).length, 0);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.zip`, bytes);
    const listing = await new Deno.Command("unzip", {
      args: ["-Z", `${dir}/a.zip`, "run_autograder", "setup.sh"],
    })
      .output();
    const text = new TextDecoder().decode(listing.stdout);
    assert.match(text, /^-rwxr-xr-x.* run_autograder$/m);
    assert.match(text, /^-rwxr-xr-x.* setup.sh$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run_autograder grades a submission in a folder laid out like /autograder", async (t) => {
  const kit = await makeFakeKit({ hidden: ["linear"] });
  const root = `${kit}/autograder`;
  try {
    await Deno.mkdir(`${root}/source`, { recursive: true });
    await Deno.writeFile(`${kit}/autograder.zip`, await buildAutograderZip(kit));
    const unzip = await new Deno.Command("unzip", {
      args: ["-q", `${kit}/autograder.zip`, "-d", `${root}/source`],
    })
      .output();
    assert.ok(unzip.success, new TextDecoder().decode(unzip.stderr));
    const run = async () => {
      await Deno.remove(`${root}/results`, { recursive: true }).catch(() => {});
      const out = await new Deno.Command(`${root}/source/run_autograder`, {
        env: { AUTOGRADER_ROOT: root },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const results = JSON.parse(await Deno.readTextFile(`${root}/results/results.json`));
      assert.deepEqual(validateGradescope(results), []);
      return results;
    };
    await t.step(
      "loose lesson files, as uploaded to Gradescope; hidden check after publication",
      async () => {
        await Deno.mkdir(`${root}/submission`);
        await Deno.writeTextFile(`${root}/submission/linear.ts`, "// PASS\n");
        await Deno.writeTextFile(`${root}/submission/relu.ts`, "// HALF\n");
        const results = await run();
        assert.equal(results.score, 3 + 1);
        const linear = results.tests.filter((x: { tags: string[] }) => x.tags[0] === "linear");
        assert.deepEqual(linear.map((x: { visibility: string }) => x.visibility), [
          "visible",
          "visible",
          "after_published",
        ]);
        assert.match(results.output, /missing leaky_relu.ts/);
      },
    );
    await t.step("a whole repository with every lesson passing", async () => {
      await Deno.remove(`${root}/submission`, { recursive: true });
      await writeStudent(`${root}/submission`, Object.fromEntries(LESSONS.map((l) => [l.file, "PASS"])));
      const results = await run();
      // The zip carries the real kit's grader/hidden/, and the fake grader gives 1 point per hidden file.
      assert.equal(results.score, 2 * LESSONS.length + LESSONS.filter((l) => hasHidden(l.name)).length);
    });
    await t.step("a hostile submission still gets a results.json, scoring 0 with the reason", async () => {
      await Deno.remove(`${root}/submission`, { recursive: true });
      await Deno.mkdir(`${root}/submission/lessons`, { recursive: true });
      await Deno.symlink("/etc/passwd", `${root}/submission/lessons/linear.ts`);
      const results = await run();
      assert.equal(results.score, 0);
      assert.match(results.output, /could not be graded: lessons\/linear.ts is a symlink to a path outside/);
    });
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});
