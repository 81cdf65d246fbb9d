"""The report's stylesheet and script, inlined into every page (no network, no CDN).

Fonts: only families installed with the OS or Office (Times New Roman on
Windows, Liberation Serif from Debian's fonts-liberation2, Noto/DejaVu on
most Linux desktops); all of them cover Vietnamese.  Nothing is downloaded.
"""
from .statuses import Status

# status -> (background, text); the workbook uses the same.  None: not compared.
STATUS_COLOURS: dict[Status | None, tuple[str, str]] = {
    Status.CARRIED: ("D8EFD3", "1B5E20"),
    Status.MODIFIED: ("FFEDB3", "6B4700"),
    Status.DROPPED: ("F7CFCA", "8B1A10"),
    Status.ADDED: ("D3E4FA", "0D3C78"),
    None: ("ECECEC", "555555"),
}

def _status_css() -> str:
    lines = []
    for status, (bg, fg) in STATUS_COLOURS.items():
        name = status or "none"
        lines.append(f".s-{name}{{background:#{bg};color:#{fg}}}")
        lines.append(f".b-{name}{{background:#{bg};color:#{fg};border:1px solid #{fg}55}}")
    return "\n".join(lines)


CSS = """
:root{--ink:#1d232b;--muted:#5b6570;--line:#c9d0d8;--head:#123a63;--band:#f4f6f9}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;
 font-family:"Times New Roman","Liberation Serif","Noto Serif","DejaVu Serif",serif;
 font-size:16px;line-height:1.45}
header.top{background:var(--head);color:#fff;padding:14px 28px 12px}
header.top h1{margin:0;font-size:25px;font-weight:bold;letter-spacing:.2px}
header.top p{margin:3px 0 0;color:#d8e3ef;font-size:15px}
header.top a{color:#fff}
main{padding:10px 28px 40px;max-width:1800px}
h2{font-size:21px;color:var(--head);border-bottom:2px solid var(--head);padding-bottom:3px;
 margin:26px 0 10px}
h3{font-size:18px;margin:18px 0 6px;color:var(--head)}
p.note{color:var(--muted);margin:4px 0 10px;font-size:15px}
a{color:#0b4f9c}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid var(--line);padding:4px 7px;vertical-align:top;text-align:left}
thead th{background:#e6ecf3;font-weight:bold;font-size:15px}
tfoot td,tfoot th{background:var(--band);font-weight:bold}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th[data-sort]{cursor:pointer;user-select:none}
th[data-sort]:after{content:" \\2195";color:#8a96a3;font-weight:normal}
th[aria-sort=ascending]:after{content:" \\2191";color:var(--ink)}
th[aria-sort=descending]:after{content:" \\2193";color:var(--ink)}
.ref{border:1px solid var(--line);border-left:6px solid var(--head);background:var(--band);
 padding:10px 14px;margin:12px 0}
.ref.inferred{border-left-color:#b35c00;background:#fff6ea}
.tag{display:inline-block;font-size:13px;font-weight:bold;padding:1px 7px;border-radius:3px;
 letter-spacing:.5px;vertical-align:2px}
.tag.inferred{background:#b35c00;color:#fff}
.tag.flag{background:#fff1db;color:#8a3a00;border:1px solid #b35c00}
.route{font-size:13px;color:var(--muted)}
.route-warn{border:1px solid #b35c00;border-left:6px solid #b35c00;background:#fff6ea;padding:8px 12px;
 margin:10px 0;color:#5a2a00}
section.parent{margin:34px 0 0;padding-top:4px;border-top:4px double var(--head)}
section.parent > h2{border-bottom:none}
.ref.chain{border-left-color:#2f6f4f}
ol.parents{margin:4px 0 8px;padding-left:22px}
table.lineage td.s{text-align:center;font-weight:bold;min-width:34px}
table.lineage td.s .lost{display:block;font-weight:normal;font-size:12px;white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:8px 18px;margin:8px 0 12px;font-size:15px;padding:0;
 list-style:none}
.legend li{display:flex;gap:6px;align-items:flex-start;max-width:440px}
.badge{display:inline-block;min-width:1.9em;text-align:center;font-weight:bold;padding:0 6px;
 border-radius:3px;white-space:nowrap}
.flags{margin:0;padding:0;list-style:none;font-size:14px}
.flags li.warn{color:#8a4b00}
.flags li.err{color:#a1160a;font-weight:bold}
.flags li.ok{color:#2e6b2e}
.bar{display:inline-block;width:70px;height:9px;background:#e4e8ed;border:1px solid #b9c2cc;
 vertical-align:1px;margin-right:5px}
.bar>span{display:block;height:100%;background:#2f7d3b}
table.plans td{font-size:15px}
table.plans tr.failed td{background:#fdf1f0}
.scroll{overflow:auto;max-height:82vh;border:1px solid var(--line)}
table.matrix{font-size:14px}
table.matrix th,table.matrix td{padding:2px 5px}
table.matrix thead th{position:sticky;top:0;z-index:2;vertical-align:bottom}
table.matrix .c1{position:sticky;left:0;z-index:1;background:#fff;min-width:330px;max-width:420px}
table.matrix thead .c1{z-index:3;background:#e6ecf3}
table.matrix tr.g th{background:#dfe6ee;text-align:left;position:sticky;left:0;font-size:15px}
table.matrix td.s{text-align:center;font-weight:bold;min-width:30px}
table.matrix td.s a{color:inherit;text-decoration:none;display:block}
table.matrix th.pc{min-width:30px;max-width:44px;padding:4px 2px;text-align:center}
table.matrix th.pc:after{content:"";display:block}
table.matrix th.pc[aria-sort=ascending]:after{content:"\2191"}
table.matrix th.pc[aria-sort=descending]:after{content:"\2193"}
table.matrix tbody th.c1{font-weight:normal}
table.matrix th.nw{max-width:78px;white-space:normal}
table.matrix tbody tr.r:hover td,table.matrix tbody tr.r:hover th{outline:1px solid #7f8fa3}
.vert{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;height:200px;
 overflow:hidden;text-overflow:ellipsis;display:inline-block;font-weight:normal;font-size:13px;
 text-align:left}
.lbl{color:var(--muted);white-space:nowrap}
p.closest{margin:6px 0 0;padding-left:8px;border-left:3px solid var(--muted);font-size:14px}
p.closest .lbl{white-space:normal}
.clip{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.tag.o-parent{background:#e3efe0;color:#1b5e20;border:1px solid #1b5e2055}
.tag.o-family,.tag.o-plan,.tag.weak{background:#f1ece4;color:#6b4a1d;border:1px dashed #6b4a1d}
.tag{font-weight:normal;letter-spacing:0}
.tag.inferred{font-weight:bold;letter-spacing:.5px}
ul.origins{margin:4px 0;padding-left:0;list-style:none;font-size:15px}
ul.origins li{margin:2px 0}
p.weak-note{color:#6b4a1d}
b.family{display:block;margin-top:4px}
table.matrix td.ev{font-size:13px;min-width:90px;max-width:260px}
table.matrix td.ev summary{cursor:pointer;white-space:nowrap}
table.matrix td.ev dl{margin:4px 0 0}
table.matrix td.ev dt{color:var(--muted)}
table.matrix td.ev dd{margin:0 0 2px 8px;white-space:normal}
tr.weak>th,tr.weak>td:not(.s){font-style:italic}
ul.prefs{margin:0;padding-left:1.1em}
ul.prefs li.role-implements{font-weight:bold}
p.weak-mark{margin:4px 0 0;color:#6b4a1d;font-size:14px;font-style:italic}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0;font-size:15px}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0}
.counts{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.counts div{padding:6px 12px;border-radius:4px;min-width:120px}
.counts b{font-size:22px;display:block}
.filters{position:sticky;top:0;background:#fff;z-index:5;padding:8px 0;
 border-bottom:1px solid var(--line);
 display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;font-size:15px}
.filters label{white-space:nowrap}
.filters select{font:inherit}
table.pairs{width:100%;table-layout:fixed}
table.pairs td{font-size:15px;word-wrap:break-word}
table.pairs col.w-item{width:70px}
table.pairs col.w-text{width:37%}
table.pairs col.w-st{width:128px}
table.pairs tr.g th{background:#dfe6ee;text-align:left;font-size:15px}
table.pairs col.w-ch{width:20%}
table.pairs tr.hidden,table.list tr.hidden{display:none}
.attrs{margin:5px 0 0;padding:0;list-style:none;font-size:14px;color:#34404c}
del{background:#fbd5d0;color:#7d130a;text-decoration:line-through}
ins{background:#cfeccf;color:#0f4d16;text-decoration:none;border-bottom:1px solid #2f7d3b}
ul.changes{margin:0;padding-left:16px;font-size:14px}
ul.changes .old{color:#7d130a}
ul.changes .new{color:#0f4d16;font-weight:bold}
.empty-msg{color:var(--muted);font-style:italic}
p.rv{margin:5px 0 0;font-size:13px;line-height:1.3}
p.rv-reviewed{color:#1b5e20}
.rv-note{color:var(--ink);font-style:italic;white-space:pre-line}
.rv-stale{color:#8a3a00;font-weight:bold}
p.rv-stale{background:#fff1db;border:1px solid #d98b2b;border-radius:3px;padding:1px 5px}
p.rv-stale:before{content:"\\26A0\\00A0"}
p.rv-after{color:var(--muted)}
tr[data-review=reviewed]>td:first-child{border-left:4px solid #2f7d3b}
tr[data-review=stale]>td:first-child{border-left:4px solid #d98b2b}
.counts div.s-review{background:#eef3ea;color:#1b5e20}
.counts div.s-needs{background:#fff1db;color:#8a3a00}
.counts div.s-needs a{color:inherit}
a.rv-needs{color:#8a3a00;font-weight:bold}
section.needs-review>h2{color:#8a3a00;border-bottom-color:#b35c00}
table.review tbody tr.r>td:first-child{border-left:4px solid #b35c00}
.lbl.conf{font-variant-numeric:tabular-nums}
table.matrix td.rv-reviewed a:after{content:"\\2713";font-size:11px;vertical-align:super}
table.matrix td.rv-stale{outline:2px dashed #b35c00;outline-offset:-3px}
footer{color:var(--muted);font-size:13px;padding:10px 28px;border-top:1px solid var(--line)}
@media print{.filters,.noprint{display:none}.scroll{max-height:none;overflow:visible}
 header.top{background:#fff;color:#000}header.top p{color:#000}
 table.matrix thead th{position:static}}
""" + _status_css()


JS = r"""
(function(){
  function key(cell){
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(table, th){
    var row = th.parentNode, col = Array.prototype.indexOf.call(row.children, th);
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(row.children, function(h){ h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-sort') === 'num';
    Array.prototype.forEach.call(table.tBodies, function(body){
      var rows = Array.prototype.slice.call(body.querySelectorAll('tr.r'));
      rows.sort(function(a, b){
        var x = key(a.children[col]), y = key(b.children[col]), c;
        if (numeric) { c = (parseFloat(x) || 0) - (parseFloat(y) || 0); }
        else { c = x.localeCompare(y, 'vi'); }
        if (c === 0) { c = (+a.getAttribute('data-i')) - (+b.getAttribute('data-i')); return c; }
        return asc ? c : -c;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function(table){
    Array.prototype.forEach.call(table.querySelectorAll('thead th[data-sort]'), function(th){
      th.setAttribute('tabindex', '0');
      th.addEventListener('click', function(){ sortBy(table, th); });
      th.addEventListener('keydown', function(e){ if (e.key === 'Enter') { sortBy(table, th); } });
    });
  });
  var bar = document.getElementById('filters');
  if (!bar) { return; }
  function apply(){
    var shown = {};
    Array.prototype.forEach.call(bar.querySelectorAll('input[data-status]'), function(box){
      shown[box.getAttribute('data-status')] = box.checked;
    });
    var part = bar.querySelector('select[name=part]').value;
    var review = bar.querySelector('select[name=review]').value;
    Array.prototype.forEach.call(document.querySelectorAll('table.filterable'), function(table){
      var visible = 0;
      Array.prototype.forEach.call(table.querySelectorAll('tbody tr.r'), function(tr){
        var ok = shown[tr.getAttribute('data-status')] !== false &&
                 (part === '' || tr.getAttribute('data-part') === part) &&
                 (review === '' || tr.getAttribute('data-review') === review);
        tr.classList.toggle('hidden', !ok);
        if (ok) { visible += 1; }
      });
      Array.prototype.forEach.call(table.querySelectorAll('tbody tr.g'), function(g){
        var n = g.nextElementSibling, any = false;
        while (n && !n.classList.contains('g')) {
          if (!n.classList.contains('hidden')) { any = true; break; }
          n = n.nextElementSibling;
        }
        g.classList.toggle('hidden', !any);
      });
      var msg = table.parentNode.querySelector('.empty-msg');
      if (msg) { msg.hidden = visible > 0; }
      var count = table.parentNode.querySelector('.visible-count');
      if (count) { count.textContent = String(visible); }
    });
  }
  bar.addEventListener('change', apply);
  apply();
})();
"""
