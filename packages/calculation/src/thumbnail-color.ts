import type { AlloyId } from '@facet/domain/alloys';

type Rgb = [number, number, number];

const YELLOW_GOLD: Rgb = [212, 175, 55];
const WHITE_GOLD: Rgb = [214, 212, 202];
const ROSE_GOLD: Rgb = [212, 146, 118];

/**
 * The thumbnail's base colour (sRGB) for the alloy a model is cast in, so that a board of cards shows at a glance
 * yellow, white and rose gold, silver and platinum. Polished-metal tones, not measured colours: a picture aid only.
 */
const COLORS: Readonly<Record<AlloyId, Rgb>> = {
  au375y: YELLOW_GOLD,
  au585y: YELLOW_GOLD,
  au750y: YELLOW_GOLD,
  au375w: WHITE_GOLD,
  au585w: WHITE_GOLD,
  au750w: WHITE_GOLD,
  au585r: ROSE_GOLD,
  au750r: ROSE_GOLD,
  ag925: [198, 201, 207],
  pt950: [184, 186, 190],
  pd950: [176, 174, 170],
  brass: [190, 160, 70],
  bronze: [176, 118, 66],
};

export const thumbnailColor = (alloy: AlloyId): Rgb => [...COLORS[alloy]];
