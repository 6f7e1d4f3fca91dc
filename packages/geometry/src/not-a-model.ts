/**
 * What an unreadable upload looks like, in a customer's words, and the `not_a_model` error that says so together
 * with what we accept. Recognised by content (signatures, text or binary), never by file name. Messages name the
 * kind of file only: never its contents.
 */
import { ModelError } from './errors.ts';
import { looksLikeText } from './text.ts';
import type { ZipEntry } from './zip.ts';

export const ACCEPTED_FORMATS = 'We accept STL (binary or ASCII), OBJ and 3MF files.';

/** A machine-readable label for `detail.looksLike` (metrics, support). */
export type ContentKind =
  | 'image'
  | 'document'
  | 'archive'
  | 'program'
  | 'video'
  | 'other_3d_format'
  | 'text'
  | 'binary'
  | 'zip_without_model';

interface Signature {
  /** Bytes at `at` (a string stands for its ASCII bytes). */
  bytes: readonly number[] | string;
  at?: number;
  what: string;
  kind: ContentKind;
}

// Only signatures of 4 bytes or more, or unmistakable ones: a damaged STL's free-form header must not look like one.
const SIGNATURES: readonly Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', kind: 'image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image', kind: 'image' },
  { bytes: 'GIF8', what: 'a GIF image', kind: 'image' },
  { bytes: 'WEBP', at: 8, what: 'a WebP image', kind: 'image' },
  { bytes: 'II*\0', what: 'a TIFF image', kind: 'image' },
  { bytes: 'MM\0*', what: 'a TIFF image', kind: 'image' },
  { bytes: 'ftypheic', at: 4, what: 'a HEIC photo', kind: 'image' },
  { bytes: 'ftypmif1', at: 4, what: 'a HEIC photo', kind: 'image' },
  { bytes: 'ftyp', at: 4, what: 'a video (MP4 or MOV)', kind: 'video' },
  { bytes: '%PDF', what: 'a PDF document', kind: 'document' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an older Microsoft Office document', kind: 'document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive', kind: 'archive' },
  { bytes: 'Rar!', what: 'a RAR archive', kind: 'archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive', kind: 'archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (an executable)', kind: 'program' },
  { bytes: 'glTF', what: 'a glTF binary (GLB) model', kind: 'other_3d_format' },
  { bytes: 'Kaydara FBX Binary', what: 'an FBX model', kind: 'other_3d_format' },
  { bytes: 'ply\n', what: 'a PLY model', kind: 'other_3d_format' },
  { bytes: 'ply\r\n', what: 'a PLY model', kind: 'other_3d_format' },
  { bytes: 'ISO-10303-21', what: 'a STEP file (CAD)', kind: 'other_3d_format' },
  { bytes: '3D Geometry File Format', what: 'a Rhino 3DM model', kind: 'other_3d_format' },
  { bytes: 'BLENDER', what: 'a Blender file', kind: 'other_3d_format' },
];

const matches = (b: Uint8Array, s: Signature): boolean => {
  const at = s.at ?? 0;
  const sig = typeof s.bytes === 'string' ? Array.from(s.bytes, (c) => c.charCodeAt(0)) : s.bytes;
  return b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
};

/** The signature of a known kind of file that is not one of our models, if the bytes start with one. */
export const knownNonModel = (bytes: Uint8Array): Signature | undefined => SIGNATURES.find((s) => matches(bytes, s));

const firstNonBlank = (b: Uint8Array): number => {
  let p = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (p < b.length && (b[p] === 32 || b[p] === 9 || b[p] === 10 || b[p] === 13)) p++;
  return p;
};

const describeText = (b: Uint8Array): { what: string; kind: ContentKind } => {
  const p = firstNonBlank(b);
  if (p >= b.length) return { what: 'a text file with nothing but blank space in it', kind: 'text' };
  if (b[p] === 60) return { what: 'an HTML or XML document', kind: 'document' };
  if (b[p] === 123 || b[p] === 91) return { what: 'a JSON document', kind: 'document' };
  return {
    what: "text that is neither an ASCII STL ('solid …' with 'facet' lines) nor an OBJ ('v …' and 'f …' lines)",
    kind: 'text',
  };
};

const n = (v: number): string => v.toLocaleString('en-US');

/** Binary content that no reader claims: the header's triangle count is the telling figure. */
const describeBinary = (b: Uint8Array): { what: string; kind: ContentKind } => {
  if (b.every((v) => v === 0))
    return { what: 'a file holding nothing but zeros (nothing was written into it)', kind: 'binary' };
  if (b.length < 84) {
    return {
      what: `binary data of ${n(b.length)} bytes, too short for a binary STL (84 bytes of header)`,
      kind: 'binary',
    };
  }
  const count = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(80, true);
  return {
    what: `binary data that is not a binary STL (its triangle count says ${n(count)} triangles = ${n(84 + count * 50)} bytes, the file has ${n(b.length)} bytes)`,
    kind: 'binary',
  };
};

/** A readable account of content none of the readers accepted. */
export const describeContent = (bytes: Uint8Array): { what: string; kind: ContentKind } => {
  const known = knownNonModel(bytes);
  if (known) return known;
  return looksLikeText(bytes) ? describeText(bytes) : describeBinary(bytes);
};

/** A ZIP archive without a 3MF model part: what it holds instead, when that is telling. */
export const describeZip = (entries: readonly ZipEntry[]): { what: string; kind: ContentKind } => {
  const names = entries.map((e) => e.name.toLowerCase());
  if (names.some((name) => /\.(stl|obj|3mf)$/.test(name))) {
    return {
      what: 'a ZIP archive holding model files rather than a 3MF model (upload the model file itself, not the archive)',
      kind: 'zip_without_model',
    };
  }
  if (names.some((name) => name.startsWith('word/') || name.startsWith('xl/') || name.startsWith('ppt/'))) {
    return { what: 'a Microsoft Office document', kind: 'document' };
  }
  return {
    what: 'a ZIP archive without a 3D model (a 3MF file keeps its model in 3D/3dmodel.model)',
    kind: 'zip_without_model',
  };
};

export const notAModel = ({ what, kind }: { what: string; kind: ContentKind }): ModelError =>
  kind === 'other_3d_format'
    ? new ModelError(
        'not_a_model',
        `This file is a 3D model in a format we do not read: it looks like ${what}. ${ACCEPTED_FORMATS} Please export the model as one of them.`,
        { looksLike: kind },
      )
    : new ModelError(
        'not_a_model',
        `This file is not a 3D model we can read: it looks like ${what}. ${ACCEPTED_FORMATS}`,
        { looksLike: kind },
      );
