/**
 * Types for the untyped npm package `cli-progress` 3.12.0 (MIT): the part
 * the trainer uses.
 *
 * @module
 */

/** Options of a bar. */
export interface Options {
  /** The line: placeholders `{bar}`, `{value}`, `{total}`, `{percentage}`, `{eta_formatted}` and payload keys. */
  format?: string;
  /** Width of `{bar}` in characters. */
  barsize?: number;
  /** Remove the bar when it stops. */
  clearOnComplete?: boolean;
  /** Hide the cursor while the bar runs. */
  hideCursor?: boolean;
  /** Redraws per second at most. */
  fps?: number;
  /** Output stream (default: stderr). */
  stream?: unknown;
  /** Draw even when the stream is not a terminal. */
  noTTYOutput?: boolean;
  /** Time window of the ETA estimate, in updates. */
  etaBuffer?: number;
  barCompleteChar?: string;
  barIncompleteChar?: string;
}

/** One progress bar. */
export class SingleBar {
  constructor(options: Options, preset?: Options);
  start(total: number, start: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** Ready-made looks. */
export const Presets: { shades_classic: Options; legacy: Options; rect: Options };

declare const _default: { SingleBar: typeof SingleBar; Presets: typeof Presets };
export default _default;
