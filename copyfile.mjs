import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { createReadStream, readFileSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
const [db, ...specs] = process.argv.slice(2)  // spec: table(cols)=file  or pre:SQL
const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` })
await c.connect()
const pid = (await c.query('select pg_backend_pid() as p')).rows[0].p
const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]) }
const t0 = ticks(); const w0 = Date.now()
await c.query('begin')
for (const s of specs) {
  if (s.startsWith('sql:')) { await c.query(s.slice(4)); continue }
  const [target, file] = s.split('=')
  await pipeline(createReadStream(file), c.query(copyFrom(`copy ${target} from stdin`)))
}
await c.query('commit')
console.log(`${specs.map(s=>s.split('=')[0]).join(' + ')}: backend ${ticks() - t0} ticks, wall ${Date.now() - w0} ms`)
await c.end()
