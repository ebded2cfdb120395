/**
 * The per-epoch progress bar: batches done, running loss, samples/s and ETA,
 * drawn with the npm package `cli-progress` on a terminal (nothing when the
 * output is a file or a pipe, so logs keep only the epoch summary lines).
 *
 * @example
 * ```ts
 * import { formatDuration } from "./progress.ts";
 * console.assert(formatDuration(75.4) === "1:15");
 * ```
 *
 * @module
 */

// @ts-types="./cli_progress.d.ts"
import cliProgress from "cli-progress";
import process from "node:process";
import type { BatchReport } from "./loop.ts";

/** `m:ss` (or `h:mm:ss`) for a duration in seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A progress bar for one epoch at a time. */
export class EpochProgress {
  private _bar?: InstanceType<typeof cliProgress.SingleBar>;
  private _start = 0;
  private readonly _enabled: boolean;

  /** @param enabled false for `--quiet`; the bar also stays off when stdout is not a terminal. */
  constructor(enabled: boolean) {
    this._enabled = enabled && Deno.stdout.isTerminal();
  }

  /** Starts the bar of epoch `epoch` (1-based) of `epochs`, with `batches` steps. */
  start(epoch: number, epochs: number, batches: number): void {
    if (!this._enabled) return;
    this._start = performance.now();
    this._bar = new cliProgress.SingleBar({
      format:
        `  epoch ${epoch}/${epochs} {bar} {value}/{total} batches | loss {loss} | {rate} samples/s | ETA {etaText}`,
      barsize: 24,
      clearOnComplete: true,
      hideCursor: true,
      fps: 10,
      stream: process.stdout,
    }, cliProgress.Presets.shades_classic);
    this._bar.start(batches, 0, { loss: "-", rate: "-", etaText: "-" });
  }

  /** Moves the bar after a batch. */
  update(report: BatchReport): void {
    if (!this._bar) return;
    const seconds = (performance.now() - this._start) / 1000;
    const rate = report.samples / Math.max(seconds, 1e-9);
    const eta = (seconds / report.batch) * (report.batches - report.batch);
    this._bar.update(report.batch, {
      loss: report.runningLoss.toFixed(4),
      rate: rate.toFixed(0),
      etaText: formatDuration(eta),
    });
  }

  /** Removes the bar (the caller prints the epoch summary in its place). */
  stop(): void {
    this._bar?.stop();
    this._bar = undefined;
  }
}
