import { it } from 'vitest'
import { loadCodeTableRecordsFromFiles } from '../../../src/codes/code-table-repository.js'
it('scratch', async () => {
  const r = await loadCodeTableRecordsFromFiles('fixtures/codes')
  for (const f of r.files) console.log(f.path, f.kind, f.quarter, f.quarterSource, f.headerLine, f.sheet)
  console.log(r.hcpcs.length, r.crosswalk.length, r.addOns.length, r.mue.length, r.changes.length)
  console.log(JSON.stringify(r.addOns.filter(a => a.addOnCode === '96417')))
}, 120000)
