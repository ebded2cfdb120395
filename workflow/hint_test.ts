import assert from "node:assert/strict";
import { HINT_STATE, parseHints, revealHint } from "./hint.ts";
import { LESSONS } from "../grader/manifest.ts";

Deno.test("revealHint() shows one more hint per call, then stays at the last", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/workflow/hints`, { recursive: true });
    await Deno.writeTextFile(`${root}/workflow/hints/x.md`, "# x\n\n## 1\n\nfirst\n\n## 2\n\nsecond\n");
    assert.deepEqual(await revealHint("x", root), { revealed: ["first"], total: 2, isNew: true });
    assert.deepEqual(await revealHint("x", root), { revealed: ["first", "second"], total: 2, isNew: true });
    assert.deepEqual(await revealHint("x", root), { revealed: ["first", "second"], total: 2, isNew: false });
    await Deno.writeTextFile(`${root}/${HINT_STATE}`, "not json");
    assert.deepEqual((await revealHint("x", root)).revealed, ["first"], "a damaged state starts over");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("every lesson has 3 to 5 hints, none of them code", async () => {
  for (const lesson of LESSONS) {
    const text = await Deno.readTextFile(new URL(`./hints/${lesson.name}.md`, import.meta.url));
    const hints = parseHints(text);
    assert.ok(hints.length >= 3 && hints.length <= 5, `${lesson.name}: ${hints.length} hints`);
    for (const h of hints) {
      assert.doesNotMatch(h, /```/, `${lesson.name}: a hint holds a code block`);
      assert.doesNotMatch(
        h,
        /this\.\w+\s*=[^=]|\breturn\s+[\w.]+\s*;|\b(const|let)\s+\w+\s*=|=>|\bfor\s*\(/,
        `${lesson.name}: a hint reads like code: ${h}`,
      );
    }
  }
});
