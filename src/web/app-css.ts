/** The stylesheet of the web app, served at /static/app.css (kept in code: the build copies no assets). */
export const APP_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d2430; background: #f6f7f9; }
body { margin: 0; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1.5rem; padding: .6rem 1.2rem; background: #1f3a5f; color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; }
header.top nav { display: flex; flex-wrap: wrap; gap: .2rem 1rem; flex: 1; }
header.top nav a[aria-current=page] { text-decoration: underline; }
header.top .who { display: flex; gap: .6rem; align-items: center; margin-left: auto; }
main { padding: 1rem 1.2rem; }
h1 { font-size: 1.4rem; margin: .2rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #dde1e7; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
/* Amounts, counts and dates are never split over two lines. */
td.num, td.nowrap { white-space: nowrap; }
/* The worklist's "244 overdue" may take two lines on a narrow screen. */
td[data-days-left] { white-space: normal; }
/* A user name may be an e-mail address: it breaks anywhere rather than widen the table. */
.assignee { overflow-wrap: anywhere; }
td { overflow-wrap: break-word; }
.overdue { background: #fbe3e3; color: #8a1010; font-weight: 600; }
.due-soon { background: #fff3d6; color: #7a5200; font-weight: 600; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: .8rem; }
form.filters label, form.inline label { display: flex; flex-direction: column; font-size: .8rem; gap: .15rem; }
form.inline { display: flex; gap: .5rem; align-items: end; margin: .4rem 0; flex-wrap: wrap; }
td form.inline { margin: 0; }
input, select, textarea, button { font: inherit; padding: .25rem .4rem; }
button { background: #1f3a5f; color: #fff; border: 0; border-radius: 3px; padding: .3rem .8rem; cursor: pointer; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 4px; padding: .8rem 1rem; margin-bottom: 1rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 1rem; }
.grid > * { min-width: 0; }
/* The item's denial and actions: side by side only when the denial gets 28rem. */
.grid.item-top { grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); }
.error { color: #8a1010; background: #fbe3e3; padding: .5rem .8rem; border-radius: 3px; }
.ok { color: #0c5a2a; background: #dff3e6; padding: .5rem .8rem; border-radius: 3px; }
.muted { color: #5b6574; }
dl.facts { display: grid; grid-template-columns: minmax(6rem, max-content) minmax(0, 1fr); gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: #5b6574; max-width: 11rem; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
dl.facts dd ul { margin: 0; padding-left: 1.1rem; }
.login { max-width: 22rem; margin: 4rem auto; }
.login form { display: flex; flex-direction: column; gap: .6rem; }
figure.chart { margin: .4rem 0 .8rem; }
/* A wide table scrolls in its own box; the page never scrolls sideways. */
.table-scroll { overflow-x: auto; max-width: 100%; }
.finance .card { min-width: 0; padding: .8rem .75rem; }
/* A section's table as wide as its columns need (a 3-column table is not spread over 1300 px). */
.finance table { font-size: .75rem; width: auto; min-width: min(100%, 40rem); }
.finance th, .finance td { padding: .3rem .2rem; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
/* One section a row up to ~1800 px: a section's table (9 columns, amounts in the millions) needs the width. */
.grid.finance { grid-template-columns: repeat(auto-fit, minmax(min(100%, 54rem), 1fr)); }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #1d2430; }
th[scope=colgroup] { text-align: center; border-bottom: 1px solid #c5ccd6; }
/* A laptop split screen: less padding, so that more of each table fits. */
@media (max-width: 900px) {
  header.top { padding: .5rem .8rem; }
  main { padding: .8rem .6rem; }
  .card { padding: .7rem .6rem; }
  table { font-size: .8rem; }
  th, td { padding: .3rem .25rem; }
}
`
