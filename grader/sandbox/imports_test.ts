import assert from "node:assert/strict";
import { join } from "node:path";
import { ImportRejected, importsOf, lessonGraph, tokenize } from "./imports.ts";

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
    export*from"/dev/zero";
  `;
  assert.deepEqual(importsOf(src).map((i) => i.specifier), [
    "./a.ts",
    "../lib/b.ts",
    "./c.ts",
    "./d.ts",
    "./e.ts",
    "./f.ts",
    "/dev/zero",
  ]);
});

Deno.test("importsOf() sees through a hashbang line that looks like a comment opener", () => {
  assert.deepEqual(
    importsOf('#! /*\nimport x from "../../solutions/linear.ts"; // */').map((i) => i.specifier),
    [
      "../../solutions/linear.ts",
    ],
  );
});

Deno.test("tokenize() skips regex literals and keeps line numbers", () => {
  const toks = tokenize('const r = /["\']/g;\nimport x from "./y.ts";');
  const from = toks.find((t) => t.text === "./y.ts")!;
  assert.equal(from.kind, "string");
  assert.equal(from.line, 2);
});

Deno.test("lessonGraph() follows lesson files and lib/, and names what leaves them", async (t) => {
  const root = await Deno.makeTempDir();
  const policy = { lessonsDir: join(root, "lessons"), libDir: join(root, "lib") };
  Deno.mkdirSync(policy.lessonsDir);
  Deno.mkdirSync(policy.libDir);
  const write = (rel: string, text: string) => Deno.writeTextFileSync(join(root, rel), text);
  write("lib/tensor.ts", "export const T = 1;");
  write(
    "lessons/a.ts",
    'import { T } from "../lib/tensor.ts";\nimport { b } from "./b.ts";\nexport const a = T + b;',
  );
  write("lessons/b.ts", "export const b = 2;");
  try {
    await t.step("a graph inside the allow-list", () => {
      assert.deepEqual(lessonGraph(join(policy.lessonsDir, "a.ts"), policy), [
        join(policy.lessonsDir, "a.ts"),
        join(policy.libDir, "tensor.ts"),
        join(policy.lessonsDir, "b.ts"),
      ]);
    });
    for (
      const [name, src, pattern] of [
        [
          "solutions",
          '\nimport { L } from "../../solutions/linear.ts";',
          /x\.ts:2: imports "\.\.\/\.\.\/solutions\/linear\.ts", which is outside/,
        ],
        ["npm", 'import c from "npm:chalk";', /x\.ts:1: imports "npm:chalk": lessons may import only/],
        ["absolute", 'export*from"/dev/zero";', /imports "\/dev\/zero"/],
        ["missing", 'import "./nope.ts";', /imports "\.\/nope\.ts", which does not exist/],
      ] as const
    ) {
      await t.step(name, () => {
        write("lessons/x.ts", src);
        assert.throws(
          () => lessonGraph(join(policy.lessonsDir, "x.ts"), policy),
          (e: Error) => e instanceof ImportRejected && pattern.test(e.message),
        );
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
