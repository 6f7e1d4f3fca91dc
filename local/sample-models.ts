/** Binary STL writers for the demo and the tests: closed, outward-facing meshes whose volume is known. */

type Vec = [number, number, number];

export function binaryStl(triangles: readonly [Vec, Vec, Vec][]): Uint8Array {
  const buf = new ArrayBuffer(84 + triangles.length * 50);
  const view = new DataView(buf);
  view.setUint32(80, triangles.length, true);
  triangles.forEach((tri, i) => {
    const o = 84 + i * 50 + 12; // normal left zero: readers recompute it
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) view.setFloat32(o + j * 12 + k * 4, tri[j]?.[k] ?? 0, true);
  });
  return new Uint8Array(buf);
}

/** A torus (a plain ring): major radius R, minor radius r, in mm. Volume → 2π²Rr² as segments grow. */
export function torusStl(R = 9, r = 1.2, segments = 48, sides = 24): Uint8Array {
  const point = (i: number, j: number): Vec => {
    const u = (2 * Math.PI * (i % segments)) / segments;
    const v = (2 * Math.PI * (j % sides)) / sides;
    return [(R + r * Math.cos(v)) * Math.cos(u), (R + r * Math.cos(v)) * Math.sin(u), r * Math.sin(v)];
  };
  const tris: [Vec, Vec, Vec][] = [];
  for (let i = 0; i < segments; i++) {
    for (let j = 0; j < sides; j++) {
      const a = point(i, j);
      const b = point(i + 1, j);
      const c = point(i + 1, j + 1);
      const d = point(i, j + 1);
      tris.push([a, b, c], [a, c, d]);
    }
  }
  return binaryStl(tris);
}

/** An axis-aligned cube with edge `s` mm from the origin: volume s³, area 6s². */
export function cubeStl(s = 10): Uint8Array {
  const v = (x: number, y: number, z: number): Vec => [x * s, y * s, z * s];
  const quads: Vec[][] = [
    [v(0, 0, 0), v(0, 1, 0), v(1, 1, 0), v(1, 0, 0)],
    [v(0, 0, 1), v(1, 0, 1), v(1, 1, 1), v(0, 1, 1)],
    [v(0, 0, 0), v(1, 0, 0), v(1, 0, 1), v(0, 0, 1)],
    [v(0, 1, 0), v(0, 1, 1), v(1, 1, 1), v(1, 1, 0)],
    [v(0, 0, 0), v(0, 0, 1), v(0, 1, 1), v(0, 1, 0)],
    [v(1, 0, 0), v(1, 1, 0), v(1, 1, 1), v(1, 0, 1)],
  ];
  return binaryStl(quads.flatMap(([a, b, c, d]) => [[a, b, c] as [Vec, Vec, Vec], [a, c, d] as [Vec, Vec, Vec]]));
}
