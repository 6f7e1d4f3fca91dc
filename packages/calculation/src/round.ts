/** Rounds to `digits` decimals: reports carry figures, not float noise. */
export const round = (v: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
