import assert from "node:assert/strict";
import { extractIsolated } from "./extract_isolated.ts";
import { codeCell, formatNotebook, lessonTag, NotebookError } from "./ipynb.ts";

/** A notebook whose linear cell is `async (async (… x …))` nested `n` deep (TypeScript's parser: ≈ ×1.75 per level). */
function nested(n: number): string {
  const code = `export const x = ${"async (".repeat(n)}x${")".repeat(n)};\n`;
  return formatNotebook({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [codeCell("a", code, [lessonTag("linear")])],
  });
}

Deno.test("extractIsolated() reads a notebook in a process of its own and returns its lessons", async () => {
  const nb = formatNotebook({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [codeCell("a", "export class ReLU {}\n", [lessonTag("relu")])],
  });
  const e = await extractIsolated(nb, "x.ipynb");
  assert.match(e.files.get("relu") ?? "", /class ReLU/);
});

Deno.test("extractIsolated() refuses brackets nested deeper than anyone writes, at once", async () => {
  const t0 = performance.now();
  await assert.rejects(
    () => extractIsolated(nested(60), "deep.ipynb"),
    NotebookError,
    "nested more than 40 deep",
  );
  assert.ok(performance.now() - t0 < 10_000);
});

Deno.test("extractIsolated() stops a notebook that makes the parser take too long, within its CPU limit", async () => {
  // Nesting 36 passes the nesting limit and would take the parser hours; a 2-second limit ends it.
  const t0 = performance.now();
  await assert.rejects(
    () =>
      extractIsolated(nested(36), "slow.ipynb", undefined, { cpuSeconds: 2, wallMs: 30_000, dataMb: 3072 }),
    NotebookError,
    "took longer than allowed",
  );
  assert.ok(performance.now() - t0 < 20_000, `${performance.now() - t0} ms`);
});
