/**
 * Rich output for the notebook edition: a {@linkcode Rich} value shows as
 * HTML in Jupyter (the Deno kernel renders any object with a
 * `Symbol.for("Jupyter.display")` method as the MIME bundle it returns), with
 * a plain-text twin for front-ends without HTML and for `console.log`.
 * {@linkcode LiveDisplay} is an output area that a long cell updates in place
 * (Jupyter's `display_id`), used by the training cells.
 *
 * Everything here also works outside Jupyter (tests, `deno run`): the
 * bundle is plain data, and a live display falls back to printing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml, Rich } from "./display.ts";
 * const r = new Rich("<b>5 &lt; 6</b>", "5 < 6");
 * assert.deepEqual(r.bundle(), { "text/plain": "5 < 6", "text/html": "<b>5 &lt; 6</b>" });
 * assert.equal(escapeHtml('a<b & "c"'), "a&lt;b &amp; &quot;c&quot;");
 * ```
 *
 * @module
 */

/** The symbol the Deno kernel calls to render a value (`Deno.jupyter.$display`). */
export const DISPLAY = Symbol.for("Jupyter.display");

/** A Jupyter MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, string>;

/** `text` safe inside HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Rich output: HTML for Jupyter, the same content as plain text for everything else. */
export class Rich {
  /** The HTML (a fragment; inline styles only, since JupyterLab strips `<style>` from untrusted output). */
  readonly html: string;
  /** The plain-text version. */
  readonly text: string;

  /** @param html the HTML fragment; @param text its plain-text twin */
  constructor(html: string, text: string) {
    this.html = html;
    this.text = text;
  }

  /** The MIME bundle: `text/plain` and `text/html`. */
  bundle(): MimeBundle {
    return { "text/plain": this.text, "text/html": this.html };
  }

  /** What the Deno kernel shows for this value when a cell ends with it. */
  [DISPLAY](): MimeBundle {
    return this.bundle();
  }

  /** The plain text, so `console.log` and template strings read well. */
  toString(): string {
    return this.text;
  }
}

/** The part of `Deno.jupyter` used here (absent outside the kernel). */
interface JupyterApi {
  display(
    bundle: MimeBundle,
    options: { raw: true; update?: boolean; display_id?: string },
  ): Promise<void>;
}

function _jupyter(): JupyterApi | undefined {
  try {
    // Outside `deno jupyter`, reading Deno.jupyter (or its members) throws.
    const jupyter = (Deno as unknown as { jupyter?: JupyterApi }).jupyter;
    return typeof jupyter?.display === "function" ? jupyter : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shows `content` in the running Jupyter cell now (a `display_data` message),
 * or prints its text outside Jupyter. The notebook's own cells show what they
 * show through this rather than by ending with a value: the Deno kernel (2.9.6)
 * sends a cell's result after it reports the cell finished, so nbclient
 * (and, at times, a front-end) drops it.
 */
export async function show(content: Rich): Promise<void> {
  const jupyter = _jupyter();
  if (!jupyter) return console.log(content.text);
  await jupyter.display(content.bundle(), { raw: true });
  await _flush();
}

/**
 * Waits for the kernel to send what was displayed: `Deno.jupyter.display`
 * resolves when the message is queued, and a cell that ends right after can
 * be reported finished first, which loses the output.
 */
function _flush(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

let _ids = 0;

/**
 * An output area updated in place. In Jupyter the first {@linkcode show}
 * creates it and later ones replace its content (`update_display_data`);
 * outside Jupyter each `show` prints the text version, at most every
 * `textEveryMs` (the last one always).
 *
 * Jupyter only receives a message when the kernel's event loop runs, so a
 * long synchronous loop must `await` the promise `show` returns (it yields
 * once) for the update to appear while the loop goes on.
 */
export class LiveDisplay {
  readonly #id = `gradlings-${Date.now().toString(36)}-${++_ids}`;
  #shown = false;
  #lastText = -Infinity;
  readonly #textEveryMs: number;
  readonly #print: (text: string) => void;

  /** @param options.textEveryMs how often the text fallback prints; @param options.print where it prints */
  constructor(options: { textEveryMs?: number; print?: (text: string) => void } = {}) {
    this.#textEveryMs = options.textEveryMs ?? 5_000;
    this.#print = options.print ?? console.log;
  }

  /** Shows `content` in this area (replacing what it showed); `final` forces the text fallback to print. */
  async show(content: Rich, final = false): Promise<void> {
    const jupyter = _jupyter();
    if (jupyter) {
      await jupyter.display(content.bundle(), { raw: true, display_id: this.#id, update: this.#shown });
      this.#shown = true;
      // Let the kernel send the message before the caller's loop takes the thread again.
      await _flush();
      return;
    }
    const now = performance.now();
    if (final || now - this.#lastText >= this.#textEveryMs) {
      this.#lastText = now;
      this.#print(content.text);
    }
  }
}
