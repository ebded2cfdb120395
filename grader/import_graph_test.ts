import assert from "node:assert/strict";
import { join } from "node:path";
import { checkImportGraph, ImportRejected, importsOf, remapLib, tokenize } from "./import_graph.ts";
import { KIT_DIR } from "./grade.ts";

Deno.test("importsOf() finds static, re-export, side-effect and literal dynamic imports", () => {
  const src = `
    import { a } from "./a.ts";
    import type { B } from "../lib/b.ts";
    export { c } from './c.ts';
    export * from "./d.ts";
    import "./e.ts";
    const f = await import("./f.ts");
    // import { no } from "./comment.ts";
    const s = "import { no } from './string.ts'";
    export const g = 1;
  `;
  assert.deepEqual(importsOf(src, "x.ts").map((i) => i.specifier), [
    "./a.ts",
    "../lib/b.ts",
    "./c.ts",
    "./d.ts",
    "./e.ts",
    "./f.ts",
  ]);
});

Deno.test("importsOf() rejects import() with a computed specifier, even behind a regex or template", async (t) => {
  for (
    const [name, src] of [
      ["variable", 'const p = "./x.ts"; await import(p);'],
      ["concatenation", 'await import("./" + "x.ts");'],
      ["template with a substitution", "const n = 1; await import(`./x${n}.ts`);"],
      ["after a regex holding a quote", 'const r = /"/; await import(r.source);'],
    ]
  ) {
    await t.step(name, () => assert.throws(() => importsOf(src, "x.ts"), ImportRejected));
  }
});

Deno.test("tokenize() skips regex literals and keeps line numbers", () => {
  const toks = tokenize('const r = /["\']/g;\nimport x from "./y.ts";');
  const from = toks.find((t) => t.text === "./y.ts")!;
  assert.equal(from.kind, "string");
  assert.equal(from.line, 2);
});

Deno.test("remapLib() maps a copy's ../lib/ onto the kit's lib/", () => {
  const policy = { libDir: "/kit/lib", lessonsDir: "/subs/alice/lessons" };
  assert.equal(remapLib("/subs/alice/lib/tensor.ts", policy), "/kit/lib/tensor.ts");
  assert.equal(remapLib("/subs/alice/lessons/x.ts", policy), "/subs/alice/lessons/x.ts");
});

Deno.test("checkImportGraph() walks a lesson's graph and rejects what leaves the allow-list", async (t) => {
  const policy = { libDir: join(KIT_DIR, "lib"), lessonsDir: join(KIT_DIR, "solutions") };
  await t.step("a reference lesson reaches only lib/ and its own folder", async () => {
    const files = await checkImportGraph(join(KIT_DIR, "solutions", "linear.ts"), policy);
    assert.ok(files.some((f) => f.endsWith("/lib/tensor.ts")));
    assert.ok(files.every((f) => f.startsWith(policy.libDir + "/") || f.startsWith(policy.lessonsDir + "/")));
  });
  await t.step("a lesson importing the fixtures is rejected with file and line", async () => {
    const dir = await Deno.makeTempDir();
    try {
      Deno.writeTextFileSync(
        join(dir, "x.ts"),
        `\nimport f from "${KIT_DIR}/grader/fixtures/linear.json" with { type: "json" };\nexport const y = f;\n`,
      );
      await assert.rejects(
        () => checkImportGraph(join(dir, "x.ts"), { libDir: policy.libDir, lessonsDir: dir }),
        (e: Error) => e instanceof ImportRejected && /x\.ts:2: imports .*outside lib/.test(e.message),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
