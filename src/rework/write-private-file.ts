import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Creates a directory (and its parents) readable by its owner only (0700). A directory that
 * already exists keeps its mode: it is the user's.
 */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
}

/**
 * Writes a file readable and writable by its owner only (0600), atomically: the bytes go to a
 * temporary file in the same directory, which is flushed and then renamed over the target, so a
 * reader never sees half a file and a crash leaves the old one. The temporary file is removed
 * when the write fails.
 */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', 0o600)
  try {
    try {
      await handle.writeFile(data)
      // The mode given to open() is masked by the umask; set it exactly.
      await handle.chmod(0o600)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
