import assert from "node:assert/strict";
import { lastResetLesson, resetLesson, undoReset } from "./reset.ts";

Deno.test("resetLesson() and undoReset() keep every version of the student's file", async (t) => {
  const root = await Deno.makeTempDir();
  const file = `${root}/lessons/linear.ts`;
  try {
    await Deno.mkdir(`${root}/lessons`);
    await Deno.mkdir(`${root}/workflow/stubs`, { recursive: true });
    await Deno.writeTextFile(`${root}/workflow/stubs/linear.ts`, "// stub\n");
    await t.step("a reset of the stub itself does nothing", async () => {
      await Deno.writeTextFile(file, "// stub\n");
      assert.equal(await resetLesson(root, "linear.ts", "linear"), undefined);
    });
    await t.step("two resets stack two backups; two undos bring them back newest first", async () => {
      await Deno.writeTextFile(file, "// attempt 1\n");
      await resetLesson(root, "linear.ts", "linear");
      assert.equal(await Deno.readTextFile(file), "// stub\n");
      await Deno.writeTextFile(file, "// attempt 2\n");
      await resetLesson(root, "linear.ts", "linear");
      assert.equal(await lastResetLesson(root), "linear");
      await undoReset(root, "linear", "linear.ts");
      assert.equal(await Deno.readTextFile(file), "// attempt 2\n");
      await undoReset(root, "linear", "linear.ts");
      assert.equal(await Deno.readTextFile(file), "// attempt 1\n");
      await assert.rejects(undoReset(root, "linear", "linear.ts"), /No backup of linear/);
    });
    await t.step("a deleted lesson file is restored without a backup", async () => {
      await Deno.remove(file);
      assert.equal(await resetLesson(root, "linear.ts", "linear"), undefined);
      assert.equal(await Deno.readTextFile(file), "// stub\n");
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task reset asks first and does nothing on no", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/lessons`);
    await Deno.mkdir(`${root}/workflow/stubs`, { recursive: true });
    await Deno.writeTextFile(`${root}/workflow/stubs/linear.ts`, "// stub\n");
    await Deno.writeTextFile(`${root}/lessons/linear.ts`, "// mine\n");
    const run = async (args: string[], input: string) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("./reset.ts", import.meta.url).pathname, ...args],
        cwd: root,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(input));
      await w.close();
      const out = await child.output();
      return {
        code: out.code,
        text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
      };
    };
    const no = await run(["linear"], "n\n");
    assert.equal(no.code, 1);
    assert.match(no.text, /Nothing changed/);
    assert.equal(await Deno.readTextFile(`${root}/lessons/linear.ts`), "// mine\n");
    const yes = await run(["linear"], "y\n");
    assert.equal(yes.code, 0, yes.text);
    assert.equal(await Deno.readTextFile(`${root}/lessons/linear.ts`), "// stub\n");
    const undo = await run(["--undo"], "");
    assert.equal(undo.code, 0, undo.text);
    assert.equal(await Deno.readTextFile(`${root}/lessons/linear.ts`), "// mine\n");
    assert.equal((await run(["lineer"], "")).code, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
