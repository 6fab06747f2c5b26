import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'

/** An input made readable more than once: the path to read, and how to remove a spooled copy. */
export interface SpooledInput {
  /** The path the readers open: the input itself, or its spooled copy. */
  path: string
  /** The path the user gave (for messages). */
  shown: string
  /** True when `path` is a temporary copy of a pipe or device. */
  spooled: boolean
  /** Removes the copy (nothing for a regular file). Safe to call twice. */
  release(): Promise<void>
}

/**
 * Makes an input readable as often as a reader needs (hash, then sniff the format, then parse). A
 * regular file is read in place. A FIFO or character device (`ingest <(cat f.835)`,
 * `codes import /dev/stdin`) can be read only once, and a second open would wait for another
 * writer: it is copied, streaming, into a private temporary folder (mode 0700, the file 0600: it
 * may hold PHI) under the same base name (a quarter in the name still counts), and `release`
 * removes it. Anything else (missing, a directory, a socket) is returned as is, so that the
 * reader's own coded error names it.
 */
export async function spoolInput(path: string): Promise<SpooledInput> {
  const asIs: SpooledInput = { path, shown: path, spooled: false, release: async () => {} }
  let stats: Awaited<ReturnType<typeof stat>>
  try {
    stats = await stat(path)
  } catch {
    return asIs
  }
  if (!stats.isFIFO() && !stats.isCharacterDevice()) return asIs
  const folder = await mkdtemp(join(tmpdir(), 'onco-edi-spool-'))
  const copy = join(folder, basename(path) || 'input')
  const release = async (): Promise<void> => {
    await rm(folder, { recursive: true, force: true })
  }
  try {
    await pipeline(createReadStream(path), createWriteStream(copy, { mode: 0o600 }))
  } catch (error) {
    await release()
    throw error
  }
  return { path: copy, shown: path, spooled: true, release }
}

/** `text` with every mention of the spooled copy's path replaced by the path the user gave. */
export function showOriginal(text: string, input: Pick<SpooledInput, 'path' | 'shown' | 'spooled'>): string {
  return input.spooled ? text.replaceAll(input.path, input.shown) : text
}
