import { closeSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

/**
 * The file operations of the persisted workspace: a snapshot written whole (temp file, fsync, rename,
 * so a crash leaves the old one or the new one, never half of one) and an append-only journal.
 */

/** One line of a JSON Lines file; `end` is the byte offset after its newline. */
export interface Line {
  text: string;
  end: number;
  /** False for a last line without its newline: a write cut short by a crash. */
  complete: boolean;
}

/** The lines of a file, read in chunks (a snapshot can be larger than one string may be). */
export async function* readLines(file: string): AsyncGenerator<Line> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        offset += nl + 1 - start;
        yield { text: data.toString('utf8', start, nl), end: offset, complete: true };
        start = nl + 1;
      }
      // Buffer.concat copied: the rest does not alias the reused chunk.
      carry = data.subarray(start);
    }
    if (carry.length > 0) yield { text: carry.toString('utf8'), end: offset + carry.length, complete: false };
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable (best effort: some platforms cannot fsync a directory). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // a rename that is not yet durable is still atomic
  }
}

/** Replaces `file` with these lines atomically; returns the bytes written. */
export function writeFileAtomic(file: string, lines: Iterable<string>): number {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    let buffered: string[] = [];
    let size = 0;
    const drain = () => {
      bytes += writeSync(fd, buffered.join(''));
      buffered = [];
      size = 0;
    };
    for (const line of lines) {
      buffered.push(line, '\n');
      size += line.length + 1;
      if (size >= 1 << 20) drain();
    }
    drain();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDir(path.dirname(file));
  return bytes;
}

export interface Journal {
  /** Bytes in the file, header included. */
  readonly bytes: number;
  /**
   * Appends one line. The write reaches the kernel at once, so a killed process loses nothing
   * written; the fsync that guards against a machine crash follows in the background, one at a time.
   */
  append(line: string): void;
  /** Syncs and closes (after a background sync still running, if any). */
  close(): void;
}

/**
 * Opens `file` for appending. `header` given: the file is replaced by one holding only that line
 * (atomically); otherwise it is cut back to `keepBytes` first (a torn last line is dropped).
 */
export function openJournal(file: string, options: { header?: string; keepBytes?: number; onError: (err: Error) => void }): Journal {
  if (options.header !== undefined) writeFileAtomic(file, [options.header]);
  const fd = openSync(file, 'r+');
  let bytes = options.keepBytes ?? fstatSync(fd).size;
  ftruncateSync(fd, bytes);
  let syncing = false;
  let unsynced = false;
  let closing = false;
  let closed = false;

  const finishClose = () => {
    if (closed) return;
    closed = true;
    closeSync(fd);
  };
  const syncSoon = () => {
    unsynced = true;
    if (syncing || closing) return;
    syncing = true;
    unsynced = false;
    fdatasync(fd, (err) => {
      syncing = false;
      if (err) options.onError(err);
      if (closing) finishClose();
      else if (unsynced) syncSoon();
    });
  };

  return {
    get bytes() {
      return bytes;
    },
    append(line) {
      const buffer = Buffer.from(`${line}\n`, 'utf8');
      let written = 0;
      while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written, bytes + written);
      bytes += buffer.length;
      syncSoon();
    },
    close() {
      if (closing) return;
      closing = true;
      fsyncSync(fd);
      // Closing under a running fdatasync would let it act on whatever file reuses the descriptor.
      if (!syncing) finishClose();
    },
  };
}
