import { PRODUCTION_STAGES, type ProductionStage } from '../production-plan.ts';

const HOUR = 3_600_000;

/** The planned hours from the start of `stage` to ready-to-ship (the whole plan when not started). */
export function plannedHoursFrom(stage: ProductionStage | undefined): number {
  const first = stage ? PRODUCTION_STAGES.findIndex((s) => s.id === stage) : 0;
  return PRODUCTION_STAGES.slice(Math.max(0, first)).reduce((sum, s) => sum + s.plannedHours, 0);
}

/** The end of the due day (UTC): an order due on the 5th is on time all of the 5th. */
export const dueBy = (dueDate: string) => Date.parse(`${dueDate}T23:59:59.999Z`);

export interface ScheduleInput {
  readonly dueDate: string;
  readonly status: string;
  readonly stage?: ProductionStage;
  /** When the current stage started (production) — the remaining plan counts from there. */
  readonly stageStartedAt?: string;
  readonly confirmedAt?: string;
}

/**
 * The board's flags (JEWELRY.md: MRPeasy stripes overdue red, JewelTrak puts rush first): overdue once the due
 * day has passed; at risk when now plus the planned hours still ahead (the rest of the current stage included)
 * ends after the due day; rush when the client confirmed with less time to the due day than the plan needs.
 */
export function scheduleFlags(input: ScheduleInput, now: Date): { overdue: boolean; atRisk: boolean; rush: boolean } {
  const due = dueBy(input.dueDate);
  const open = !['shipped', 'delivered', 'cancelled'].includes(input.status);
  const overdue = open && now.getTime() > due;
  let remainingMs = plannedHoursFrom(input.stage) * HOUR;
  if (input.stage && input.stageStartedAt) {
    // Time already spent in the current stage counts against its planned hours (never below zero).
    const stagePlanned = (PRODUCTION_STAGES.find((s) => s.id === input.stage)?.plannedHours ?? 0) * HOUR;
    remainingMs -= Math.min(stagePlanned, Math.max(0, now.getTime() - Date.parse(input.stageStartedAt)));
  }
  const atRisk = open && !overdue && now.getTime() + remainingMs > due;
  const rush =
    input.confirmedAt !== undefined && Date.parse(input.confirmedAt) + plannedHoursFrom(undefined) * HOUR > due;
  return { overdue, atRisk, rush };
}
