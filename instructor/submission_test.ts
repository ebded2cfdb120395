import assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import { findLessonsDir, prepareSubmission, SubmissionRejected } from "./submission.ts";
import { codeCell, formatNotebook, lessonTag } from "../notebook/ipynb.ts";

/** A notebook whose cells define `relu` (and, in an untagged cell, its helper). */
function notebookText(marker: string): string {
  const cells = [
    codeCell("a", `const ${marker} = 1;`),
    codeCell("b", `export class ReLU { v = ${marker}; }`, [lessonTag("relu")]),
  ];
  return formatNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}

const LESSON_FILES = ["linear.ts", "relu.ts"];

async function withKit(fn: (root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "gradlings-sub-" });
  try {
    await Deno.mkdir(`${root}/stubs`);
    await Deno.writeTextFile(
      `${root}/stubs/mod.ts`,
      'export * from "./linear.ts";\nexport * from "./relu.ts";\n',
    );
    await Deno.writeTextFile(`${root}/stubs/linear.ts`, "// stub linear\n");
    await Deno.writeTextFile(`${root}/stubs/relu.ts`, "// stub relu\n");
    await Deno.writeTextFile(`${root}/stubs/_check.ts`, "// the kit's input checks\n");
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function rejects(p: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof SubmissionRejected, `expected SubmissionRejected, got ${e}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

Deno.test("prepareSubmission() takes the student's lesson files and the instructor's mod.ts", async (t) => {
  await withKit(async (root) => {
    const opts = { lessonFiles: LESSON_FILES, stubsDir: `${root}/stubs` };
    await t.step("from a folder checkout, ignoring .git and the student's mod.ts", async () => {
      const sub = `${root}/alice`;
      await Deno.mkdir(`${sub}/lessons/helpers`, { recursive: true });
      await Deno.mkdir(`${sub}/.git`);
      await Deno.writeTextFile(`${sub}/.git/config`, "x");
      await Deno.writeTextFile(`${sub}/lessons/linear.ts`, 'import { h } from "./helpers/h.ts";\n// alice\n');
      await Deno.writeTextFile(
        `${sub}/lessons/helpers/h.ts`,
        'import { Tensor } from "../../lib/tensor.ts";\n',
      );
      await Deno.writeTextFile(`${sub}/lessons/mod.ts`, 'export * from "../solutions/mod.ts";\n');
      const out = await prepareSubmission(sub, `${root}/work-alice`, opts);
      const read = (f: string) => Deno.readTextFileSync(`${out.lessonsDir}/${f}`);
      assert.match(read("linear.ts"), /alice/);
      assert.match(read("helpers/h.ts"), /Tensor/);
      assert.equal(read("mod.ts"), Deno.readTextFileSync(`${root}/stubs/mod.ts`));
      assert.equal(read("relu.ts"), "// stub relu\n");
      assert.deepEqual(out.notes, ["missing relu.ts (graded as not started)"]);
      assert.match(out.fingerprint, /^[0-9a-f]{64}$/);
    });
    await t.step(
      "the kit's helpers come from the instructor: when missing, and over an edited copy",
      async () => {
        const carol = `${root}/carol`;
        await Deno.mkdir(`${carol}/lessons`, { recursive: true });
        await Deno.writeTextFile(
          `${carol}/lessons/linear.ts`,
          'import { c } from "./_check.ts";\n// carol\n',
        );
        const out = await prepareSubmission(carol, `${root}/work-carol`, opts);
        assert.equal(Deno.readTextFileSync(`${out.lessonsDir}/_check.ts`), "// the kit's input checks\n");
        const dave = `${root}/dave`;
        await Deno.mkdir(`${dave}/lessons`, { recursive: true });
        await Deno.writeTextFile(`${dave}/lessons/linear.ts`, "// dave\n");
        await Deno.writeTextFile(`${dave}/lessons/_check.ts`, "export const c = 'edited';\n");
        const out2 = await prepareSubmission(dave, `${root}/work-dave`, opts);
        assert.equal(Deno.readTextFileSync(`${out2.lessonsDir}/_check.ts`), "// the kit's input checks\n");
      },
    );
    await t.step("from a zip with a wrapping folder; same files give the same fingerprint", async () => {
      const files = {
        "bob/lessons/linear.ts": strToU8("// bob\n"),
        "bob/lessons/relu.ts": strToU8("// r\n"),
      };
      await Deno.writeFile(`${root}/bob.zip`, zipSync(files));
      await Deno.writeFile(`${root}/bob2.zip`, zipSync(files, { level: 0 }));
      const a = await prepareSubmission(`${root}/bob.zip`, `${root}/work-bob`, opts);
      const b = await prepareSubmission(`${root}/bob2.zip`, `${root}/work-bob2`, opts);
      assert.deepEqual(a.notes, []);
      assert.equal(a.fingerprint, b.fingerprint);
      assert.equal(Deno.readTextFileSync(`${a.lessonsDir}/linear.ts`), "// bob\n");
    });
    await t.step("loose files at the top of a zip (a Gradescope upload)", async () => {
      await Deno.writeFile(`${root}/loose.zip`, zipSync({ "relu.ts": strToU8("// loose\n") }));
      const out = await prepareSubmission(`${root}/loose.zip`, `${root}/work-loose`, opts);
      assert.equal(Deno.readTextFileSync(`${out.lessonsDir}/relu.ts`), "// loose\n");
    });
    await t.step("a wrongly capitalised file is noted, not graded", async () => {
      const zip = zipSync({ "lessons/Linear.ts": strToU8("x"), "lessons/relu.ts": strToU8("y") });
      await Deno.writeFile(`${root}/caps.zip`, zip);
      const out = await prepareSubmission(`${root}/caps.zip`, `${root}/work-caps`, opts);
      assert.deepEqual(out.notes, [
        "missing linear.ts (graded as not started)",
        "lessons/Linear.ts is not graded: the file must be named linear.ts",
      ]);
    });
  });
});

Deno.test("prepareSubmission() refuses broken and hostile submissions with a reason", async (t) => {
  await withKit(async (root) => {
    const opts = { lessonFiles: LESSON_FILES, stubsDir: `${root}/stubs` };
    const sub = async (name: string) => {
      await Deno.mkdir(`${root}/${name}/lessons`, { recursive: true });
      return `${root}/${name}`;
    };
    await t.step("a symlink pointing outside the submission", async () => {
      const s = await sub("link");
      await Deno.symlink("/etc/passwd", `${s}/lessons/linear.ts`);
      await rejects(
        prepareSubmission(s, `${root}/w1`, opts),
        /lessons\/linear.ts is a symlink to a path outside/,
      );
    });
    await t.step("a 1 GB file (sparse, so the test stays fast)", async () => {
      const s = await sub("huge");
      await Deno.writeTextFile(`${s}/lessons/linear.ts`, "x");
      const f = await Deno.open(`${s}/lessons/data.bin`, { write: true, create: true });
      await f.truncate(1 << 30);
      f.close();
      await rejects(
        prepareSubmission(s, `${root}/w2`, opts),
        /lessons\/data.bin is 1.0 GiB, more than the 8.0 MiB/,
      );
    });
    await t.step("no lesson file, with near misses named", async () => {
      const s = await sub("caps");
      await Deno.writeTextFile(`${s}/lessons/RELU.ts`, "x");
      await rejects(
        prepareSubmission(s, `${root}/w3`, opts),
        /no lesson file found.*lessons\/RELU.ts.*case-sensitive/,
      );
    });
    await t.step("a zip that escapes its folder", async () => {
      await Deno.writeFile(`${root}/slip.zip`, zipSync({ "../../linear.ts": strToU8("x") }));
      await rejects(
        prepareSubmission(`${root}/slip.zip`, `${root}/w4`, opts),
        /escapes the submission folder/,
      );
    });
    await t.step(
      "an import of the solutions is copied as written: the grader refuses that lesson",
      async () => {
        const s = await sub("cheat");
        await Deno.writeTextFile(
          `${s}/lessons/linear.ts`,
          'export { Linear } from "../solutions/linear.ts";\n',
        );
        const prepared = await prepareSubmission(s, `${root}/w5`, opts);
        assert.match(await Deno.readTextFile(`${prepared.lessonsDir}/linear.ts`), /solutions/);
      },
    );
    await t.step("something that is neither a folder, a zip nor a notebook", async () => {
      await Deno.writeTextFile(`${root}/notes.txt`, "hi");
      await rejects(
        prepareSubmission(`${root}/notes.txt`, `${root}/w6`, opts),
        /expected a folder, a .zip or a .ipynb file, received .*notes\.txt/,
      );
      await rejects(prepareSubmission(`${root}/absent`, `${root}/w7`, opts), /does not exist/);
    });
  });
});

Deno.test("findLessonsDir() prefers the folder with most lesson files, then lessons/", () => {
  const f = (paths: string[]) => new Map(paths.map((p) => [p, new Uint8Array()]));
  assert.equal(findLessonsDir(f(["old/linear.ts", "lessons/linear.ts"]), LESSON_FILES).dir, "lessons");
  assert.equal(
    findLessonsDir(f(["old/linear.ts", "old/relu.ts", "lessons/linear.ts"]), LESSON_FILES).dir,
    "old",
  );
  assert.equal(findLessonsDir(f(["linear.ts"]), LESSON_FILES).dir, "");
});

Deno.test("prepareSubmission() grades a notebook: the file itself, or in a folder", async (t) => {
  await withKit(async (root) => {
    const opts = { lessonFiles: LESSON_FILES, stubsDir: `${root}/stubs` };
    await t.step("a .ipynb file: its lesson cells, the rest from the stubs", async () => {
      await Deno.writeTextFile(`${root}/bob.ipynb`, notebookText("bobHelper"));
      const out = await prepareSubmission(`${root}/bob.ipynb`, `${root}/w-bob`, opts);
      const relu = Deno.readTextFileSync(`${out.lessonsDir}/relu.ts`);
      assert.match(relu, /const bobHelper = 1;[\s\S]*export class ReLU \{ v = bobHelper; \}/);
      assert.equal(Deno.readTextFileSync(`${out.lessonsDir}/linear.ts`), "// stub linear\n");
      assert.equal(
        Deno.readTextFileSync(`${out.lessonsDir}/mod.ts`),
        Deno.readTextFileSync(`${root}/stubs/mod.ts`),
      );
      assert.deepEqual(out.notes, [
        "graded from the notebook bob.ipynb",
        "missing linear.ts (graded as not started)",
      ]);
    });
    await t.step("a checkout with untouched stubs and Jupyter's autosave beside the notebook", async () => {
      const sub = `${root}/dana`;
      await Deno.mkdir(`${sub}/lessons`, { recursive: true });
      await Deno.mkdir(`${sub}/notebooks/.ipynb_checkpoints`, { recursive: true });
      for (const f of LESSON_FILES) await Deno.copyFile(`${root}/stubs/${f}`, `${sub}/lessons/${f}`);
      await Deno.writeTextFile(`${sub}/notebooks/gradlings.ipynb`, notebookText("danaHelper"));
      await Deno.writeTextFile(
        `${sub}/notebooks/.ipynb_checkpoints/gradlings-checkpoint.ipynb`,
        notebookText("stale"),
      );
      const out = await prepareSubmission(sub, `${root}/w-dana`, opts);
      assert.match(Deno.readTextFileSync(`${out.lessonsDir}/relu.ts`), /danaHelper/);
      assert.equal(out.notes[0], "graded from the notebook notebooks/gradlings.ipynb");
    });
    await t.step("edited lesson files win over a notebook, with a note", async () => {
      const sub = `${root}/erin`;
      await Deno.mkdir(`${sub}/lessons`, { recursive: true });
      await Deno.writeTextFile(`${sub}/lessons/relu.ts`, "// erin's relu\n");
      await Deno.writeTextFile(`${sub}/scratch.ipynb`, notebookText("erinHelper"));
      const out = await prepareSubmission(sub, `${root}/w-erin`, opts);
      assert.equal(Deno.readTextFileSync(`${out.lessonsDir}/relu.ts`), "// erin's relu\n");
      assert.ok(
        out.notes.includes("scratch.ipynb not graded: the edited lesson files were"),
        out.notes.join("; "),
      );
    });
    await t.step("two notebooks with lesson cells, or one that is not JSON, are refused", async () => {
      const sub = `${root}/finn`;
      await Deno.mkdir(sub);
      await Deno.writeTextFile(`${sub}/a.ipynb`, notebookText("a"));
      await Deno.writeTextFile(`${sub}/b.ipynb`, notebookText("b"));
      await rejects(
        prepareSubmission(sub, `${root}/w-finn`, opts),
        /the submission holds 2 notebooks \(a\.ipynb, b\.ipynb\): expected one/,
      );
      await Deno.writeTextFile(`${root}/gil.ipynb`, '{"cells": [');
      await rejects(
        prepareSubmission(`${root}/gil.ipynb`, `${root}/w-gil`, opts),
        /gil\.ipynb is not a notebook: expected the JSON of a \.ipynb file/,
      );
    });
    await t.step(
      "a notebook importing the solutions is extracted as written: the grader refuses that lesson",
      async () => {
        const cells = [
          codeCell("a", 'import { ReLU as R } from "../solutions/relu.ts";\nexport class ReLU extends R {}', [
            lessonTag("relu"),
          ]),
        ];
        await Deno.writeTextFile(
          `${root}/hal.ipynb`,
          formatNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }),
        );
        const prepared = await prepareSubmission(`${root}/hal.ipynb`, `${root}/w-hal`, opts);
        assert.match(await Deno.readTextFile(`${prepared.lessonsDir}/relu.ts`), /solutions\/relu\.ts/);
      },
    );
  });
});
