import { readdirSync, readFileSync } from 'node:fs'
import { it } from 'vitest'
import { X12Reader } from '../../parsers/x12-reader.js'
it('scan', () => {
  const dir = '/work/shared/corpus/external'
  const lines: string[] = []
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue
    for (const f of readdirSync(`${dir}/${sub.name}`)) {
      const path = `${dir}/${sub.name}/${f}`
      let events
      try { const r = new X12Reader(); events = [...r.write(readFileSync(path)), ...r.end()] } catch (e) { lines.push(`${sub.name}/${f}: THROW ${(e as Error).message.slice(0,80)}`); continue }
      let claims = 0
      for (const e of events) {
        if (e.type === 'claim837' || e.type === 'claim835') claims++
        if (e.type === 'transaction-end') for (const i of e.issues) if (!i.code.startsWith('X12_SE') && !['X12_UNSUPPORTED_VERSION','X12_UNSUPPORTED_TRANSACTION','X12_VERSION_MISMATCH'].includes(i.code)) lines.push(`${sub.name}/${f}: ${i.severity} ${i.code} ${i.message.slice(0,140)} @${i.position?.segmentId}${i.position?.element ?? ''}`)
      }
      lines.push(`${sub.name}/${f}: claims=${claims}`)
    }
  }
  console.log(lines.join('\n'))
})
