// Checksums computed on a second core while the main thread parses.
//
// A start-up from the persisted cache reads every corpus file to compare its content hash with the cached
// one, and checks the sha256 of both cache files before trusting them: ~0.4 s at 10,000 articles, all of
// it independent of parsing the cache. A Hasher is a small worker thread (plain JavaScript: no TypeScript
// loader to boot) that does those hashes while the main thread parses; the cache files' bytes are read
// into shared memory, so the worker hashes exactly the bytes the main thread parses (one worker per cache
// file, ended once it answers: a thread that has seen shared bytes keeps them alive until it ends). Nothing
// parsed is used before its checksum has come back and matched.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const CODE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
// One buffer for every file read: hashing ten thousand files allocates next to nothing.
const buf = Buffer.allocUnsafe(1 << 16);
const hashFile = (path, max) => {
  let fd;
  try {
    fd = openSync(path, 'r');
    if (fstatSync(fd).size > max) return null;
    const h = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      size += n;
      if (size > max) return null;
      h.update(buf.subarray(0, n));
    }
    return h.digest('hex');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};
parentPort.on('message', (m) => {
  if (m.files) parentPort.postMessage({ id: m.id, hashes: m.files.map((p) => hashFile(p, m.max)) });
  else parentPort.postMessage({ id: m.id, hash: createHash('sha256').update(m.bytes).digest('hex') });
});
`;

type Reply = { id: number; hashes?: (string | null)[]; hash?: string };

export class Hasher {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      w?.resolve(r);
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`hashing worker exited (${code})`)));
  }

  /** A hashing worker, or null when no worker thread can be made (then hash on the calling thread). */
  static start(): Hasher | null {
    try {
      return new Hasher(new Worker(CODE, { eval: true }));
    } catch {
      return null;
    }
  }

  private ask(m: Record<string, unknown>): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...m, id });
    });
  }

  /** sha256 (hex) of each file's bytes; null for a file that cannot be read or is over `maxBytes`. */
  async files(paths: string[], maxBytes: number): Promise<(string | null)[]> {
    return (await this.ask({ files: paths, max: maxBytes })).hashes!;
  }

  /** sha256 (hex) of bytes in shared memory (see readShared). */
  async bytes(view: Uint8Array): Promise<string> {
    return (await this.ask({ bytes: view })).hash!;
  }

  close(): void {
    void this.worker.terminate();
  }
}

/** A file's bytes in shared memory, so a Hasher can read them without a copy. */
export function readShared(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const sab = new SharedArrayBuffer(size);
    const view = new Uint8Array(sab);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, view, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return Buffer.from(sab, 0, off);
  } finally {
    closeSync(fd);
  }
}
