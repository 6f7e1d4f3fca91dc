/**
 * Analytic test and benchmark shapes as indexed, closed, outward-oriented meshes. O(T).
 */
import type { IndexedMesh } from './mesh.ts';

/** Axis-aligned box from (0,0,0) to (sx,sy,sz), 12 triangles. */
export const box = (sx: number, sy: number, sz: number): IndexedMesh => {
  const positions = Float32Array.of(0, 0, 0, sx, 0, 0, sx, sy, 0, 0, sy, 0, 0, 0, sz, sx, 0, sz, sx, sy, sz, 0, sy, sz);
  const indices = Uint32Array.of(
    0,
    2,
    1,
    0,
    3,
    2, // bottom (−z)
    4,
    5,
    6,
    4,
    6,
    7, // top (+z)
    0,
    1,
    5,
    0,
    5,
    4, // front (−y)
    2,
    3,
    7,
    2,
    7,
    6, // back (+y)
    1,
    2,
    6,
    1,
    6,
    5, // right (+x)
    3,
    0,
    4,
    3,
    4,
    7, // left (−x)
  );
  return { positions, indices };
};

/**
 * A closed surface of revolution-like grid: `point(u, v)` over u ∈ [0,1) (periodic) and v ∈ [0,1].
 * When `poles` is true the v = 0 and v = 1 rows collapse to single vertices (sphere); otherwise v is periodic too
 * (torus).
 */
const grid = (
  nu: number,
  nv: number,
  periodicV: boolean,
  point: (u: number, v: number, out: Float64Array) => void,
): IndexedMesh => {
  const tmp = new Float64Array(3);
  if (periodicV) {
    const positions = new Float32Array(nu * nv * 3);
    for (let i = 0; i < nu; i++) {
      for (let j = 0; j < nv; j++) {
        point(i / nu, j / nv, tmp);
        positions.set(tmp, (i * nv + j) * 3);
      }
    }
    const indices = new Uint32Array(nu * nv * 6);
    let k = 0;
    for (let i = 0; i < nu; i++) {
      const i1 = (i + 1) % nu;
      for (let j = 0; j < nv; j++) {
        const j1 = (j + 1) % nv;
        const a = i * nv + j;
        const b = i1 * nv + j;
        const c = i1 * nv + j1;
        const d = i * nv + j1;
        indices[k++] = a;
        indices[k++] = b;
        indices[k++] = c;
        indices[k++] = a;
        indices[k++] = c;
        indices[k++] = d;
      }
    }
    return { positions, indices };
  }
  // Poles at v = 0 (vertex 0) and v = 1 (last vertex); rings j = 1 … nv-1.
  const rings = nv - 1;
  const positions = new Float32Array((nu * rings + 2) * 3);
  point(0, 0, tmp);
  positions.set(tmp, 0);
  for (let j = 1; j <= rings; j++) {
    for (let i = 0; i < nu; i++) {
      point(i / nu, j / nv, tmp);
      positions.set(tmp, (1 + (j - 1) * nu + i) * 3);
    }
  }
  const last = nu * rings + 1;
  point(0, 1, tmp);
  positions.set(tmp, last * 3);
  const indices = new Uint32Array((nu * 2 + nu * (rings - 1) * 2) * 3);
  let k = 0;
  const at = (j: number, i: number): number => 1 + (j - 1) * nu + (i % nu);
  for (let i = 0; i < nu; i++) {
    indices[k++] = 0;
    indices[k++] = at(1, i + 1);
    indices[k++] = at(1, i);
  }
  for (let j = 1; j < rings; j++) {
    for (let i = 0; i < nu; i++) {
      const a = at(j, i);
      const b = at(j, i + 1);
      const c = at(j + 1, i + 1);
      const d = at(j + 1, i);
      indices[k++] = a;
      indices[k++] = b;
      indices[k++] = c;
      indices[k++] = a;
      indices[k++] = c;
      indices[k++] = d;
    }
  }
  for (let i = 0; i < nu; i++) {
    indices[k++] = last;
    indices[k++] = at(rings, i);
    indices[k++] = at(rings, i + 1);
  }
  return { positions, indices };
};

/** UV sphere of radius r centred at the origin. Triangles: 2·nu·(nv − 1). */
export const sphere = (r: number, nu = 64, nv = 32): IndexedMesh =>
  grid(nu, nv, false, (u, v, out) => {
    const theta = u * 2 * Math.PI;
    const phi = v * Math.PI;
    out[0] = r * Math.sin(phi) * Math.cos(theta);
    out[1] = r * Math.sin(phi) * Math.sin(theta);
    out[2] = -r * Math.cos(phi);
  });

/**
 * Torus around the z axis: major radius R, minor radius r. Triangles: 2·nu·nv.
 * `minor(u)` may vary the tube's cross-section with the angle u (used for rings whose shank thins).
 */
export const torus = (
  R: number,
  r: number,
  nu = 128,
  nv = 32,
  section?: (u: number) => { radial: number; vertical: number },
): IndexedMesh =>
  grid(nu, nv, true, (u, v, out) => {
    const theta = u * 2 * Math.PI;
    const phi = v * 2 * Math.PI;
    const s = section ? section(u) : { radial: r, vertical: r };
    const rho = R + s.radial * Math.cos(phi);
    out[0] = rho * Math.cos(theta);
    out[1] = rho * Math.sin(theta);
    out[2] = s.vertical * Math.sin(phi);
  });

/**
 * A ring band (rectangular cross-section tube around z): inner radius `inner`, radial thickness from
 * `thickness(u)`, height `height`. Triangles: 8·nu. Used for the thin-ring test (shank thins to 0.35 mm).
 */
export const ringBand = (inner: number, height: number, nu: number, thickness: (u: number) => number): IndexedMesh => {
  const positions = new Float32Array(nu * 4 * 3);
  for (let i = 0; i < nu; i++) {
    const theta = (i / nu) * 2 * Math.PI;
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const outer = inner + thickness(i / nu);
    const o = i * 12;
    // 0: inner bottom, 1: outer bottom, 2: outer top, 3: inner top
    positions.set([inner * c, inner * s, -height / 2, outer * c, outer * s, -height / 2], o);
    positions.set([outer * c, outer * s, height / 2, inner * c, inner * s, height / 2], o + 6);
  }
  const indices = new Uint32Array(nu * 8 * 3);
  let k = 0;
  for (let i = 0; i < nu; i++) {
    const a = i * 4;
    const b = ((i + 1) % nu) * 4;
    // Quads (p, q) of this slice to the next, oriented outward.
    const quad = (p0: number, p1: number, q1: number, q0: number): void => {
      indices.set([p0, p1, q1, p0, q1, q0], k);
      k += 6;
    };
    quad(a + 1, b + 1, b + 2, a + 2); // outer wall
    quad(a + 3, b + 3, b + 0, a + 0); // inner wall
    quad(a + 0, b + 0, b + 1, a + 1); // bottom
    quad(a + 2, b + 2, b + 3, a + 3); // top
  }
  return { positions, indices };
};
