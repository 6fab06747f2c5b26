import { randomBytes } from 'node:crypto'
import type { Stats } from 'node:fs'
import { mkdirSync, statSync } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Stable codes of output failures (README error table). */
export const OUTPUT_ERROR_CODES = ['CLI_UNWRITABLE_OUTPUT'] as const

export type OutputErrorCode = (typeof OUTPUT_ERROR_CODES)[number]

/** An output file or folder cannot be written: the command stops and exits 2. */
export class OutputFileError extends Error {
  readonly code: OutputErrorCode
  /** The path that could not be written. */
  readonly path: string

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OutputFileError'
    this.code = 'CLI_UNWRITABLE_OUTPUT'
    this.path = path
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'it exists and is not a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EINVAL: 'invalid path for this file system',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
}

/** A file-system error in one line without a stack: `it is a folder (EISDIR)`. */
export function describeFsError(cause: unknown): string {
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : undefined
  if (code !== undefined)
    return `${REASONS[code] ?? (cause instanceof Error ? cause.message : code)} (${code})`
  return cause instanceof Error ? cause.message : String(cause)
}

/**
 * Creates the output folder (and its parents) or checks the existing one. Throws
 * `CLI_UNWRITABLE_OUTPUT` naming the folder when it is a file or cannot be created.
 */
export function prepareOutputDir(dir: string): void {
  try {
    makeFolders(dir)
  } catch (cause) {
    throw new OutputFileError(dir, `Cannot write to the folder ${dir}: ${describeFsError(cause)}`, { cause })
  }
}

/**
 * mkdir -p, one level at a time. Node's `mkdirSync(dir, { recursive: true })` loops forever where
 * mkdir answers ENOENT although the parent exists (under /proc, measured on Node 24).
 */
function makeFolders(dir: string): void {
  let stats: Stats | undefined
  try {
    stats = statSync(dir)
  } catch (cause) {
    if (!hasCode(cause, 'ENOENT')) throw cause
  }
  if (stats !== undefined) {
    if (stats.isDirectory()) return
    throw Object.assign(new Error(`${dir} exists and is not a folder`), { code: 'EEXIST' })
  }
  const parent = dirname(dir)
  if (parent !== dir) makeFolders(parent)
  try {
    mkdirSync(dir)
  } catch (cause) {
    // Another process may have made it meanwhile.
    if (!hasCode(cause, 'EEXIST') || !statSync(dir).isDirectory()) throw cause
  }
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code
}

/**
 * Writes `text` to `path` all or nothing: into a temporary file next to it, then renamed over it,
 * so a reader never sees half a file and a failure leaves no file behind. Throws
 * `CLI_UNWRITABLE_OUTPUT` naming `path` (missing folder, a folder at `path`, a read-only place).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temp, text, { flag: 'wx' })
    await rename(temp, path)
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => {})
    throw new OutputFileError(path, `Cannot write ${path}: ${describeFsError(cause)}`, { cause })
  }
}
