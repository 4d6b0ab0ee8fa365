// The stylesheet, served by jimu itself from /static/jimu.css (closed networks: no external
// fonts or styles; the CSP forbids inline styles).
#include "engine/web/web_app.h"

namespace jimu::web {

const std::string& stylesheet() {
  static const std::string css = R"CSS(
:root { --ink: #1d2733; --muted: #5b6673; --line: #d5dbe2; --accent: #1f5fa8; --ok: #1c7c3a;
        --bad: #b3261e; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo",
       sans-serif; color: var(--ink); background: var(--bg); line-height: 1.5; }
header { display: flex; align-items: center; gap: 1rem; padding: .5rem 1rem; background: #fff;
         border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header .brand { font-weight: bold; color: var(--accent); }
header nav { display: flex; gap: .75rem; flex: 1; }
header nav a { color: var(--ink); text-decoration: none; padding: .25rem .5rem; border-radius: 4px; }
header nav a[aria-current] { background: var(--accent); color: #fff; }
header .who { color: var(--muted); }
form.inline { display: inline; margin: 0; }
button.link { background: none; border: none; color: var(--accent); cursor: pointer; padding: 0;
              font: inherit; }
main { padding: 1rem 1.5rem; max-width: 1200px; }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td pre, pre { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: .9rem; }
tr.failed td, .failed, tr.error td { color: var(--bad); }
tr.warn td { color: #8a5a00; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: .75rem; }
.figure { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
.figure .label { color: var(--muted); font-size: .9rem; }
.figure .value { font-size: 1.8rem; font-weight: bold; }
.figure .against { color: var(--muted); font-size: .85rem; }
.charts { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.charts svg { background: #fff; border: 1px solid var(--line); max-width: 100%; height: auto; }
svg.jimu-chart text { font-size: 11px; }
.error { color: var(--bad); }
.done { color: var(--ok); }
.proxy, .deputy, .sent-back { display: inline-block; margin-left: .5rem; padding: 0 .4rem;
       border-radius: 3px; background: #fff3cd; color: #6b4e00; font-size: .85rem; }
form.decide { display: flex; gap: .25rem; margin: .15rem 0; }
form.decide input { flex: 1; min-width: 6rem; }
form.filters { display: flex; gap: 1rem; align-items: end; margin-bottom: 1rem; }
input, select, button { font: inherit; padding: .2rem .4rem; }
body.login main { max-width: 360px; margin: 4rem auto; background: #fff; padding: 1.5rem;
                  border: 1px solid var(--line); border-radius: 8px; }
body.login label { display: block; margin: .75rem 0; }
body.login input { width: 100%; }
body.login button { margin-top: .5rem; width: 100%; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.run dt { color: var(--muted); }
dl.run dd { margin: 0; }
@media print { header { display: none; } }
)CSS";
  return css;
}

}  // namespace jimu::web
