import assert from "node:assert/strict";
import { LESSONS } from "../grader/manifest.ts";
import { makeFakeKit } from "./_fake_kit.ts";
import { hiddenPoints, importsPrivate, release } from "./release.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("release() builds a student copy without solutions or hidden checks, and grades it", async (t) => {
  const kit = await makeFakeKit({ hidden: ["linear"] });
  const out = `${kit}-release`;
  try {
    for (const l of LESSONS.filter((l) => l.given)) {
      await Deno.writeTextFile(`${kit}/lessons/${l.file}`, `// a worked example: PASS\nexport {};\n`);
    }
    await Deno.mkdir(`${kit}/solutions`);
    await Deno.writeTextFile(`${kit}/solutions/linear.ts`, "export const secret = 42;\n");
    await Deno.writeTextFile(`${kit}/grader/proof_test.ts`, 'import "../solutions/linear.ts";\n');
    await Deno.writeTextFile(`${kit}/grader/uses_proof.ts`, 'import "./proof_test.ts";\n');
    await Deno.writeTextFile(`${kit}/grader/fixtures_hidden.json`, "{}\n");
    await Deno.mkdir(`${kit}/notebooks`, { recursive: true });
    await Deno.mkdir(`${kit}/notebook/testdata`, { recursive: true });
    await Deno.writeTextFile(`${kit}/notebooks/gradlings.ipynb`, "{}\n");
    await Deno.writeTextFile(`${kit}/notebooks/gradlings_solutions.ipynb`, "{}\n");
    await Deno.writeTextFile(`${kit}/notebook/testdata/other_style.ipynb`, "{}\n");
    await Deno.mkdir(`${kit}/workflow/hints`, { recursive: true });
    await Deno.writeTextFile(`${kit}/workflow/hints/linear.md`, "# x\n\n## 1\n\nhint\n");
    await Deno.writeTextFile(
      `${kit}/deno.json`,
      JSON.stringify({ tasks: { grade: "x", watch: "x", release: "x", "make-lessons": "x" }, imports: {} }),
    );

    const result = await release(kit, out, { checkStubs: false });
    await t.step("the fresh copy grades as expected: examples pass, the rest not started", async () => {
      assert.deepEqual(result.problems, []);
      assert.equal(await exists(`${out}/.gradlings`), false, "the self-check's caches are removed");
      assert.equal(result.report?.lessons.length, LESSONS.length);
    });
    await t.step("nothing private ships", async () => {
      assert.equal(await exists(`${out}/solutions`), false);
      assert.equal(await exists(`${out}/grader/hidden`), false);
      assert.equal(await exists(`${out}/grader/fixtures_hidden.json`), false);
      assert.equal(await exists(`${out}/grader/proof_test.ts`), false);
      assert.equal(
        await exists(`${out}/grader/uses_proof.ts`),
        false,
        "a file importing a left-out file goes too",
      );
      assert.ok(result.leftOut.includes("grader/hidden"));
      assert.equal(
        await exists(`${out}/notebooks/gradlings_solutions.ipynb`),
        false,
        "the instructor notebook",
      );
      assert.equal(await exists(`${out}/notebook/testdata`), false);
      assert.ok(await exists(`${out}/notebooks/gradlings.ipynb`), "the student notebook ships");
    });
    await t.step(
      "the points of the hidden checks are kept, so students see how many are pending",
      async () => {
        const points = JSON.parse(await Deno.readTextFile(`${out}/grader/hidden_points.json`));
        assert.deepEqual(points, await hiddenPoints());
        assert.ok(points.linear > 0, "Linear has hidden checks in this kit");
      },
    );
    await t.step("what students need is there", async () => {
      assert.ok(await exists(`${out}/grader/main.ts`));
      assert.ok(await exists(`${out}/lessons/linear.ts`));
      assert.ok(await exists(`${out}/workflow/hints/linear.md`));
      assert.equal(
        await Deno.readTextFile(`${out}/workflow/stubs/linear.ts`),
        await Deno.readTextFile(`${kit}/lessons/linear.ts`),
      );
      const config = JSON.parse(await Deno.readTextFile(`${out}/deno.json`));
      assert.deepEqual(Object.keys(config.tasks), ["grade", "watch"]);
      assert.match(await Deno.readTextFile(`${out}/README.md`), /deno task watch[\s\S]*\|\s+6 \| \[linear\]/);
    });
    await t.step("a non-empty folder is refused; --force replaces it but keeps .git", async () => {
      await assert.rejects(release(kit, out, { checkStubs: false, grade: false }), /not empty.*--force/);
      await Deno.mkdir(`${out}/.git`);
      await Deno.writeTextFile(`${out}/.git/HEAD`, "ref: refs/heads/main\n");
      await Deno.writeTextFile(`${out}/stale.txt`, "from an older release");
      await release(kit, out, { checkStubs: false, grade: false, force: true });
      assert.equal(await exists(`${out}/stale.txt`), false);
      assert.equal(await Deno.readTextFile(`${out}/.git/HEAD`), "ref: refs/heads/main\n");
    });
    await t.step("a broken copy is reported", async () => {
      await Deno.writeTextFile(`${kit}/lessons/relu.ts`, "// BROKEN\n");
      const broken = await release(kit, out, { checkStubs: false, force: true });
      assert.deepEqual(broken.problems, [
        'relu is "does not compile" in the fresh copy, expected "passed": relu.ts:1: syntax error',
      ]);
    });
  } finally {
    await Deno.remove(kit, { recursive: true });
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
});

Deno.test("importsPrivate() spots imports of what does not ship", () => {
  assert.equal(importsPrivate("grader/x_test.ts", 'import { a } from "../solutions/mod.ts";'), true);
  assert.equal(importsPrivate("grader/x.ts", 'import { a } from "./hidden/linear.ts";'), true);
  assert.equal(importsPrivate("grader/x.ts", 'const s = await import("../testing/ref.ts");'), true);
  assert.equal(importsPrivate("grader/x.ts", 'import { a } from "../lib/tensor.ts";'), false);
  assert.equal(importsPrivate("lessons/linear.ts", 'import { a } from "npm:chalk";'), false);
});
