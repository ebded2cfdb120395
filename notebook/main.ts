/**
 * `deno task notebook`: says how to open the notebook edition
 * (`notebooks/gradlings.ipynb`), after looking for what it needs: Deno's
 * Jupyter kernel (`deno jupyter --install`) and a front-end on the PATH
 * (JupyterLab, Jupyter Notebook or VS Code). It installs and starts nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notebookGuide } from "./main.ts";
 * const text = notebookGuide({ kernel: false, lab: true, notebook: false, code: false });
 * assert.match(text, /deno jupyter --install/);
 * assert.match(text, /jupyter lab notebooks\/gradlings\.ipynb +\(found\)/);
 * ```
 *
 * @module
 */

/** What was found on this machine. */
export interface Found {
  /** Deno's Jupyter kernel is installed. */
  kernel: boolean;
  /** `jupyter-lab` is on the PATH. */
  lab: boolean;
  /** `jupyter-notebook` is on the PATH. */
  notebook: boolean;
  /** `code` (VS Code) is on the PATH. */
  code: boolean;
}

const NOTEBOOK = "notebooks/gradlings.ipynb";

/** The guide for what was `found`. */
export function notebookGuide(found: Found): string {
  const mark = (yes: boolean) => (yes ? "(found)" : "");
  const row = (what: string, command: string, yes: boolean) =>
    `   ${what.padEnd(18)}${command.padEnd(48)}${mark(yes)}`;
  return [
    `The notebook edition: ${NOTEBOOK} (every lesson's guide, your code cell and its check, then MNIST)`,
    "",
    found.kernel
      ? "1. Deno's Jupyter kernel is installed."
      : "1. Install Deno's Jupyter kernel (once):  deno jupyter --install",
    "2. From this folder (the notebook imports ../lib/ and ../notebook/ relative to itself), open it in:",
    row("JupyterLab", `jupyter lab ${NOTEBOOK}`, found.lab),
    row("Jupyter Notebook", `jupyter notebook ${NOTEBOOK}`, found.notebook),
    row("VS Code", `code ${NOTEBOOK}`, found.code),
    '   and pick the kernel "Deno" (VS Code needs its Jupyter extension). No Jupyter yet? ' +
    "`pip install jupyterlab`, or your system's package (Debian: jupyter-notebook).",
    "3. Run the first code cell, then lesson by lesson: read, write the TODOs, run the cell, run its check.",
    "   The checks are feedback; your grade:  deno task grade --notebook " + NOTEBOOK,
  ].join("\n");
}

function _onPath(name: string): boolean {
  const sep = Deno.build.os === "windows" ? ";" : ":";
  const exts = Deno.build.os === "windows" ? [".exe", ".cmd", ".bat"] : [""];
  for (const dir of (Deno.env.get("PATH") ?? "").split(sep)) {
    for (const ext of exts) {
      try {
        if (dir && Deno.statSync(`${dir}/${name}${ext}`).isFile) return true;
      } catch {
        // not there
      }
    }
  }
  return false;
}

/** The folders Jupyter reads kernels from (its documented data paths), for this OS. */
function _kernelDirs(): string[] {
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "";
  const dirs = [Deno.env.get("JUPYTER_DATA_DIR") ?? ""];
  if (Deno.build.os === "darwin") dirs.push(`${home}/Library/Jupyter`);
  else if (Deno.build.os === "windows") dirs.push(`${Deno.env.get("APPDATA") ?? ""}/jupyter`);
  else dirs.push(`${Deno.env.get("XDG_DATA_HOME") ?? `${home}/.local/share`}/jupyter`);
  dirs.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return dirs.filter((d) => d !== "").map((d) => `${d}/kernels/deno/kernel.json`);
}

/** Looks for the kernel and the front-ends. */
export function findTools(): Found {
  const kernel = _kernelDirs().some((f) => {
    try {
      return Deno.statSync(f).isFile;
    } catch {
      return false;
    }
  });
  return {
    kernel,
    lab: _onPath("jupyter-lab"),
    notebook: _onPath("jupyter-notebook"),
    code: _onPath("code"),
  };
}

if (import.meta.main) console.log(notebookGuide(findTools()));
