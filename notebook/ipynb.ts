/**
 * The Jupyter notebook format (nbformat 4) as far as the kit reads and writes
 * it, and the kit's cell tags. A cell's tags are in `metadata.tags`, the
 * place JupyterLab, Jupyter Notebook and VS Code show and edit them:
 *
 * | tag                        | cell                                                              |
 * | -------------------------- | ----------------------------------------------------------------- |
 * | `gradlings:lesson=<name>`  | a lesson's code (the stub a student completes); graded            |
 * | `gradlings:check=<name>`   | the check of that lesson (`await check("linear", Linear)`)        |
 * | `gradlings:setup`          | the kit's imports at the top                                      |
 * | `gradlings:capstone`       | the MNIST capstone's code                                         |
 *
 * Only `gradlings:lesson=…` cells (and the helper code they use, see
 * `notebook/extract.ts`) are graded; the other kit cells are never read for
 * grading, so editing them changes no grade.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellSource, codeCell, lessonTag, parseNotebook, tagsOf } from "./ipynb.ts";
 * const cell = codeCell("lesson-linear", "export class Linear {}\n", [lessonTag("linear")]);
 * assert.deepEqual(cell.source, ["export class Linear {}"]);
 * const nb = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell] }), "x.ipynb");
 * assert.equal(cellSource(nb.cells[0]), "export class Linear {}");
 * assert.deepEqual(tagsOf(nb.cells[0]), ["gradlings:lesson=linear"]);
 * ```
 *
 * @module
 */

/** One cell. */
export interface Cell {
  /** `code`, `markdown` or `raw`. */
  cell_type: string;
  /** nbformat 4.5 cell id. */
  id?: string;
  /** Lines (each ending in `\n` but the last) or one string. */
  source: string | string[];
  /** `tags` and anything else a front-end keeps. */
  metadata: { tags?: string[]; [key: string]: unknown };
  /** Code cells: outputs. */
  outputs?: unknown[];
  /** Code cells: the execution count. */
  execution_count?: number | null;
}

/** A notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** The prefix of every kit tag. */
export const TAG_PREFIX = "gradlings:";
/** The tag of the kit's setup cell. */
export const SETUP_TAG = "gradlings:setup";
/** The tag of the capstone's cells. */
export const CAPSTONE_TAG = "gradlings:capstone";

/** The tag of a lesson's code cell. */
export function lessonTag(lesson: string): string {
  return `${TAG_PREFIX}lesson=${lesson}`;
}

/** The tag of a lesson's check cell. */
export function checkTag(lesson: string): string {
  return `${TAG_PREFIX}check=${lesson}`;
}

/** A notebook that cannot be read: the message says what was expected and what was found. */
export class NotebookError extends Error {
  /** @param message what is wrong, naming the file */
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

/** A cell's text. */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** A cell's tags (an empty list when it has none or they are malformed). */
export function tagsOf(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** Jupyter's lines: each ends in `\n` but the last, which has none. */
function _lines(text: string): string[] {
  const body = text.replace(/\n$/, "");
  return body === "" ? [] : body.split(/(?<=\n)/);
}

/** A code cell with no outputs. */
export function codeCell(id: string, source: string, tags: string[] = []): Cell {
  return {
    cell_type: "code",
    execution_count: null,
    id,
    metadata: tags.length > 0 ? { tags } : {},
    outputs: [],
    source: _lines(source),
  };
}

/** A markdown cell. */
export function markdownCell(id: string, source: string): Cell {
  return { cell_type: "markdown", id, metadata: {}, source: _lines(source) };
}

/** The notebook metadata of the Deno kernel (as `deno jupyter --install` names it). */
export const DENO_METADATA: Record<string, unknown> = {
  kernelspec: { display_name: "Deno", language: "typescript", name: "deno" },
  language_info: {
    codemirror_mode: "typescript",
    file_extension: ".ts",
    mimetype: "text/x.typescript",
    name: "typescript",
    nbconvert_exporter: "script",
    pygments_lexer: "typescript",
  },
};

/** The text of a notebook file, as Jupyter writes it (one-space indent, keys in insertion order). */
export function formatNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/**
 * Reads a notebook's text. Throws {@linkcode NotebookError} naming `file`
 * for text that is not JSON, or JSON that is not an nbformat 4 notebook.
 */
export function parseNotebook(text: string, file: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(
      `${file} is not a notebook: expected the JSON of a .ipynb file, but it does not parse (${
        (e as Error).message
      })`,
    );
  }
  const nb = raw as Partial<Notebook>;
  if (typeof nb !== "object" || nb === null || Array.isArray(nb) || !Array.isArray(nb.cells)) {
    throw new NotebookError(`${file} is not a notebook: expected a JSON object with a "cells" list`);
  }
  if (nb.nbformat !== 4) {
    throw new NotebookError(
      `${file} is not a notebook the kit reads: expected nbformat 4, found ${JSON.stringify(nb.nbformat)}`,
    );
  }
  nb.cells.forEach((c, i) => {
    const ok = typeof c === "object" && c !== null && typeof c.cell_type === "string" &&
      (typeof c.source === "string" ||
        (Array.isArray(c.source) && c.source.every((s) => typeof s === "string")));
    if (!ok) {
      throw new NotebookError(
        `${file}: cell ${i + 1} is malformed: expected a cell_type and a source (text or a list of lines)`,
      );
    }
    if (typeof c.metadata !== "object" || c.metadata === null) c.metadata = {};
  });
  return {
    nbformat: 4,
    nbformat_minor: nb.nbformat_minor ?? 0,
    metadata: nb.metadata ?? {},
    cells: nb.cells,
  };
}
