import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpillPort } from '@mmreplay/explorer';

/**
 * The approximate search's frontier on disk (the explorer's SpillPort): a directory of its own
 * (under `dir`, default the system's temporary directory), one file per breadth-first level, each
 * block a length word and its tuples. Files are written and read synchronously: the search is a
 * synchronous loop on its own thread. A level's file goes once it has been read, the directory
 * when the search ends (close), whether it finished, was cancelled or hit a bound.
 */
export class FileSpill implements SpillPort {
  readonly dir: string;
  private readonly files = new Map<number, { fd: number; readAt: number }>();
  private readonly header = new Uint32Array(1);
  /** bytes written in all, for figures */
  written = 0;

  constructor(dir: string = tmpdir()) {
    this.dir = mkdtempSync(join(dir, 'mmreplay-spill-'));
  }

  private file(level: number): { fd: number; readAt: number } {
    let f = this.files.get(level);
    if (!f) {
      f = { fd: openSync(this.path(level), 'w+'), readAt: 0 };
      this.files.set(level, f);
    }
    return f;
  }

  private path(level: number): string {
    return join(this.dir, `level-${level}.bin`);
  }

  append(level: number, block: Uint32Array): void {
    const f = this.file(level);
    this.header[0] = block.length;
    writeSync(f.fd, this.header);
    writeSync(f.fd, block);
    this.written += 4 + block.byteLength;
  }

  read(level: number, into: Uint32Array): number {
    const f = this.files.get(level);
    if (!f) return 0;
    if (readSync(f.fd, this.header, 0, 4, f.readAt) < 4) return 0;
    const words = this.header[0];
    const bytes = words * 4;
    let got = 0;
    while (got < bytes) {
      const n = readSync(f.fd, into, got, bytes - got, f.readAt + 4 + got);
      if (n === 0) throw new Error(`spill file of level ${level} ends inside a block`);
      got += n;
    }
    f.readAt += 4 + bytes;
    return words;
  }

  drop(level: number): void {
    const f = this.files.get(level);
    if (!f) return;
    closeSync(f.fd);
    unlinkSync(this.path(level));
    this.files.delete(level);
  }

  close(): void {
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The spill port an audit worker makes (audit-worker.ts `spill.module`): a FileSpill under `dir`, created if missing. */
export function createSpillPort(dir: string): FileSpill {
  mkdirSync(dir, { recursive: true });
  return new FileSpill(dir);
}
