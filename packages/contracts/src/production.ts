/**
 * Lost-wax production of one order (JEWELRY.md "Production stages"), with planned calendar hours per stage that
 * include the batching waits of a casting shop (trees are cast in batches, hallmarking goes out to the assay
 * office). PLANNING ASSUMPTIONS, shown as such: they feed the clients' estimate and the board's at-risk flag.
 * Part of the contract, since the operators' site draws one board column per stage.
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
export const PRODUCTION_STAGE_IDS = PRODUCTION_STAGES.map((s) => s.id) as [ProductionStage, ...ProductionStage[]];

/** The stages a casting tree carries its orders through together. */
export const TREE_STAGES = ['tree_invest', 'burnout_cast'] as const satisfies readonly ProductionStage[];

/** Where metal is weighed in and out (metal loss per order, JEWELRY.md: gold loss tracked at each stage). */
export const WEIGHING_POINTS = ['casting', 'finishing'] as const;
export type WeighingPoint = (typeof WEIGHING_POINTS)[number];
