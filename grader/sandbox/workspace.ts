/**
 * The sandbox's world: a folder holding fresh copies of everything the child
 * may read, and nothing else. `lib/` and the probe code come from the kit,
 * `lessons/` from the folder being graded; the child gets read permission for
 * this folder only, runs in it, and loads modules through an import map that
 * sends every `file:` URL outside it to a folder that does not exist (Deno's
 * read permission does not cover static imports; the import map does, for
 * static and dynamic imports and workers alike).
 *
 * A lesson file is copied only when it is a regular file of at most
 * {@linkcode MAX_LESSON_BYTES} whose real path lies inside the real lessons
 * folder: a symlink that leaves it is refused, in every mode. The copies are
 * regular files, so nothing in the sandbox links anywhere.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The largest lesson file copied (the reference's largest is 7 KB). */
export const MAX_LESSON_BYTES = 256 << 10;
/** The most `.ts` files taken from a lessons folder. */
export const MAX_LESSON_FILES = 200;

/** A prepared sandbox folder. */
export interface Workspace {
  /** The folder (absolute, real path): the child's working directory and its only readable tree. */
  readonly root: string;
  /** `root/lessons`: the copies of the lesson files. */
  readonly lessonsDir: string;
  /** `root/lib`: the copy of the kit's lib. */
  readonly libDir: string;
  /** `root/grader/sandbox/child.ts`. */
  readonly childScript: string;
  /** The import map that confines module loading to `root`. */
  readonly importMap: string;
  /** The lessons folder graded (as given, resolved). */
  readonly sourceDir: string;
  /** Lesson files refused, by file name (`linear.ts`), with the reason. */
  readonly refused: ReadonlyMap<string, string>;
  /** Removes the folder (not for a kept one). */
  dispose(): Promise<void>;
}

/** Options of {@linkcode makeWorkspace}. */
export interface WorkspaceOptions {
  /** The kit's root (lib/ and grader/probes/ come from here). */
  readonly kitDir: string;
  /** The lessons folder to grade. */
  readonly lessonsDir: string;
  /** Where to create the sandbox folder. */
  readonly parent: string;
  /**
   * A fixed folder name under `parent`, reused and brought up to date across
   * runs (the local self-grade: Deno's caches stay warm); by default a fresh
   * folder that `dispose()` removes.
   */
  readonly keep?: string;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith("/");
}

async function writeIfChanged(path: string, bytes: Uint8Array): Promise<void> {
  try {
    const old = await Deno.readFile(path);
    if (old.length === bytes.length && old.every((b, i) => b === bytes[i])) return;
  } catch { /* new */ }
  await Deno.mkdir(dirname(path), { recursive: true });
  // Atomic, so a concurrent run never reads half a file.
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, path);
}

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(e.name);
  }
  return out.sort();
}

/** Reads the lesson files of `dir` that may be copied, and why the others may not. */
async function readLessons(
  dir: string,
): Promise<{ files: Map<string, Uint8Array>; refused: Map<string, string> }> {
  const real = await Deno.realPath(dir);
  const files = new Map<string, Uint8Array>();
  const refused = new Map<string, string>();
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && !e.isDirectory) names.push(e.name);
  }
  names.sort();
  for (const name of names.slice(0, MAX_LESSON_FILES)) {
    const path = join(dir, name);
    let target: string;
    try {
      target = await Deno.realPath(path);
    } catch {
      refused.set(name, `${name} is a broken symlink`);
      continue;
    }
    if (!isInside(target, real) || dirname(target) !== real) {
      refused.set(name, `${name} is a symlink to a file outside its lessons folder (${target})`);
      continue;
    }
    const info = await Deno.stat(target);
    if (!info.isFile) {
      refused.set(name, `${name} is not a regular file`);
      continue;
    }
    if (info.size > MAX_LESSON_BYTES) {
      refused.set(name, `${name} is ${info.size} bytes, more than the ${MAX_LESSON_BYTES} allowed`);
      continue;
    }
    files.set(name, await Deno.readFile(target));
  }
  return { files, refused };
}

/** Builds (or brings up to date) a sandbox folder for grading `lessonsDir`. */
export async function makeWorkspace(o: WorkspaceOptions): Promise<Workspace> {
  await Deno.mkdir(o.parent, { recursive: true });
  const root = o.keep
    ? join(await Deno.realPath(o.parent), o.keep)
    : await Deno.realPath(await Deno.makeTempDir({ dir: o.parent, prefix: "sandbox-" }));
  const lessonsDir = join(root, "lessons");
  const libDir = join(root, "lib");
  await Deno.mkdir(lessonsDir, { recursive: true });
  const copy = async (fromDir: string, toDir: string) => {
    for (const name of await tsFiles(fromDir)) {
      await writeIfChanged(join(toDir, name), await Deno.readFile(join(fromDir, name)));
    }
  };
  await copy(join(o.kitDir, "lib"), libDir);
  await copy(join(o.kitDir, "grader", "probes"), join(root, "grader", "probes"));
  const childScript = join(root, "grader", "sandbox", "child.ts");
  await writeIfChanged(childScript, await Deno.readFile(join(o.kitDir, "grader", "sandbox", "child.ts")));

  const sourceDir = resolve(o.lessonsDir);
  const { files, refused } = await readLessons(sourceDir);
  for (const [name, bytes] of files) await writeIfChanged(join(lessonsDir, name), bytes);
  for (const name of await tsFiles(lessonsDir)) {
    if (!files.has(name)) await Deno.remove(join(lessonsDir, name)).catch(() => {});
  }

  const url = (p: string) => pathToFileURL(p).href + "/";
  const importMap = join(root, "import_map.json");
  const map = {
    imports: {
      "file:///": url(join(root, ".outside")),
      [url(lessonsDir)]: url(lessonsDir),
      [url(libDir)]: url(libDir),
      [url(join(root, "grader", "probes"))]: url(join(root, "grader", "probes")),
      [url(join(root, "grader", "sandbox"))]: url(join(root, "grader", "sandbox")),
    },
  };
  await writeIfChanged(importMap, new TextEncoder().encode(JSON.stringify(map, null, 2)));
  return {
    root,
    lessonsDir,
    libDir,
    childScript,
    importMap,
    sourceDir,
    refused,
    dispose: async () => {
      if (!o.keep) await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** What a path in the sandbox stands for, for messages: `lessons/linear.ts` for a copied lesson file. */
export function shownPath(ws: Pick<Workspace, "root">, path: string): string {
  return path.startsWith(ws.root + "/") ? path.slice(ws.root.length + 1) : path;
}

/** The path outside the sandbox an import was sent away from, when `text` mentions one. */
export function outsideTarget(ws: Pick<Workspace, "root">, text: string): string | undefined {
  const marker = pathToFileURL(join(ws.root, ".outside")).href;
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  const rest = text.slice(at + marker.length);
  const m = /^[^"'\s)]*/.exec(rest);
  return m ? decodeURIComponent(m[0]) : undefined;
}
