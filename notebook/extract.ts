/**
 * Turns a notebook (`.ipynb`) into a lessons folder that the grader grades
 * exactly like files: one `<lesson>.ts` per lesson, made of the code the
 * notebook defines for it, with the kit's imports. Nothing of the notebook
 * runs here; its code is only parsed (with the TypeScript compiler, npm
 * `typescript`).
 *
 * The rules, which read the notebook as one program run from top to bottom
 * (Run All), so that a correct notebook gets full marks whatever its style:
 *
 * - **Lesson cells.** A code cell tagged `gradlings:lesson=<name>` holds
 *   that lesson's code; a lesson may span several such cells, in any order
 *   and anywhere in the notebook. The lesson's class (or function: its
 *   manifest export) is taken from them; when several of them define it, the
 *   last one wins, as in Run All, and a note says so. When none does, a
 *   definition in any other cell is taken, with a note (tag the cell to
 *   silence it). When no cell defines it, the lesson is graded from its stub,
 *   "not started", with a note.
 * - **Helpers.** A lesson file also gets every top-level declaration its code
 *   uses, wherever it is in the notebook (an untagged cell, another lesson's
 *   cell), and what those use in turn: functions, classes, constants, types.
 *   A name declared more than once is taken from its last declaration, as in
 *   Run All. A statement such as `Linear.prototype.f = …` goes with the
 *   declaration it extends. Another lesson's class is imported from that
 *   lesson's file (it is graded there), never copied.
 * - **Imports** come from any cell, kit cells included (the kernel keeps
 *   them): an import of the kit's `lib/x.ts` or `lessons/x.ts` is pointed at
 *   the lessons folder's `../lib/x.ts` or `./x.ts` (wherever the notebook
 *   sits); any other import is kept as written, and the grader's import
 *   check decides.
 * - **Left out, with a note:** top-level statements of a lesson cell that
 *   are neither imports nor declarations (a `console.log`, a test call: move
 *   them to a cell of their own). Declarations that no graded code uses are
 *   left out silently (they change nothing), and so are untagged cells'
 *   statements: scratch space. Kit cells (`gradlings:setup`,
 *   `gradlings:check=…`, `gradlings:capstone`) give only their imports.
 * - A lesson cell that does not parse becomes the lesson file as written, so
 *   the grader reports "does not compile" with the line; an untagged cell
 *   that does not parse is left out with a note.
 * - The files start with `// @ts-nocheck`: the Deno kernel strips types
 *   without checking them, so the grade does not depend on type errors the
 *   notebook never showed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractNotebook } from "./extract.ts";
 * import { codeCell, formatNotebook, lessonTag } from "./ipynb.ts";
 * const cells = [
 *   codeCell("a", 'import { Module } from "../lib/module.ts";\nconst twice = (x) => x.mul(2);'),
 *   codeCell("b", "export class ReLU extends Module {\n  f(x) { return twice(x); }\n}", [lessonTag("relu")]),
 * ];
 * const nb = formatNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
 * const out = extractNotebook(nb, "mine.ipynb");
 * assert.match(out.files.get("relu")!, /import \{ Module \} from "\.\.\/lib\/module\.ts";\n[\s\S]*const twice/);
 * ```
 *
 * @module
 */

import ts from "typescript";
import { findLesson, LESSONS } from "../grader/manifest.ts";
import { type Cell, cellSource, NotebookError, parseNotebook, TAG_PREFIX, tagsOf } from "./ipynb.ts";
import { extractIsolated } from "./extract_isolated.ts";

/** What {@linkcode extractNotebook} made. */
export interface Extraction {
  /** Lesson name → the lesson file's text, for every lesson the notebook defines. */
  files: Map<string, string>;
  /** Remarks for the student and the gradebook, each naming the cell. */
  notes: string[];
  /** Lesson name → the notebook cells its file was made of, e.g. `cells 3, 21`. */
  cells: Map<string, string>;
}

/** One top-level statement of a cell, as the extraction sees it. */
interface Unit {
  /** 1-based cell number (as Jupyter front-ends count cells). */
  cell: number;
  /** The lesson the cell is tagged for, if any. */
  lesson?: string;
  /** Names it declares (empty for a statement attached to a declaration). */
  names: string[];
  /** For `X.prototype.f = …`: the name it extends. */
  extends?: string;
  /** Declared with `export`. */
  exported: boolean;
  /** Declaration kind: a `const`/`let`/`var` is only taken when used. */
  variable: boolean;
  /** Its text as written. */
  text: string;
  /** 1-based line in the cell. */
  line: number;
  /** Names it uses (resolved after all cells are read). */
  uses: Set<string>;
  /** Position, for notebook order. */
  order: number;
  node: ts.Statement;
}

interface Import {
  specifier: string;
  /** `default`, `*` or the imported name. */
  imported: string;
  typeOnly: boolean;
  order: number;
}

interface ParsedCell {
  index: number;
  cell: Cell;
  kind: "lesson" | "kit" | "other";
  lesson?: string;
  text: string;
  source: ts.SourceFile;
  broken?: string;
}

const HEADER = [
  "// @ts-nocheck: the Deno kernel strips types without checking them, and so does the grade of a notebook.",
];

/** The kit's `lib/x.ts` and `lessons/x.ts`, as a file in the lessons folder imports them. */
export function lessonsDirSpecifier(specifier: string): string {
  const parts = specifier.split("/");
  if (parts.length >= 2 && (specifier.startsWith("./") || specifier.startsWith("../"))) {
    const [folder, file] = parts.slice(-2);
    if (folder === "lib") return `../lib/${file}`;
    if (folder === "lessons") return `./${file}`;
  }
  return specifier;
}

function _classify(cell: Cell, index: number, notes: string[]): Pick<ParsedCell, "kind" | "lesson"> {
  const tags = tagsOf(cell).filter((t) => t.startsWith(TAG_PREFIX));
  const lessons: string[] = [];
  for (const tag of tags) {
    const m = /^gradlings:lesson=(.*)$/.exec(tag);
    if (!m) continue;
    try {
      lessons.push(findLesson(m[1]).name);
    } catch (e) {
      const guess = /did you mean "[^"]+"\?/.exec((e as Error).message)?.[0];
      notes.push(
        `cell ${index}: the tag "${tag}" names no lesson${
          guess ? ` (${guess})` : ""
        }; the cell is read as untagged`,
      );
    }
  }
  if (lessons.length > 1) {
    notes.push(`cell ${index}: tagged for ${lessons.join(" and ")}; read as a cell of ${lessons[0]}`);
  }
  if (lessons.length > 0) return { kind: "lesson", lesson: lessons[0] };
  return tags.some((t) => KIT_TAG.test(t)) ? { kind: "kit" } : { kind: "other" };
}

/** The kit's own cells: their code is never graded. */
const KIT_TAG = /^gradlings:(setup|capstone|check=.*)$/;

/** The names a top-level statement declares, and whether it is a variable statement. */
function _declared(s: ts.Statement): { names: string[]; nodes: ts.Node[]; variable: boolean } | undefined {
  if (
    (ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s) || ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) &&
    s.name &&
    ts.isIdentifier(s.name)
  ) {
    return { names: [s.name.text], nodes: [s], variable: false };
  }
  if (ts.isVariableStatement(s)) {
    const names: string[] = [];
    const nodes: ts.Node[] = [];
    const bind = (n: ts.BindingName, decl: ts.Node) => {
      if (ts.isIdentifier(n)) {
        names.push(n.text);
        nodes.push(decl);
      } else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name, e);
    };
    for (const d of s.declarationList.declarations) bind(d.name, d);
    return { names, nodes, variable: true };
  }
  return undefined;
}

/** For `X.a.b = …` (an assignment to a member of X): `X`. */
function _extended(s: ts.Statement): string | undefined {
  if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression)) return undefined;
  if (s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  let left: ts.Expression = s.expression.left;
  if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return undefined;
  while (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) left = left.expression;
  return ts.isIdentifier(left) ? left.text : undefined;
}

function _hasExport(s: ts.Statement): boolean {
  return ts.canHaveModifiers(s) &&
    (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** A cell's text as a script (imports and `export` blanked, positions kept), so cells share one scope. */
function _asScript(text: string, source: ts.SourceFile): string {
  const chars = text.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (chars[k] !== "\n") chars[k] = " ";
  };
  for (const s of source.statements) {
    if (ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s)) {
      blank(s.getStart(source), s.end);
    } else if (ts.canHaveModifiers(s)) {
      for (const m of ts.getModifiers(s) ?? []) {
        if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
          blank(m.getStart(source), m.end);
        }
      }
    }
  }
  return chars.join("");
}

/** True when `id` names something (a value or a type) rather than a property or a new declaration. */
function _isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if (ts.isPropertyAssignment(p) && p.name === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (
    (ts.isDeclarationStatement(p) || ts.isClassElement(p) || ts.isTypeElement(p) || ts.isParameter(p) ||
      ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isTypeParameterDeclaration(p) ||
      ts.isEnumMember(p) || ts.isFunctionExpression(p) || ts.isClassExpression(p)) &&
    (p as { name?: ts.Node }).name === id
  ) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return true;
}

function _cellIndexOf(file: string): number {
  return Number(/^cell(\d+)\.ts$/.exec(file)![1]);
}

/**
 * Reads `text` (a notebook, named `file` in messages) and returns the lesson
 * files it defines and the notes; see the module doc for the rules. Throws
 * {@linkcode NotebookError} when `text` is not a notebook.
 */
export function extractNotebook(text: string, file: string): Extraction {
  const nb = parseNotebook(text, file);
  const notes: string[] = [];
  const cells: ParsedCell[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const index = i + 1;
    const code = cellSource(cell);
    const source = ts.createSourceFile(
      `cell${index}.ts`,
      code,
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TS,
    );
    const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
    const first = diagnostics[0];
    const broken = first
      ? `line ${source.getLineAndCharacterOfPosition(first.start ?? 0).line + 1}: ${
        ts.flattenDiagnosticMessageText(first.messageText, " ")
      }`
      : undefined;
    cells.push({ index, cell, text: code, source, broken, ..._classify(cell, index, notes) });
  });
  const lessonCells = cells.filter((c) => c.kind === "lesson");
  if (lessonCells.length === 0 && cells.some((c) => c.kind === "other" && c.text.trim() !== "")) {
    notes.push(
      `no cell is tagged gradlings:lesson=<name>: the lessons were looked for in every code cell ` +
        `(tag your lesson cells to make the grade depend on them only)`,
    );
  }

  // 1. Imports (every cell) and top-level units (lesson and other cells that parse).
  const imports = new Map<string, Import>();
  const units: Unit[] = [];
  const unitOfNode = new Map<ts.Node, Unit>();
  const scripts: Record<string, string> = {};
  let order = 0;
  for (const c of cells) {
    if (c.broken) {
      if (c.kind === "other") {
        notes.push(`cell ${c.index} does not parse (${c.broken}): its code is left out`);
      }
      continue;
    }
    for (const s of c.source.statements) {
      order++;
      if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
        const specifier = lessonsDirSpecifier(s.moduleSpecifier.text);
        const clause = s.importClause;
        const add = (local: string, imported: string, typeOnly: boolean) => {
          const had = imports.get(local);
          // A type-only import is erased by the kernel: it never replaces a value import of the name.
          if (!had || !typeOnly || had.typeOnly) imports.set(local, { specifier, imported, typeOnly, order });
        };
        if (clause.name) add(clause.name.text, "default", clause.isTypeOnly);
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, "*", clause.isTypeOnly);
        if (nb && ts.isNamedImports(nb)) {
          for (const e of nb.elements) {
            add(e.name.text, (e.propertyName ?? e.name).text, clause.isTypeOnly || e.isTypeOnly);
          }
        }
      }
    }
    if (c.kind === "kit") continue;
    scripts[`cell${c.index}.ts`] = _asScript(c.text, c.source);
  }

  // 2. One program of every cell as a script: the checker resolves each name to a top-level declaration.
  const parsedScripts = new Map<string, ts.SourceFile>();
  const host: ts.CompilerHost = {
    getSourceFile: (name, target) => {
      if (scripts[name] === undefined) return undefined;
      const sf = ts.createSourceFile(name, scripts[name], target, true, ts.ScriptKind.TS);
      parsedScripts.set(name, sf);
      return sf;
    },
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => scripts[f] !== undefined,
    readFile: (f) => scripts[f],
  };
  const program = ts.createProgram(Object.keys(scripts), { noLib: true, noResolve: true, types: [] }, host);
  const checker = program.getTypeChecker();
  order = 0;
  for (const [name, sf] of parsedScripts) {
    const c = cells.find((x) => x.index === _cellIndexOf(name))!;
    for (const s of sf.statements) {
      if (ts.isEmptyStatement(s)) continue;
      // The statement as written (the script blanked its `export`): the same position in the cell's own parse.
      const written = c.source.statements.find((x) => x.end === s.end) ?? s;
      const start = written.getStart(written === s ? sf : c.source);
      // With the comments just above it (a JSDoc), without the blank lines before them.
      const text = c.text.slice(written.pos, s.end).replace(/^\s*\n/, "").trim();
      const line = c.source.getLineAndCharacterOfPosition(start).line + 1;
      const declared = _declared(s);
      const base = {
        cell: c.index,
        lesson: c.lesson,
        exported: _hasExport(written),
        text,
        line,
        uses: new Set<string>(),
        order: order++,
        node: s,
      };
      if (declared) {
        const unit: Unit = { ...base, names: declared.names, variable: declared.variable };
        units.push(unit);
        for (const n of declared.nodes) unitOfNode.set(n, unit);
        continue;
      }
      const extended = _extended(s);
      if (extended) {
        units.push({ ...base, names: [], extends: extended, variable: false });
      } else if (c.kind === "lesson") {
        const shown = text.split("\n")[0].slice(0, 60);
        notes.push(
          `cell ${c.index} (${c.lesson}), line ${line}: \`${shown}${
            shown.length < text.length ? "…" : ""
          }\` is not graded (only imports and declarations are): move it to a cell of its own`,
        );
      }
    }
  }
  for (const unit of units) {
    const visit = (n: ts.Node) => {
      if (ts.isIdentifier(n) && _isReference(n)) {
        const sym = ts.isShorthandPropertyAssignment(n.parent)
          ? checker.getShorthandAssignmentValueSymbol(n.parent)
          : checker.getSymbolAtLocation(n);
        const decls = sym?.declarations ?? [];
        if (decls.length === 0) unit.uses.add(n.text);
        else if (decls.some((d) => unitOfNode.has(d))) unit.uses.add(sym!.name);
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(unit.node, visit);
    if (unit.extends) unit.uses.add(unit.extends);
  }

  // 3. Each lesson: its export's declaration, then everything that uses, in notebook order.
  const exportOf = new Map<string, string>();
  for (const l of LESSONS) for (const e of l.exports) exportOf.set(e, l.name);
  const lastDeclaring = (name: string, pool: Unit[]) => pool.filter((u) => u.names.includes(name)).at(-1);
  const files = new Map<string, string>();
  const cellsOf = new Map<string, string>();
  const absent: string[] = [];
  for (const lesson of LESSONS) {
    const brokenCell = lessonCells.find((c) => c.lesson === lesson.name && c.broken);
    if (brokenCell) {
      notes.push(
        `cell ${brokenCell.index} (${lesson.name}) does not parse (${brokenCell.broken}): graded as written`,
      );
      files.set(lesson.name, `${HEADER.join("\n")}\n// cell ${brokenCell.index}\n${brokenCell.text}\n`);
      cellsOf.set(lesson.name, `cell ${brokenCell.index}`);
      continue;
    }
    const roots: Unit[] = [];
    let missing = false;
    for (const name of lesson.exports) {
      const tagged = units.filter((u) => u.lesson === lesson.name && u.names.includes(name));
      const anywhere = units.filter((u) => u.names.includes(name));
      const chosen = tagged.at(-1) ?? anywhere.at(-1);
      if (!chosen) {
        missing = true;
        continue;
      }
      roots.push(chosen);
      if (tagged.length === 0) {
        notes.push(
          `${lesson.name}: ${name} is taken from cell ${chosen.cell}, which is not tagged ` +
            `gradlings:lesson=${lesson.name} (tag it to make this explicit)`,
        );
      }
      const others = (tagged.length > 0 ? tagged : anywhere).filter((u) => u !== chosen);
      if (others.length > 0) {
        notes.push(
          `${lesson.name}: ${name} is defined in cells ${
            [...others, chosen].map((u) => u.cell).join(", ")
          }; ` +
            `the last one (cell ${chosen.cell}) is graded, as Run All leaves it`,
        );
      }
    }
    if (missing) {
      if (lessonCells.some((c) => c.lesson === lesson.name)) {
        notes.push(
          `${lesson.name}: a cell is tagged gradlings:lesson=${lesson.name}, but no cell declares ` +
            `${lesson.exports.join(", ")}: graded from the stub, as not started`,
        );
      } else absent.push(lesson.name);
      continue;
    }
    // Exported declarations of the lesson's own cells come along (types that mod.ts re-exports).
    for (const u of units) {
      if (u.lesson === lesson.name && u.exported && !u.names.some((n) => exportOf.has(n))) roots.push(u);
    }
    const taken = new Set<Unit>();
    const needed = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const u = queue.pop()!;
      if (taken.has(u)) continue;
      taken.add(u);
      for (const n of u.names) {
        for (const ext of units.filter((x) => x.extends === n)) queue.push(ext);
      }
      for (const name of u.uses) {
        const owner = exportOf.get(name);
        if (owner && owner !== lesson.name) {
          needed.add(name);
          continue;
        }
        if (u.names.includes(name)) continue;
        const local = owner === lesson.name
          ? roots.find((r) => r.names.includes(name))
          : lastDeclaring(name, units);
        if (local) queue.push(local);
        else if (imports.has(name)) needed.add(name);
      }
    }
    const ordered = [...taken].sort((a, b) => a.order - b.order);
    files.set(lesson.name, _render(lesson.name, ordered, needed, imports, exportOf));
    const used = [...new Set(ordered.map((u) => u.cell))];
    cellsOf.set(lesson.name, `cell${used.length > 1 ? "s" : ""} ${used.join(", ")}`);
  }
  if (absent.length > 0) {
    notes.push(
      `no cell defines ${absent.length === 1 ? "the lesson" : `${absent.length} lessons`} ` +
        `${absent.join(", ")}: graded from ${
          absent.length === 1 ? "its stub" : "their stubs"
        }, as not started`,
    );
  }
  return { files, notes, cells: cellsOf };
}

function _render(
  lesson: string,
  units: Unit[],
  needed: Set<string>,
  imports: Map<string, Import>,
  exportOf: Map<string, string>,
): string {
  const bySpecifier = new Map<string, string[]>();
  const add = (specifier: string, clause: string) =>
    bySpecifier.set(specifier, [...(bySpecifier.get(specifier) ?? []), clause]);
  const lines: string[] = [...HEADER];
  for (const name of [...needed].sort()) {
    const owner = exportOf.get(name);
    if (owner) {
      add(`./${findLesson(owner).file}`, name);
      continue;
    }
    const imp = imports.get(name)!;
    if (imp.imported === "default") {
      lines.push(`import ${imp.typeOnly ? "type " : ""}${name} from "${imp.specifier}";`);
    } else if (imp.imported === "*") {
      lines.push(`import ${imp.typeOnly ? "type " : ""}* as ${name} from "${imp.specifier}";`);
    } else {add(
        imp.specifier,
        `${imp.typeOnly ? "type " : ""}${imp.imported === name ? name : `${imp.imported} as ${name}`}`,
      );}
  }
  for (const [specifier, clauses] of bySpecifier) {
    lines.push(`import { ${clauses.join(", ")} } from "${specifier}";`);
  }
  lines.push(`// ${lesson}, from the notebook's cells`);
  for (const u of units) {
    const own = u.names.some((n) => exportOf.get(n) === lesson);
    const text = own && !u.exported ? `export ${u.text}` : u.text;
    lines.push("", `// cell ${u.cell}, line ${u.line}`, text);
  }
  return lines.join("\n") + "\n";
}

/** Where the pristine stubs are: `workflow/stubs/` in a student release, `lessons/` in the instructor's kit. */
export function stubsDirOf(kitDir: string): string {
  try {
    if (Deno.statSync(`${kitDir}/workflow/stubs`).isDirectory) return `${kitDir}/workflow/stubs`;
  } catch {
    // not a release: the instructor's lessons/ holds the generated stubs
  }
  return `${kitDir}/lessons`;
}

/**
 * Completes a lessons folder from the kit's stubs: the kit's own files
 * (`mod.ts`, `_*.ts` helpers) always, so a submission cannot re-wire them,
 * and each lesson file in `lessonFiles` that is not in `present`.
 */
export async function fillFromStubs(
  lessonsDir: string,
  stubsDir: string,
  lessonFiles: readonly string[],
  present: readonly string[],
): Promise<void> {
  const given: string[] = [];
  for await (const e of Deno.readDir(stubsDir)) {
    if (e.isFile && e.name.endsWith(".ts") && (e.name === "mod.ts" || e.name.startsWith("_"))) {
      given.push(e.name);
    }
  }
  for (const name of [...given, ...lessonFiles.filter((f) => !present.includes(f))]) {
    await Deno.copyFile(`${stubsDir}/${name}`, `${lessonsDir}/${name}`);
  }
}

/**
 * Extracts the notebook `text` (named `file` in messages) into `lessonsDir`
 * (created), completed from `stubsDir`; returns the notes. Throws
 * {@linkcode NotebookError} when `text` is not a notebook.
 */
export async function extractToFolder(
  text: string,
  file: string,
  lessonsDir: string,
  stubsDir: string,
): Promise<Extraction> {
  // Parsed in a limited process of its own: a notebook is untrusted input (extract_isolated.ts).
  const extraction = await extractIsolated(text, file);
  await Deno.mkdir(lessonsDir, { recursive: true });
  const written: string[] = [];
  for (const [lesson, code] of extraction.files) {
    const name = findLesson(lesson).file;
    await Deno.writeTextFile(`${lessonsDir}/${name}`, code);
    written.push(name);
  }
  await fillFromStubs(lessonsDir, stubsDir, LESSONS.map((l) => l.file), written);
  return extraction;
}

export { NotebookError };

/** A notebook extracted for `deno task grade --notebook`: where, the notes, and how to clean up. */
export interface NotebookLessons {
  /** The lessons folder to grade. */
  lessonsDir: string;
  /** The extraction's notes. */
  notes: string[];
  /** Where a lesson came from, for the report: `notebooks/x.ipynb, cells 3, 21` (or `…, stub`). */
  source(lesson: string): string;
  /** Grader output with its pointers to files (removed by then) turned into pointers to the notebook. */
  pointToNotebook(text: string): string;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/**
 * Extracts the notebook at `path` into a fresh `.gradlings/notebook-…/lessons/`
 * of the kit at `kitDir` (the one folder `deno task grade` may write),
 * completed from the kit's stubs. Throws {@linkcode NotebookError} for a
 * missing or unreadable file, or one that is not a notebook.
 */
export async function extractForGrading(path: string, kitDir: string): Promise<NotebookLessons> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new NotebookError(`Cannot read the notebook ${path}: ${why}`);
  }
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/[^\w.-]/g, "_");
  await Deno.mkdir(`${kitDir}/.gradlings`, { recursive: true });
  const root = await Deno.makeTempDir({ dir: `${kitDir}/.gradlings`, prefix: `notebook-${name}-` });
  const remove = () => Deno.remove(root, { recursive: true }).catch(() => {});
  try {
    const { notes, cells } = await extractToFolder(text, path, `${root}/lessons`, stubsDirOf(kitDir));
    const source = (lesson: string) => `${path}, ${cells.get(lesson) ?? "not in the notebook: its stub"}`;
    const pointToNotebook = (out: string) =>
      out.replace(/^( *)the guide: .*$/gm, "$1the guide: the markdown cell above the lesson's cell")
        .replace(/^next: (\S+) — .*$/m, `next: $1 — in ${path}`);
    return { lessonsDir: `${root}/lessons`, notes, source, pointToNotebook, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}
