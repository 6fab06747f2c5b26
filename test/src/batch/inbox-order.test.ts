import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { claimInboxFile, listClaimed, listInbox, prepareInbox } from '../../../src/batch/inbox.js'
import { newClaimId } from '../../../src/batch/process-file.js'

describe('inbox claim order', () => {
  it('makes claim ids that sort in the order they were made, many within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newClaimId())
    expect(new Set(ids).size).toBe(ids.length)
    const sorted = [...ids].sort()
    expect(sorted).toEqual(ids)
    expect(ids.every((id) => !id.includes('--'))).toBe(true)
  })

  it('gives back the files a killed process left in .work/ in the order it claimed them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'inbox-order-'))
    const inbox = join(root, 'in')
    await prepareInbox(inbox, join(root, 'out'))
    // Names whose claim order (name order) differs from a random order of their ids.
    const names = Array.from({ length: 300 }, (_, i) => `${i}-file.x12`)
    for (const name of names) writeFileSync(join(inbox, name), 'x')
    const claimedOrder: string[] = []
    for (const name of await listInbox(inbox)) {
      const claimed = await claimInboxFile(inbox, name)
      if (claimed !== undefined) claimedOrder.push(claimed.name)
    }
    expect(readdirSync(join(inbox, '.work'))).toHaveLength(300)
    const leftovers = await listClaimed(inbox)
    expect(leftovers.map((f) => f.name)).toEqual(claimedOrder)
  })
})
