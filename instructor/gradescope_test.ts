import assert from "node:assert/strict";
import { LESSONS } from "../grader/manifest.ts";
import { buildAutograderZip } from "./gradescope.ts";
import { validateGradescope } from "./gradescope_schema.ts";
import { readZip } from "./zip_reader.ts";

Deno.test("the autograder zip has setup.sh and run_autograder at its root, executable, the solutions and no tests", async () => {
  const bytes = await buildAutograderZip();
  const paths = readZip(bytes, { maxFileBytes: 64 << 20, maxTotalBytes: 256 << 20, maxEntries: 5000 })
    .map((e) => e.path);
  for (
    const p of [
      "setup.sh",
      "run_autograder",
      "instructor/gradescope_run.ts",
      "instructor/official.ts",
      "grader/manifest.ts",
      "grader/sandbox/child.ts",
      "grader/reference/main.ts",
      "grader/hidden/linear.ts",
      "solutions/mod.ts",
      "solutions/linear.ts",
      "deno.json",
    ]
  ) {
    assert.ok(paths.includes(p), `${p} is missing`);
  }
  assert.deepEqual(paths.filter((p) => p.endsWith("_test.ts") || p.includes("testdata/")), []);
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

Deno.test("run_autograder grades officially in a folder laid out like /autograder", async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "gradlings-gs-" });
  const root = `${tmp}/autograder`;
  const kit = new URL("..", import.meta.url).pathname;
  try {
    await Deno.mkdir(`${root}/source`, { recursive: true });
    await Deno.writeFile(`${tmp}/autograder.zip`, await buildAutograderZip());
    const unzip = await new Deno.Command("unzip", {
      args: ["-q", `${tmp}/autograder.zip`, "-d", `${root}/source`],
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
    const maxOf = (r: { tests: { max_score: number }[] }) => r.tests.reduce((s, x) => s + x.max_score, 0);
    await t.step(
      "the reference solutions as loose files: full marks, hidden checks after publication",
      async () => {
        await Deno.mkdir(`${root}/submission`);
        for (const l of LESSONS) {
          await Deno.copyFile(`${kit}/solutions/${l.file}`, `${root}/submission/${l.file}`);
        }
        const results = await run();
        assert.equal(results.score, maxOf(results), results.output);
        const linear = results.tests.filter((x: { tags: string[] }) => x.tags[0] === "linear");
        assert.ok(linear.some((x: { visibility: string }) => x.visibility === "after_published"));
        assert.ok(linear.some((x: { visibility: string }) => x.visibility === "visible"));
        const given = results.tests.filter((x: { tags: string[] }) => x.tags[0] === "relu");
        assert.ok(given.length > 0 && given.every((x: { max_score: number }) => x.max_score === 0));
        assert.match(results.output, /seed \d+/);
        assert.ok(!/seed (7|11|23)\)/.test(results.output), "an official grade does not use a public seed");
      },
    );
    await t.step("a pristine copy scores 0", async () => {
      await Deno.remove(`${root}/submission`, { recursive: true });
      await Deno.mkdir(`${root}/submission/lessons`, { recursive: true });
      for (const l of LESSONS) {
        await Deno.copyFile(`${kit}/lessons/${l.file}`, `${root}/submission/lessons/${l.file}`);
      }
      const results = await run();
      assert.equal(results.score, 0);
      assert.ok(maxOf(results) > 0);
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
    await Deno.remove(tmp, { recursive: true });
  }
});
