/**
 * The console's only script and stylesheet, served from `{basePath}/assets/` (no CDN, no
 * inline code: the CSP allows scripts and styles from 'self' only). Kept as strings so the
 * package works bundled (esbuild, Lambda) without locating files on disk.
 */

/**
 * - `[data-refresh-url]`: re-fetches that URL every `data-refresh-ms` (while the tab is
 *   visible) and swaps the element's content with the server-rendered, escaped fragment.
 * - `form[data-once]`: disables its buttons after the first submit (a double click posts once;
 *   the server also deduplicates on the form's nonce).
 */
export const CONSOLE_JS = `'use strict';
(function () {
  function refresh(el) {
    var url = el.getAttribute('data-refresh-url');
    var ms = Number(el.getAttribute('data-refresh-ms')) || 5000;
    var busy = false;
    setInterval(function () {
      if (busy || document.visibilityState === 'hidden') return;
      busy = true;
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
        .then(function (text) {
          el.innerHTML = text;
          el.setAttribute('data-refreshed-at', new Date().toISOString());
          var stamp = document.querySelector('[data-stamp]');
          if (stamp) stamp.textContent = 'updated ' + new Date().toLocaleTimeString();
        })
        .catch(function () {
          var stamp = document.querySelector('[data-stamp]');
          if (stamp) stamp.textContent = 'refresh failed; retrying';
        })
        .then(function () { busy = false; });
    }, ms);
  }
  function once(form) {
    form.addEventListener('submit', function (event) {
      if (form.getAttribute('data-sent') === '1') { event.preventDefault(); return; }
      form.setAttribute('data-sent', '1');
      var submitter = event.submitter;
      setTimeout(function () {
        form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
        if (submitter) submitter.textContent = submitter.textContent + '…';
      }, 0);
    });
  }
  document.querySelectorAll('[data-refresh-url]').forEach(refresh);
  document.querySelectorAll('form[data-once]').forEach(once);
})();
`;

export const CONSOLE_CSS = `:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#f6f7f9; --card:#fff; --accent:#2457c5; --ok:#1e7d43; --warn:#b35c00; --bad:#b4232a; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header.top { display:flex; gap:16px; align-items:center; padding:10px 20px; background:#111827; color:#fff; }
header.top a { color:#dbe4ff; text-decoration:none; }
header.top a.active { color:#fff; font-weight:600; border-bottom:2px solid #fff; }
header.top .brand { font-weight:700; color:#fff; margin-right:8px; }
header.top form { margin-left:auto; display:flex; gap:6px; }
header.top input { padding:4px 8px; border-radius:4px; border:0; min-width:220px; }
header.top .user { color:#aab4c8; }
main { padding:16px 20px; max-width:1400px; margin:0 auto; }
h1 { font-size:20px; margin:4px 0 12px; } h2 { font-size:16px; margin:18px 0 8px; } h3 { font-size:14px; margin:10px 0 6px; }
.muted { color:var(--muted); } .small { font-size:12px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(180px,1fr)); gap:10px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.card .label { color:var(--muted); font-size:12px; } .card .value { font-size:22px; font-weight:600; }
.card .target { font-size:12px; } .ok { color:var(--ok); } .over { color:var(--bad); } .warn { color:var(--warn); }
.grid2 { display:grid; grid-template-columns:repeat(auto-fit,minmax(420px,1fr)); gap:12px; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px; margin-bottom:12px; }
table { border-collapse:collapse; width:100%; background:var(--card); }
th,td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.ranges a { margin-right:8px; } .ranges a.active { font-weight:700; }
.tag { display:inline-block; padding:1px 6px; border-radius:10px; background:#eef1f7; border:1px solid var(--line); font-size:12px; margin:1px 2px; }
.tag.reason { background:#fff4e5; border-color:#f3c98b; }
.risk-high { color:var(--bad); font-weight:600; } .risk-medium { color:var(--warn); font-weight:600; } .risk-low { color:var(--ok); }
.note { white-space:pre-wrap; word-break:break-word; background:#fbfbf5; border:1px dashed var(--line); padding:6px 8px; border-radius:6px; max-width:520px; }
.flash { padding:8px 12px; border-radius:6px; margin-bottom:12px; background:#e8f5ec; border:1px solid #b8e0c4; }
.flash.error { background:#fdecec; border-color:#f3b8bb; }
.review-item { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px; margin-bottom:12px; display:grid; grid-template-columns: 1.2fr 1fr; gap:16px; }
.review-item form textarea { width:100%; min-height:44px; }
.actions { display:flex; flex-wrap:wrap; gap:6px; align-items:center; margin-top:6px; }
button { padding:5px 10px; border-radius:5px; border:1px solid var(--line); background:#fff; cursor:pointer; }
button.primary { background:var(--accent); color:#fff; border-color:var(--accent); }
button.danger { color:var(--bad); border-color:#f0b4b7; }
button:disabled { opacity:.6; cursor:default; }
.timeline { list-style:none; padding:0; margin:0; border-left:2px solid var(--line); }
.timeline > li { margin:0 0 12px 0; padding-left:14px; position:relative; }
.timeline > li::before { content:""; position:absolute; left:-7px; top:6px; width:12px; height:12px; border-radius:50%; background:var(--accent); }
details > summary { cursor:pointer; color:var(--accent); }
pre.facts { background:#f3f4f7; padding:6px 8px; border-radius:4px; overflow:auto; max-height:200px; margin:4px 0; font-size:12px; }
.chart { margin:0; } .chart figcaption { font-weight:600; margin-bottom:4px; }
.chart svg { width:100%; height:auto; background:#fff; }
.chart .tick line { stroke:#eceef3; } .chart text { font-size:10px; fill:var(--muted); } .chart .empty { font-size:13px; }
.chart .series polyline { stroke-width:2; } .chart .series circle { stroke:none; }
.s1 polyline { stroke:#2457c5; } .s1 circle, .s1 i { fill:#2457c5; background:#2457c5; }
.s2 polyline { stroke:#1e7d43; } .s2 circle, .s2 i { fill:#1e7d43; background:#1e7d43; }
.s3 polyline { stroke:#7b3fb8; } .s3 circle, .s3 i { fill:#7b3fb8; background:#7b3fb8; }
.s4 polyline { stroke:#b4232a; } .s4 circle, .s4 i { fill:#b4232a; background:#b4232a; }
.legend { font-size:12px; color:var(--muted); } .legend-item { margin-right:12px; }
.legend-item i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:middle; }
.state-diagram { width:100%; height:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
.state-diagram rect { fill:#f3f5fa; stroke:#9aa5b8; stroke-width:1; }
.state-diagram .visited rect { fill:#e5edff; stroke:#6b86c9; }
.state-diagram .current rect { fill:#2457c5; stroke:#0f2f7a; stroke-width:3; }
.state-diagram .current text { fill:#fff; font-weight:700; }
.state-diagram text { font-size:12px; fill:#1d2330; }
.state-diagram .edge { fill:none; stroke:#9aa5b8; stroke-width:1.2; } .state-diagram marker path { fill:#9aa5b8; }
.pager { margin-top:8px; }
`;
