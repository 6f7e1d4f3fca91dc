import { PRODUCTION_STAGES, type ProductionStage } from '@facet/contracts/production';

/** The stages and their planned hours are part of the contract (the operators' board draws them). */
export { PRODUCTION_STAGES, type ProductionStage };

const HOUR = 3_600_000;

/** When the order should be ready to ship: from confirmation, or from the start of the current stage. */
export function estimateCompletion(start: Date, fromStage: ProductionStage = 'print'): Date {
  const first = PRODUCTION_STAGES.findIndex((s) => s.id === fromStage);
  const hours = PRODUCTION_STAGES.slice(Math.max(0, first)).reduce((sum, s) => sum + s.plannedHours, 0);
  return new Date(start.getTime() + hours * HOUR);
}
