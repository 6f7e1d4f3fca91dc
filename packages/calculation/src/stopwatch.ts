import type { ProgressFn } from './request.ts';
import { round } from './round.ts';

/** Times the pipeline's stages (ms, one decimal) and reports progress as each one ends. */
export class Stopwatch {
  readonly timings: Record<string, number> = {};
  private readonly clock: () => number;
  private readonly onProgress: ProgressFn;
  private last: number;

  constructor(clock: () => number, onProgress: ProgressFn = () => {}) {
    this.clock = clock;
    this.onProgress = onProgress;
    this.last = clock();
  }

  lap(stage: string, percent: number): void {
    const t = this.clock();
    this.timings[stage] = round(t - this.last, 1);
    this.last = t;
    this.onProgress(stage, percent);
  }
}
