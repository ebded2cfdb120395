/**
 * The notebook reader's process (`extract_isolated.ts` starts it): a notebook
 * on stdin, `extract_main.ts <name>`; prints one line `@@extract:<json>` with
 * the extraction, or its error.
 *
 * @module
 */

import { MAX_NESTING, maxNesting } from "../grader/sandbox/lexer.ts";
import { extractNotebook } from "./extract.ts";
import { cellSource, NotebookError, parseNotebook } from "./ipynb.ts";

const file = Deno.args[0] ?? "notebook.ipynb";
const text = await new Response(Deno.stdin.readable).text();
try {
  parseNotebook(text, file).cells.forEach((cell, i) => {
    if (cell.cell_type === "code" && maxNesting(cellSource(cell)) > MAX_NESTING) {
      throw new NotebookError(`${file}, cell ${i + 1}: brackets nested more than ${MAX_NESTING} deep`);
    }
  });
  const e = extractNotebook(text, file);
  console.log(`@@extract:${JSON.stringify({ files: [...e.files], notes: e.notes, cells: [...e.cells] })}`);
} catch (e) {
  if (!(e instanceof NotebookError)) throw e;
  console.log(`@@extract:${JSON.stringify({ error: e.message })}`);
}
