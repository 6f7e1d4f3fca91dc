/**
 * A model file as a ByteSource: positioned reads on demand, so the engine can stream a binary STL through one
 * reused chunk instead of the CLI first copying the whole file into fresh memory (≈ 0.15 s of page faults per
 * 50 MB on our VMs). The geometry package itself stays free of I/O.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '@facet/geometry/source';

export interface FileSource extends ByteSource {
  close(): void;
}

/** Opens a regular file for reading. Throws the fs error (ENOENT, EACCES …) or "not a regular file". */
export const openFileSource = (path: string): FileSource => {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    return {
      size: st.size,
      readAt: (target, position) => readSync(fd, target, 0, target.length, position),
      close: () => closeSync(fd),
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
};
