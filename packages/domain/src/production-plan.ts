/**
 * Lost-wax production of one order (JEWELRY.md "Production stages"), with planned calendar hours per stage that
 * include the batching waits of a casting shop (trees are cast in batches, hallmarking goes out to the assay
 * office). PLANNING ASSUMPTIONS until the operators' board records real durations; they only feed the estimate
 * shown to clients.
 */
export const PRODUCTION_STAGES = [
  { id: 'print', label: 'Print (castable resin) and cure', plannedHours: 24 },
  { id: 'tree_invest', label: 'Sprue, tree and invest', plannedHours: 24 },
  { id: 'burnout_cast', label: 'Burnout and cast', plannedHours: 24 },
  { id: 'divest_clean', label: 'Divest, cut from tree, clean', plannedHours: 8 },
  { id: 'finish', label: 'File and polish (stone setting, plating)', plannedHours: 16 },
  { id: 'qc_hallmark', label: 'QC and hallmark', plannedHours: 48 },
  { id: 'pack_ship', label: 'Pack and ship', plannedHours: 8 },
] as const;

export type ProductionStage = (typeof PRODUCTION_STAGES)[number]['id'];

const HOUR = 3_600_000;

/** When the order should be ready to ship: from confirmation, or from the start of the current stage. */
export function estimateCompletion(start: Date, fromStage: ProductionStage = 'print'): Date {
  const first = PRODUCTION_STAGES.findIndex((s) => s.id === fromStage);
  const hours = PRODUCTION_STAGES.slice(Math.max(0, first)).reduce((sum, s) => sum + s.plannedHours, 0);
  return new Date(start.getTime() + hours * HOUR);
}
