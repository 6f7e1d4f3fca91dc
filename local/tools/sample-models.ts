import { toBinaryStl } from '@facet/geometry/encode';
import { torus } from '@facet/geometry/shapes';

/** Sample models for the demo and the tests, made by the engine's own shape generators. */

/** A plain ring as binary STL: major radius R, minor radius r (mm). Volume → 2π²Rr² as segments grow. */
export const torusStl = (R = 9, r = 1.2, segments = 48, sides = 24): Uint8Array =>
  toBinaryStl(torus(R, r, segments, sides));
