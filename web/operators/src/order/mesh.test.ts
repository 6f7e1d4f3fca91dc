import { describe, expect, it } from 'vitest';
import { parseModel } from './mesh.ts';

const triangle = [0, 0, 0, 1, 0, 0, 0, 1, 0];

function binaryStl(triangles: number[][], header = 'binary'): ArrayBuffer {
  const buffer = new ArrayBuffer(84 + triangles.length * 50);
  const view = new DataView(buffer);
  new Uint8Array(buffer).set(new TextEncoder().encode(header));
  view.setUint32(80, triangles.length, true);
  triangles.forEach((t, i) => {
    t.forEach((v, j) => {
      view.setFloat32(84 + i * 50 + 12 + j * 4, v, true);
    });
  });
  return buffer;
}

describe('the viewer’s model reader', () => {
  it('reads binary STL, also when its header starts with "solid"', () => {
    expect([...parseModel(binaryStl([triangle]))]).toEqual(triangle);
    expect([...parseModel(binaryStl([triangle, triangle], 'solid but binary'))]).toEqual([...triangle, ...triangle]);
  });

  it('reads ASCII STL and OBJ (polygons as fans, negative indices)', () => {
    const ascii =
      'solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid';
    expect([...parseModel(new TextEncoder().encode(ascii).buffer as ArrayBuffer)]).toEqual(triangle);
    const obj = 'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\nf -4 -3 -2';
    const positions = parseModel(new TextEncoder().encode(obj).buffer as ArrayBuffer, 'obj');
    expect(positions.length).toBe(27);
    expect([...positions.slice(9, 18)]).toEqual([0, 0, 0, 1, 1, 0, 0, 1, 0]);
  });

  it('reads a truncated binary STL only as far as it goes', () => {
    const buffer = binaryStl([triangle, triangle]).slice(0, 84 + 60);
    expect(parseModel(buffer).length).toBe(9);
  });
});
