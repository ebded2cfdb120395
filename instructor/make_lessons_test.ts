import assert from "node:assert/strict";
import {
  buildLessons,
  compareLessons,
  LessonMarkerError,
  main,
  makeStub,
  manifestWarnings,
} from "./make_lessons.ts";
import { LESSONS } from "../grader/manifest.ts";
import { Criterion, Module, NotImplementedError } from "../lib/module.ts";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";

const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");

/** Source text from lines, with the final newline files have. */
function src(...lines: string[]): string {
  return lines.join("\n") + "\n";
}

/** Asserts that `fn` throws a LessonMarkerError at `file:line` whose message matches `pattern`. */
function assertMarkerError(fn: () => unknown, file: string, line: number, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LessonMarkerError, `expected a LessonMarkerError, got ${e}`);
    assert.equal(e.file, file);
    assert.equal(e.line, line, `wrong line in: ${e.message}`);
    assert.ok(e.message.startsWith(`${file}:${line}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Runs `deno <args>` at `cwd`; returns the exit code and the output. */
async function deno(cwd: string, ...args: string[]): Promise<{ code: number; output: string }> {
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  })
    .output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: result.code, output: decode(result.stdout) + decode(result.stderr) };
}

const LINEAR = src(
  "/**",
  " * A layer.",
  " *",
  " * @module",
  " */",
  "",
  'import { Tensor } from "../lib/tensor.ts";',
  'import { Module } from "../lib/module.ts";',
  "",
  "/** y = x·w. */",
  "export class Scale extends Module {",
  "  readonly w = Tensor.ones([1]);",
  "",
  "  /** Forward. */",
  "  override updateOutput(input: Tensor): Tensor {",
  "    // BEGIN SOLUTION: compute output = input·w, store it in this.output and return it",
  "    this.output = input.mul(this.w);",
  "    return this.output;",
  "    // END SOLUTION",
  "  }",
  "",
  "  /** Backward. */",
  "  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {",
  "    if (input.size !== gradOutput.size) throw new TypeError(`Scale: sizes differ`);",
  "    // BEGIN SOLUTION",
  "    this.gradInput = gradOutput.mul(this.w);",
  "    return this.gradInput;",
  "    // END SOLUTION",
  "  }",
  "}",
);

Deno.test("makeStub() replaces each SOLUTION block with a TODO that throws, at the block's indentation", () => {
  const stub = makeStub(LINEAR, { file: "scale.ts" });
  assert.equal(
    stub.text,
    src(
      "/**",
      " * A layer.",
      " *",
      " * @module",
      " */",
      "",
      'import { Tensor } from "../lib/tensor.ts";',
      'import { Module, NotImplementedError } from "../lib/module.ts";',
      "",
      "/** y = x·w. */",
      "export class Scale extends Module {",
      "  readonly w = Tensor.ones([1]);",
      "",
      "  /** Forward. */",
      "  override updateOutput(input: Tensor): Tensor {",
      "    // TODO(scale): compute output = input·w, store it in this.output and return it",
      "    void input; // unused until you write this: delete this line with the throw",
      '    throw new NotImplementedError("Scale.updateOutput");',
      "  }",
      "",
      "  /** Backward. */",
      "  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {",
      "    if (input.size !== gradOutput.size) throw new TypeError(`Scale: sizes differ`);",
      "    // TODO(scale): write Scale.updateGradInput",
      '    throw new NotImplementedError("Scale.updateGradInput");',
      "  }",
      "}",
    ),
  );
  assert.deepEqual(stub.tasks, [
    {
      task: "Scale.updateOutput",
      hint: "compute output = input·w, store it in this.output and return it",
      line: 16,
    },
    { task: "Scale.updateGradInput", hint: "", line: 25 },
  ]);
  assert.deepEqual(stub.warnings, []);
});

Deno.test("makeStub() tags the TODO with the lesson name", () => {
  const stub = makeStub(LINEAR, { file: "scale.ts", tag: "my_lesson" });
  assert.match(stub.text, /\/\/ TODO\(my_lesson\): compute output/);
});

Deno.test("makeStub() names the task after the enclosing declaration", async (t) => {
  await t.step("a top-level function (the optimizers)", () => {
    const stub = makeStub(
      src(
        'import type { Tensor } from "../lib/tensor.ts";',
        "",
        "export function step(variables: Tensor[][], config: { learningRate: number }): void {",
        "  const n = variables.length;",
        "  if (n === 0) return;",
        "  // BEGIN SOLUTION: x −= learningRate·g",
        "  for (const list of variables) for (const x of list) x.mulInPlace(config.learningRate);",
        "  // END SOLUTION",
        "}",
      ),
      { file: "step.ts" },
    );
    assert.deepEqual(stub.tasks.map((x) => x.task), ["step"]);
    assert.match(stub.text, /^ {2}void config; \/\/ unused until you write this/m);
    assert.doesNotMatch(stub.text, /void \[?variables/, "variables is still used by the given code");
  });

  await t.step("a method, through an arrow function inside it", () => {
    const stub = makeStub(
      src(
        "export class A {",
        "  run(xs: number[]): number[] {",
        "    return xs.map((x) => {",
        "      // BEGIN SOLUTION: double x",
        "      return 2 * x;",
        "      // END SOLUTION",
        "    });",
        "  }",
        "}",
      ),
      { file: "a.ts" },
    );
    assert.deepEqual(stub.tasks.map((x) => x.task), ["A.run"]);
    assert.match(stub.text, /^ {6}void x;/m);
  });

  await t.step("a method whose return type is an object type", () => {
    const stub = makeStub(
      src(
        "export class A {",
        "  stats(xs: number[]): { mean: number; count: number } {",
        "    // BEGIN SOLUTION: the mean and the count",
        "    return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, count: xs.length };",
        "    // END SOLUTION",
        "  }",
        "}",
      ),
      { file: "a.ts" },
    );
    assert.deepEqual(stub.tasks.map((x) => x.task), ["A.stats"]);
    assert.match(stub.text, /^ {4}void xs;/m);
  });

  await t.step("a private helper function", () => {
    const stub = makeStub(
      src(
        "export class A {",
        "  run(x: number): number {",
        "    return _helper(x);",
        "  }",
        "}",
        "",
        "function _helper(x: number): number {",
        "  // BEGIN SOLUTION: double x",
        "  return 2 * x;",
        "  // END SOLUTION",
        "}",
      ),
      { file: "a.ts" },
    );
    assert.deepEqual(stub.tasks.map((x) => x.task), ["_helper"]);
  });
});

Deno.test("makeStub() drops the lines that end in // solution-only", () => {
  const stub = makeStub(
    src(
      'import { Module } from "../lib/module.ts";',
      'import { random } from "../lib/random.ts"; // solution-only',
      "",
      "export class Noise extends Module {",
      "  scale = 1; // solution-only",
      "  level(): number {",
      "    // BEGIN SOLUTION: a random level",
      "    return random() * this.scale;",
      "    // END SOLUTION",
      "  }",
      "}",
    ),
    { file: "noise.ts" },
  );
  assert.equal(
    stub.text,
    src(
      'import { Module, NotImplementedError } from "../lib/module.ts";',
      "",
      "export class Noise extends Module {",
      "  level(): number {",
      "    // TODO(noise): a random level",
      '    throw new NotImplementedError("Noise.level");',
      "  }",
      "}",
    ),
  );
});

Deno.test("makeStub() imports NotImplementedError from lib/module.ts", async (t) => {
  const body = [
    "export function f(x: number): number {",
    "  // BEGIN SOLUTION: return x",
    "  return x;",
    "  // END SOLUTION",
    "}",
  ];
  const stubOf = (file: string, ...head: string[]) => makeStub(src(...head, ...body), { file }).text;

  await t.step("merged into a value import", () => {
    assert.match(
      stubOf(
        "f.ts",
        'import { Criterion, Module } from "../lib/module.ts";',
        "void [Criterion, Module];",
        "",
      ),
      /^import \{ Criterion, Module, NotImplementedError \} from "\.\.\/lib\/module\.ts";$/m,
    );
  });

  await t.step("merged into a type-only import, which becomes a value import", () => {
    assert.match(
      stubOf(
        "f.ts",
        'import type { Parameters } from "../lib/module.ts";',
        "export type P = Parameters;",
        "",
      ),
      /^import \{ NotImplementedError, type Parameters \} from "\.\.\/lib\/module\.ts";$/m,
    );
  });

  await t.step("added after the last import when lib/module.ts is not imported", () => {
    const text = stubOf(
      "f.ts",
      'import { Tensor } from "../lib/tensor.ts";',
      "export const t = Tensor.ones([1]);",
      "",
    );
    assert.ok(
      text.startsWith(
        'import { Tensor } from "../lib/tensor.ts";\nimport { NotImplementedError } from "../lib/module.ts";\n',
      ),
      text,
    );
  });

  await t.step("added after the module doc when there is no import", () => {
    assert.ok(
      stubOf("f.ts", "/** Doc. @module */", "").startsWith(
        '/** Doc. @module */\n\nimport { NotImplementedError } from "../lib/module.ts";\n\nexport function f(',
      ),
    );
  });

  await t.step("with the path of a file in a subfolder", () => {
    assert.match(
      stubOf("sub/f.ts"),
      /^import \{ NotImplementedError \} from "\.\.\/\.\.\/lib\/module\.ts";$/m,
    );
  });

  await t.step("not twice", () => {
    const text = stubOf("f.ts", 'import { NotImplementedError } from "../lib/module.ts";', "");
    assert.equal(text.match(/NotImplementedError \}/g)?.length, 1);
  });

  await t.step("on several lines when one line would be too long", () => {
    const long = Array.from({ length: 8 }, (_, i) => `LongExportedName${i}`);
    const text = stubOf(
      "f.ts",
      `import {\n${long.map((n) => `  ${n},\n`).join("")}} from "../lib/module.ts";`,
      `void [${long.join(", ")}];`,
      "",
    );
    assert.match(
      text,
      /^ {2}LongExportedName7,\n {2}NotImplementedError,\n\} from "\.\.\/lib\/module\.ts";$/m,
    );
  });
});

Deno.test("makeStub() drops imports that only the solution used", async (t) => {
  const stub = makeStub(
    src(
      'import { Tensor } from "../lib/tensor.ts";',
      'import { fillUniform, random } from "../lib/random.ts";',
      'import { Module } from "../lib/module.ts";',
      'import * as extra from "./_extra.ts";',
      'import "./_side_effect.ts";',
      "",
      "export class Draw extends Module {",
      "  size(): number {",
      "    return random();",
      "  }",
      "  draw(): Tensor {",
      "    // BEGIN SOLUTION: draw",
      "    return new Tensor(fillUniform(new Float64Array(extra.n)), [extra.n]);",
      "    // END SOLUTION",
      "  }",
      "}",
    ),
    { file: "draw.ts" },
  );
  await t.step("a specifier, keeping the others", () => {
    assert.match(stub.text, /^import \{ random \} from "\.\.\/lib\/random\.ts";$/m);
  });
  await t.step("a whole statement", () => assert.doesNotMatch(stub.text, /_extra/));
  await t.step("but not a name still used as a type", () => {
    assert.match(stub.text, /^import \{ Tensor \} from "\.\.\/lib\/tensor\.ts";$/m);
  });
  await t.step(
    "nor a side-effect import",
    () => assert.match(stub.text, /^import "\.\/_side_effect\.ts";$/m),
  );
});

Deno.test("makeStub() keeps the names the student needs, in a void line when only the solution used them", async (t) => {
  await t.step("several parameters", () => {
    const stub = makeStub(
      src(
        "export class A {",
        "  f(input: number, gradOutput: number, _unused: number): number {",
        "    // BEGIN SOLUTION",
        "    return input * gradOutput;",
        "    // END SOLUTION",
        "  }",
        "}",
      ),
      { file: "a.ts" },
    );
    assert.match(stub.text, /^ {2}f\(input: number, gradOutput: number, _unused: number\): number \{$/m);
    assert.match(stub.text, /^ {4}void \[input, gradOutput\]; \/\/ unused until you write this/m);
  });

  await t.step("constants declared before the block, even when an arrow parameter has the same name", () => {
    const stub = makeStub(
      src(
        "export function f(xs: number[]): number {",
        "  const v = xs.filter((v) => v > 0);",
        "  const lr = xs.length;",
        "  // BEGIN SOLUTION",
        "  return v.length * lr;",
        "  // END SOLUTION",
        "}",
      ),
      { file: "f.ts" },
    );
    assert.match(stub.text, /^ {2}void \[v, lr\];/m);
  });

  await t.step("on several lines when one line would be too long", () => {
    const names = Array.from({ length: 8 }, (_, i) => `parameterNumber${i}`);
    const stub = makeStub(
      src(
        `export function f(${names.map((n) => `${n}: number`).join(", ")}): number {`,
        "  // BEGIN SOLUTION",
        `  return ${names.join(" + ")};`,
        "  // END SOLUTION",
        "}",
      ),
      { file: "f.ts" },
    );
    assert.match(
      stub.text,
      /^ {2}\/\/ unused until you write this: delete these lines with the throw\n {2}void \[\n {4}parameterNumber0,\n/m,
    );
  });
});

Deno.test("makeStub() wraps a throw too long for one line", () => {
  const name = "A".repeat(60);
  const stub = makeStub(
    src(
      `export class ${name} {`,
      `  ${"m".repeat(40)}(): void {`,
      "    // BEGIN SOLUTION",
      "    // END SOLUTION",
      "  }",
      "}",
    ),
    { file: "a.ts" },
  );
  assert.match(
    stub.text,
    new RegExp(`^ {4}throw new NotImplementedError\\(\\n {6}"${name}\\.m+",\\n {4}\\);$`, "m"),
  );
});

Deno.test("makeStub() copies a file without markers verbatim", () => {
  const source = src(
    "/** Doc with `// BEGIN SOLUTION` in a comment block. */",
    "export const x = 1; // a comment",
  );
  assert.deepEqual(makeStub(source, { file: "x.ts" }), { text: source, tasks: [], warnings: [] });
});

Deno.test("makeStub() is not fooled by strings, templates, regexes and comments", () => {
  const stub = makeStub(
    src(
      "export class A {",
      "  f(s: string): string {",
      '    const a = "{ // BEGIN SOLUTION";',
      "    const b = `${s.replace(/[{}]/g, '')} }`; /* { */",
      "    // BEGIN SOLUTION",
      "    return a + b;",
      "    // END SOLUTION",
      "  }",
      "}",
    ),
    { file: "a.ts" },
  );
  assert.deepEqual(stub.tasks.map((x) => x.task), ["A.f"]);
  assert.match(stub.text, /^ {4}void \[a, b\];/m);
});

Deno.test("makeStub() rejects what a stub could not survive, naming the file and line", async (t) => {
  const method = (...body: string[]) =>
    src("export class A {", "  f(x: number): number {", ...body, "  }", "}");
  await t.step("END without BEGIN", () => {
    assertMarkerError(
      () => makeStub(method("    // END SOLUTION"), { file: "a.ts" }),
      "a.ts",
      3,
      /without a BEGIN/,
    );
  });
  await t.step("BEGIN never closed", () => {
    assertMarkerError(
      () => makeStub(method("    // BEGIN SOLUTION", "    return x;"), { file: "a.ts" }),
      "a.ts",
      3,
      /not closed/,
    );
  });
  await t.step("nested blocks", () => {
    assertMarkerError(
      () =>
        makeStub(method("    // BEGIN SOLUTION", "    // BEGIN SOLUTION", "    return x;"), { file: "a.ts" }),
      "a.ts",
      4,
      /nested BEGIN SOLUTION: the block opened at line 3/,
    );
  });
  await t.step("a marker after code on the same line", () => {
    assertMarkerError(
      () => makeStub(method("    return x; // BEGIN SOLUTION", "    // END SOLUTION"), { file: "a.ts" }),
      "a.ts",
      3,
      /malformed BEGIN SOLUTION marker/,
    );
  });
  await t.step("a block in a class body", () => {
    assertMarkerError(
      () =>
        makeStub(src("export class A {", "  // BEGIN SOLUTION", "  x = 1;", "  // END SOLUTION", "}"), {
          file: "a.ts",
        }),
      "a.ts",
      2,
      /outside a function body/,
    );
  });
  await t.step("a block at the top level", () => {
    assertMarkerError(
      () => makeStub(src("// BEGIN SOLUTION", "export const x = 1;", "// END SOLUTION"), { file: "a.ts" }),
      "a.ts",
      1,
      /outside a function body/,
    );
  });
  await t.step("a block that crosses a brace", () => {
    assertMarkerError(
      () =>
        makeStub(
          method(
            "    if (x > 0) {",
            "      // BEGIN SOLUTION",
            "      return x;",
            "    }",
            "    // END SOLUTION",
            "    return 0;",
          ),
          { file: "a.ts" },
        ),
      "a.ts",
      4,
      /crosses a bracket/,
    );
  });
  await t.step("code after the block in the same body", () => {
    assertMarkerError(
      () =>
        makeStub(method("    // BEGIN SOLUTION", "    x += 1;", "    // END SOLUTION", "    return x;"), {
          file: "a.ts",
        }),
      "a.ts",
      6,
      /unreachable/,
    );
  });
  await t.step("two blocks in a row in the same body", () => {
    assertMarkerError(
      () =>
        makeStub(
          method(
            "    // BEGIN SOLUTION",
            "    x += 1;",
            "    // END SOLUTION",
            "    // BEGIN SOLUTION",
            "    return x;",
            "    // END SOLUTION",
          ),
          { file: "a.ts" },
        ),
      "a.ts",
      6,
      /unreachable/,
    );
  });
  await t.step("a let only reassigned inside the block", () => {
    assertMarkerError(
      () =>
        makeStub(
          method(
            "    let y = x;",
            "    // BEGIN SOLUTION",
            "    y += 1;",
            "    return y;",
            "    // END SOLUTION",
          ),
          { file: "a.ts" },
        ),
      "a.ts",
      3,
      /"y" is declared outside the SOLUTION block but only used inside it/,
    );
    assertMarkerError(
      () =>
        makeStub(
          method(
            "    let y = x;",
            "    if (y > 0) {",
            "      // BEGIN SOLUTION",
            "      y = 2;",
            "      // END SOLUTION",
            "    }",
            "    return y;",
          ),
          { file: "a.ts" },
        ),
      "a.ts",
      3,
      /"y" is only reassigned inside a SOLUTION block.*prefer-const/,
    );
  });
  await t.step("a helper without a leading _ that only the solution uses", () => {
    assertMarkerError(
      () =>
        makeStub(
          src(
            "function helper(): number {",
            "  return 1;",
            "}",
            ...method("    // BEGIN SOLUTION", "    return helper();", "    // END SOLUTION").split("\n"),
          ),
          { file: "a.ts" },
        ),
      "a.ts",
      1,
      /"helper" is only used inside SOLUTION blocks/,
    );
  });
});

Deno.test("makeStub() warns when a _ helper that only the solution uses is given whole", () => {
  const stub = makeStub(
    src(
      "export class A {",
      "  f(): number {",
      "    // BEGIN SOLUTION",
      "    return _secret();",
      "    // END SOLUTION",
      "  }",
      "}",
      "",
      "function _secret(): number {",
      "  return 42;",
      "}",
    ),
    { file: "a.ts" },
  );
  assert.equal(stub.warnings.length, 1);
  assert.match(
    stub.warnings[0],
    /^a\.ts:9: "_secret" is only used inside SOLUTION blocks yet the stub gives it whole/,
  );
});

/** A synthetic solutions tree: a stubbed lesson, a worked example, mod.ts, a test, and a helper. */
async function writeTree(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/solutions`, { recursive: true });
  const files: Record<string, string> = {
    "twice.ts": src(
      "/**",
      " * Doubles.",
      " *",
      " * @example",
      " * ```ts",
      ' * import { Twice } from "./twice.ts";',
      " * console.assert(new Twice().double(2) === 4);",
      " * ```",
      " *",
      " * @module",
      " */",
      "",
      'import { check } from "./_check.ts";',
      'import type { Parameters } from "../lib/module.ts";',
      'import { random } from "../lib/random.ts";',
      'import { Tensor } from "../lib/tensor.ts";',
      "",
      "/** Doubles numbers. */",
      "export class Twice {",
      "  /** No parameters. */",
      "  params: Parameters = [];",
      "",
      "  /** 2x. */",
      "  double(x: number): number {",
      '    check(typeof x === "number");',
      "    // BEGIN SOLUTION: return 2x",
      "    return 2 * x;",
      "    // END SOLUTION",
      "  }",
      "",
      "  /** x + noise, elementwise. */",
      "  noisy(x: Tensor, scale: number): Tensor {",
      "    const size = x.size;",
      "    // BEGIN SOLUTION: add scale·random() to each element",
      "    const noise = new Float64Array(size).map(() => scale * random());",
      "    return x.add(new Tensor(noise, [...x.shape]));",
      "    // END SOLUTION",
      "  }",
      "}",
    ),
    "given.ts": src(
      "/**",
      " * Given.",
      " *",
      " * @example",
      " * ```ts",
      ' * import { one } from "./given.ts";',
      " * console.assert(one() === 1);",
      " * ```",
      " *",
      " * @module",
      " */",
      "",
      "/** One. */",
      "export function one(): number {",
      "  return 1;",
      "}",
    ),
    "_check.ts": src(
      "/** Check. @module */",
      "",
      "/** Throws unless ok. */",
      "export function check(ok: boolean): void {",
      '  if (!ok) throw new TypeError("bad");',
      "}",
    ),
    "mod.ts": src(
      "/**",
      " * Everything.",
      " *",
      " * @example",
      " * ```ts",
      ' * import { one, Twice } from "./mod.ts";',
      " * console.assert(new Twice().double(one()) === 2);",
      " * ```",
      " *",
      " * @module",
      " */",
      "",
      'export { Twice } from "./twice.ts";',
      'export { one } from "./given.ts";',
    ),
    "twice_test.ts": src('Deno.test("twice", () => {});'),
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/solutions/${path}`, text);
  }
  await Deno.symlink(`${ROOT}/lib`, `${dir}/lib`);
  await Deno.copyFile(`${ROOT}/deno.json`, `${dir}/deno.json`);
}

Deno.test("buildLessons() builds the whole tree", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "make_lessons_test_" });
  try {
    await writeTree(dir);
    const files = await buildLessons(`${dir}/solutions`);
    const byPath = new Map(files.map((f) => [f.path, f]));

    await t.step("leaving out the tests", () => {
      assert.deepEqual([...byPath.keys()], ["_check.ts", "given.ts", "mod.ts", "twice.ts"]);
    });

    await t.step("marking ignore only the examples that reach a stub", () => {
      assert.match(byPath.get("twice.ts")!.text, /^ \* ```ts ignore$/m);
      assert.match(byPath.get("mod.ts")!.text, /^ \* ```ts ignore$/m, "mod.ts re-exports the stub");
      assert.match(byPath.get("given.ts")!.text, /^ \* ```ts$/m);
      assert.equal(byPath.get("given.ts")!.text, files.find((f) => f.path === "given.ts")!.text);
    });

    await t.step("so that the stubs type-check, lint, format and pass their doc tests", async () => {
      await main(["--solutions", `${dir}/solutions`, "--out", `${dir}/lessons`]);
      for (
        const args of [["check", "lessons"], ["lint", "lessons"], ["fmt", "--check", "lessons"], [
          "test",
          "--doc",
          "lessons",
        ]]
      ) {
        const { code, output } = await deno(dir, ...args);
        assert.equal(code, 0, `deno ${args.join(" ")} failed:\n${output}`);
      }
    });

    await t.step("and compareLessons() finds what differs", async () => {
      assert.deepEqual(await compareLessons(files, `${dir}/lessons`), []);
      await Deno.writeTextFile(`${dir}/lessons/given.ts`, "// edited\n");
      await Deno.remove(`${dir}/lessons/twice.ts`);
      await Deno.writeTextFile(`${dir}/lessons/old.ts`, "// a lesson that no longer exists\n");
      await Deno.writeTextFile(`${dir}/lessons/mine_test.ts`, "// a test of the student's\n");
      assert.deepEqual(await compareLessons(files, `${dir}/lessons`), [
        { path: "given.ts", problem: "differs" },
        { path: "twice.ts", problem: "missing" },
        { path: "old.ts", problem: "stale" },
      ]);
    });

    await t.step("main --check exits 1 and writes nothing; without it, it rewrites", async () => {
      assert.equal(await main(["--check", "--solutions", `${dir}/solutions`, "--out", `${dir}/lessons`]), 1);
      assert.equal(await Deno.readTextFile(`${dir}/lessons/given.ts`), "// edited\n");
      assert.equal(await main(["--solutions", `${dir}/solutions`, "--out", `${dir}/lessons`]), 0);
      assert.equal(await main(["--check", "--solutions", `${dir}/solutions`, "--out", `${dir}/lessons`]), 0);
      assert.deepEqual(await compareLessons(files, `${dir}/lessons`), []);
      assert.ok((await Deno.stat(`${dir}/lessons/mine_test.ts`)).isFile, "a test in lessons/ is left alone");
    });

    await t.step("main reports a marker error and writes nothing", async () => {
      await Deno.writeTextFile(
        `${dir}/solutions/broken.ts`,
        src("export function f(): void {", "  // END SOLUTION", "}"),
      );
      assert.equal(await main(["--solutions", `${dir}/solutions`, "--out", `${dir}/other`]), 1);
      await assert.rejects(() => Deno.stat(`${dir}/other`), Deno.errors.NotFound);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// The real tree: lessons/ from solutions/.

const SOLUTIONS = `${ROOT}/solutions`;
const LESSONS_DIR = `${ROOT}/lessons`;

Deno.test("lessons/ is what make-lessons generates from solutions/", async () => {
  const problems = await compareLessons(await buildLessons(SOLUTIONS), LESSONS_DIR);
  assert.deepEqual(problems, [], "run `deno task make-lessons` and commit lessons/");
});

Deno.test("the manifest agrees with the markers: worked examples have none, the other lessons have some", async () => {
  assert.deepEqual(manifestWarnings(await buildLessons(SOLUTIONS)), []);
});

Deno.test("every stub in lessons/ type-checks, lints and is formatted", async () => {
  const ts = [...Deno.readDirSync(LESSONS_DIR)].filter((e) => e.name.endsWith(".ts")).map((e) =>
    `lessons/${e.name}`
  );
  for (const args of [["check", ...ts], ["lint", ...ts], ["fmt", "--check", ...ts]]) {
    const { code, output } = await deno(ROOT, ...args);
    assert.equal(code, 0, `deno ${args[0]} failed on lessons/:\n${output}`);
  }
});

/** How to build each module of the kit for a smoke call: constructor arguments and an input shape. */
const BUILD: Record<string, { args: unknown[]; input: number[] }> = {
  Linear: { args: [3, 2], input: [4, 3] },
  ChannelwiseScaling: { args: [3], input: [4, 3] },
  BatchNormalization: { args: [0.1], input: [4, 3] },
  Dropout: { args: [0.5], input: [4, 3] },
  Conv2d: { args: [2, 3, 3], input: [2, 2, 4, 4] },
  MaxPool2d: { args: [2], input: [2, 2, 4, 4] },
  Flatten: { args: [], input: [2, 2, 3] },
};

/** A [4, 3] input of probabilities and a one-hot target, for the criterions. */
function criterionData(): { input: Tensor; target: Tensor } {
  const input = Tensor.from([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]]);
  const target = Tensor.from([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  return { input, target };
}

Deno.test("each lesson's stub throws NotImplementedError naming the task", async (t) => {
  const SEED = 20240611;
  const files = new Map((await buildLessons(SOLUTIONS)).map((f) => [f.path, f]));
  const lessons = await import(`${ROOT}/lessons/mod.ts`) as Record<string, unknown>;
  const solutions = await import(`${ROOT}/solutions/mod.ts`) as Record<string, unknown>;
  const { ReLU } = lessons as { ReLU: new () => Module };

  for (const lesson of LESSONS.filter((l) => !l.given)) {
    const file = files.get(lesson.file);
    await t.step(`${lesson.name} (seed ${SEED})`, () => {
      assert.ok(file, `${lesson.file} is missing from solutions/`);
      assert.ok(file.tasks.length > 0, `${lesson.file} has no SOLUTION markers`);
      const text = Deno.readTextFileSync(`${LESSONS_DIR}/${lesson.file}`);
      assert.equal(text.match(new RegExp(`// TODO\\(${lesson.name}\\): `, "g"))?.length, file.tasks.length);
      for (const { task } of file.tasks) {
        const [owner, method] = task.includes(".") ? task.split(".") : [task, ""];
        if (!lesson.exports.includes(owner)) {
          // A private helper (Conv2d's _im2col): reached through the methods, not callable on its own.
          assert.ok(owner.startsWith("_"), `task ${task} of ${lesson.file} is neither exported nor private`);
          continue;
        }
        seed(SEED);
        const call = (): unknown => {
          const Stub = lessons[owner];
          if (!method) {
            const x = Tensor.from([1, -2]);
            const config = { learningRate: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
            return (Stub as (...a: unknown[]) => void)([[x]], [[Tensor.from([0.5, 0.5])]], config, {});
          }
          const Ref = solutions[owner] as new (...a: unknown[]) => Module | Criterion;
          const { args, input: shape } = BUILD[owner] ?? { args: [], input: [4, 3] };
          const stub = new (Stub as new (...a: unknown[]) => Module | Criterion)(...args);
          if (stub instanceof Criterion) {
            const { input, target } = criterionData();
            return (stub as unknown as Record<string, (a: Tensor, b: Tensor) => unknown>)[method](
              input,
              target,
            );
          }
          if (owner === "Sequential") (stub as unknown as { add(m: Module): void }).add(new ReLU());
          const input = Tensor.normal(shape);
          const ref = new Ref(...args) as Module;
          if (owner === "Sequential") (ref as unknown as { add(m: Module): void }).add(new ReLU());
          const gradOutput = Tensor.normal([...ref.forward(input).shape]);
          return (stub as unknown as Record<string, (a: Tensor, b?: Tensor) => unknown>)[method](
            input,
            gradOutput,
          );
        };
        assert.throws(call, (e: unknown) => {
          assert.ok(e instanceof NotImplementedError, `${task}: expected NotImplementedError, got ${e}`);
          assert.equal(e.task, task);
          return true;
        });
      }
    });
  }
});

Deno.test("the worked examples in lessons/ work", async (t) => {
  const kit = await import(`${ROOT}/lessons/mod.ts`);

  await t.step("ReLU", () => {
    const relu = new kit.ReLU();
    const x = Tensor.from([[-1.5, 0, 2], [3, -0.5, 0.25]]);
    assert.deepEqual(relu.forward(x).toArray(), [[0, 0, 2], [3, 0, 0.25]]);
    assert.deepEqual(relu.backward(x, Tensor.from([[1, 2, 3], [4, 5, 6]])).toArray(), [[0, 0, 3], [4, 0, 6]]);
  });

  await t.step("ChannelwiseScaling, accumulating its gradients", () => {
    const layer = new kit.ChannelwiseScaling(3);
    layer.gamma.copyInPlace(Tensor.from([1, 2, 3]));
    layer.beta.copyInPlace(Tensor.from([0, 1, 0]));
    const x = Tensor.from([[1, 1, 1], [2, 2, 2]]);
    assert.deepEqual(layer.forward(x).toArray(), [[1, 3, 3], [2, 5, 6]]);
    assert.deepEqual(layer.backward(x, Tensor.ones([2, 3])).toArray(), [[1, 2, 3], [1, 2, 3]]);
    layer.backward(x, Tensor.ones([2, 3]));
    assert.deepEqual(layer.gradGamma.toArray(), [6, 6, 6]);
    assert.deepEqual(layer.gradBeta.toArray(), [4, 4, 4]);
  });

  await t.step("MSECriterion, dividing by the batch size only", () => {
    const mse = new kit.MSECriterion();
    const input = Tensor.from([[1, 2], [3, 4]]);
    const target = Tensor.from([[1, 0], [0, 0]]);
    assert.equal(mse.forward(input, target), (0 + 4 + 9 + 16) / 2);
    assert.deepEqual(mse.backward(input, target).toArray(), [[0, 2], [3, 4]]);
  });

  await t.step("sgdMomentum, with the learning rate inside the velocity", () => {
    const x = Tensor.from([1, 2]);
    const state = {};
    kit.sgdMomentum([[x]], [[Tensor.from([1, 1])]], { learningRate: 0.1, momentum: 0.5 }, state);
    assert.ok(x.allClose(Tensor.from([0.9, 1.9])));
    kit.sgdMomentum([[x]], [[Tensor.from([1, 1])]], { learningRate: 0.1, momentum: 0.5 }, state);
    assert.ok(x.allClose(Tensor.from([0.75, 1.75])), `x = ${x}`);
  });

  await t.step("Flatten", () => {
    const flatten = new kit.Flatten();
    const x = Tensor.arange(12).reshape([2, 3, 2]);
    assert.deepEqual(flatten.forward(x).toArray(), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]);
    assert.deepEqual(flatten.backward(x, Tensor.arange(12).reshape([2, 6])).shape, [2, 3, 2]);
  });
});
