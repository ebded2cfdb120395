/**
 * Type-checks lesson files (their sandbox copies) with one `deno check` under
 * limits (time, memory, its own process group; no network, no npm; module
 * loading confined to the sandbox by its import map), maps each diagnostic to
 * the lessons whose import graph holds the file, and caches the verdict per
 * lesson by the content hash of its graph (in `.gradlings/typecheck/`), so a
 * second run of unchanged files costs nothing. A syntax error stops
 * `deno check` at the first broken file, so that file's lessons are set aside
 * and the rest checked again.
 *
 * @module
 */

import { printable } from "../probes/printable.ts";
import { join, relative } from "node:path";
import { type Limits, runLimited } from "./spawn.ts";

/** What one `deno check` may use. */
export const CHECK_LIMITS: Limits = { cpuSeconds: 60, wallMs: 120_000, dataMb: 4096 };

/** One compiler message. */
export interface Diagnostic {
  /** Absolute path. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** The message (`TS2322: Type 'string' is not assignable to type 'number'.`). */
  readonly message: string;
}

/** A lesson to check: its entry file and every file of its import graph. */
export interface CheckTarget {
  /** The lesson file (absolute). */
  readonly entry: string;
  /** Its import graph (absolute paths, entry included). */
  readonly graph: readonly string[];
}

const FILE_AT = /at (file:\/\/\S+?):(\d+):(\d+)/;

/** Parses `deno check` output (colours off) into diagnostics. */
export function parseDiagnostics(text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = text.split("\n");
  let message: string | undefined;
  for (const line of lines) {
    const ts = /(TS\d+) \[ERROR\]: (.*)$/.exec(line);
    const syntax = /^error: (.*)$/.exec(line);
    if (ts) message = `${ts[1]}: ${ts[2]}`;
    else if (syntax && !/Type checking failed/.test(line)) message = syntax[1];
    const at = FILE_AT.exec(line) ?? (message ? /(file:\/\/\S+?):(\d+):(\d+)/.exec(line) : null);
    if (at && message) {
      out.push({
        file: decodeURIComponent(new URL(at[1]).pathname),
        line: Number(at[2]),
        message: printable(message.trim()),
      });
      message = undefined;
    }
  }
  return out;
}

async function hashOf(target: CheckTarget, root: string): Promise<string> {
  const parts = [Deno.version.deno, relative(root, target.entry)];
  for (const f of target.graph) {
    try {
      parts.push(relative(root, f), Deno.readTextFileSync(f));
    } catch {
      parts.push(f, "<missing>");
    }
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where and how `deno check` runs. */
export interface CheckOptions {
  /** The sandbox folder (its working directory; diagnostics and cache keys are relative to it). */
  readonly root: string;
  /** The sandbox's import map. */
  readonly importMap: string;
  /** The environment (its DENO_DIR). */
  readonly env: Record<string, string>;
  /** Where to cache verdicts (skipped if not writable). */
  readonly cacheDir?: string;
  /** Abort. */
  readonly signal?: AbortSignal;
}

const STOPPED = "error: the type checker was stopped";

async function denoCheck(files: readonly string[], o: CheckOptions): Promise<string> {
  const args = ["check", "--quiet", "--no-config", "--no-lock", "--no-remote", "--no-npm"];
  const out = await runLimited({
    args: [...args, `--import-map=${o.importMap}`, ...files],
    cwd: o.root,
    env: { ...o.env, NO_COLOR: "1", RUST_BACKTRACE: "0" },
    limits: CHECK_LIMITS,
    maxStdout: 1 << 20,
    signal: o.signal,
  });
  if (out.killed) {
    return `${STOPPED} (${out.killed === "abort" ? "aborted" : `over its ${out.killed} limit`})`;
  }
  return out.code === 0 ? "" : out.stdout + out.stderr;
}

/**
 * The diagnostics of each target (by entry), `[]` when it compiles. Reads
 * and writes the cache in `cacheDir` when given (skipped if not writable).
 */
export async function typeCheck(
  targets: readonly CheckTarget[],
  options: CheckOptions,
): Promise<Map<string, Diagnostic[]>> {
  const result = new Map<string, Diagnostic[]>();
  const hashes = new Map<string, string>();
  let todo: CheckTarget[] = [];
  for (const t of targets) {
    const h = await hashOf(t, options.root);
    hashes.set(t.entry, h);
    if (options.cacheDir) {
      try {
        const cached = JSON.parse(Deno.readTextFileSync(join(options.cacheDir, `${h}.json`))) as Diagnostic[];
        result.set(t.entry, cached.map((d) => ({ ...d, file: join(options.root, d.file) })));
        continue;
      } catch { /* not cached */ }
    }
    todo.push(t);
  }
  const found = new Map<string, Diagnostic[]>(todo.map((t) => [t.entry, []]));
  let stopped = false;
  for (let round = 0; todo.length && round < 20; round++) {
    const text = await denoCheck(todo.map((t) => t.entry), options);
    stopped ||= text.startsWith(STOPPED);
    const diags = parseDiagnostics(text);
    if (!text) break;
    if (!diags.length) {
      // Unparsed failure: blame every remaining target with the raw text.
      for (const t of todo) {
        found.get(t.entry)!.push({ file: t.entry, line: 0, message: printable(text.trim().slice(0, 500)) });
      }
      break;
    }
    const hit = new Set<string>();
    for (const d of diags) {
      for (const t of todo) {
        if (t.graph.includes(d.file)) {
          found.get(t.entry)!.push(d);
          hit.add(t.entry);
        }
      }
    }
    const syntaxOnly = diags.every((d) => !d.message.startsWith("TS"));
    // After a syntax error deno check stops early: check the others again.
    todo = syntaxOnly ? todo.filter((t) => !hit.has(t.entry)) : [];
    if (!hit.size) break;
  }
  for (const [entry, diags] of found) {
    result.set(entry, diags);
    if (options.cacheDir && !stopped) {
      try {
        Deno.mkdirSync(options.cacheDir, { recursive: true });
        const stored = diags.map((d) => ({ ...d, file: relative(options.root, d.file) }));
        Deno.writeTextFileSync(join(options.cacheDir, `${hashes.get(entry)}.json`), JSON.stringify(stored));
      } catch { /* cache is optional */ }
    }
  }
  return result;
}
