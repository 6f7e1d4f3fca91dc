/**
 * Just enough of STL (binary and ASCII) and OBJ to show a model: a flat array of triangle vertices (mm). The
 * engine's own reader validates and repairs; the viewer only draws what it is given.
 */
export function parseModel(bytes: ArrayBuffer, format?: string): Float32Array {
  if (format === 'obj') return parseObj(new TextDecoder().decode(bytes));
  if (format === 'stl-ascii' || (!format && looksAscii(bytes))) return parseAsciiStl(new TextDecoder().decode(bytes));
  return parseBinaryStl(bytes);
}

function looksAscii(bytes: ArrayBuffer): boolean {
  const head = new TextDecoder().decode(bytes.slice(0, 256)).trimStart();
  if (!head.startsWith('solid')) return false;
  // Binary files may also start with "solid": trust the size the header declares.
  if (bytes.byteLength >= 84) {
    const count = new DataView(bytes).getUint32(80, true);
    if (84 + count * 50 === bytes.byteLength) return false;
  }
  return true;
}

function parseBinaryStl(bytes: ArrayBuffer): Float32Array {
  const view = new DataView(bytes);
  const count = Math.min(view.getUint32(80, true), Math.floor((bytes.byteLength - 84) / 50));
  const out = new Float32Array(count * 9);
  for (let i = 0; i < count; i++) {
    const base = 84 + i * 50 + 12;
    for (let j = 0; j < 9; j++) out[i * 9 + j] = view.getFloat32(base + j * 4, true);
  }
  return out;
}

function parseAsciiStl(text: string): Float32Array {
  const values: number[] = [];
  for (const match of text.matchAll(/vertex\s+(\S+)\s+(\S+)\s+(\S+)/g)) {
    values.push(Number(match[1]), Number(match[2]), Number(match[3]));
  }
  return new Float32Array(values.slice(0, values.length - (values.length % 9)));
}

function parseObj(text: string): Float32Array {
  const vertices: number[][] = [];
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === 'v') vertices.push([Number(parts[1]), Number(parts[2]), Number(parts[3])]);
    else if (parts[0] === 'f') {
      const idx = parts.slice(1).map((p) => {
        const n = Number.parseInt(p.split('/')[0] ?? '', 10);
        return n < 0 ? vertices.length + n : n - 1;
      });
      // A polygon as a fan of triangles.
      for (let k = 1; k + 1 < idx.length; k++) {
        for (const i of [idx[0], idx[k], idx[k + 1]]) out.push(...(vertices[i ?? -1] ?? [0, 0, 0]));
      }
    }
  }
  return new Float32Array(out);
}
