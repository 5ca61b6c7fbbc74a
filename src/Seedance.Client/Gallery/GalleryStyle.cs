namespace Seedance.Client.Gallery
{
    /// <summary>
    /// The page's one style sheet, inline (no file, no font, no image of its own). A grid of cards that is one column
    /// on a phone and three or four on a laptop; the outcome filters work by the checked radio button alone.
    /// </summary>
    internal static class GalleryStyle
    {
        public const string Css = @"
:root{--bg:#f4f4f2;--card:#fff;--ink:#1c1c1e;--muted:#6b6b70;--line:#e3e3e0;--ok:#1f7a4d;--ok-bg:#e3f4ea;--bad:#b42318;--bad-bg:#fdeceb;--wait:#9a6700;--wait-bg:#fff4d6;--accent:#3a5bd9}
@media (prefers-color-scheme:dark){:root{--bg:#161618;--card:#212124;--ink:#ececef;--muted:#a0a0a8;--line:#35353a;--ok:#5fd39a;--ok-bg:#17342a;--bad:#ff8a80;--bad-bg:#3a1d1b;--wait:#f2c04d;--wait-bg:#3a301a;--accent:#8aa2ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
header{padding:20px 24px 8px;max-width:1480px;margin:0 auto}
.title{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px}
h1{font-size:24px;margin:0;letter-spacing:-.01em;overflow-wrap:anywhere}
.written{margin:0;color:var(--muted);font-size:13px}
.totals{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:8px;margin:16px 0 12px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 12px;display:flex;flex-direction:column;justify-content:space-between}
.stat dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.stat dd{margin:0;font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
.stat.succeeded dd{color:var(--ok)}.stat.failed dd{color:var(--bad)}.stat.unsaved dd{color:var(--wait)}
.filters{display:flex;flex-wrap:wrap;gap:6px}
.filters label{cursor:pointer;user-select:none;border:1px solid var(--line);background:var(--card);border-radius:999px;padding:5px 12px;font-size:14px}
.filters label span{color:var(--muted);font-variant-numeric:tabular-nums;margin-left:2px}
.filter{position:absolute;opacity:0;pointer-events:none}
#show-all:checked~header label[for=show-all],#show-saved:checked~header label[for=show-saved],#show-failed:checked~header label[for=show-failed],#show-unsaved:checked~header label[for=show-unsaved]{background:var(--ink);color:var(--bg);border-color:var(--ink)}
#show-all:checked~header label[for=show-all] span,#show-saved:checked~header label[for=show-saved] span,#show-failed:checked~header label[for=show-failed] span,#show-unsaved:checked~header label[for=show-unsaved] span{color:inherit}
#show-all:focus-visible~header label[for=show-all],#show-saved:focus-visible~header label[for=show-saved],#show-failed:focus-visible~header label[for=show-failed],#show-unsaved:focus-visible~header label[for=show-unsaved]{outline:2px solid var(--accent);outline-offset:2px}
#show-saved:checked~main .card:not(.saved),#show-failed:checked~main .card:not(.failed),#show-unsaved:checked~main .card:not(.unsaved){display:none}
.note{color:var(--muted);font-size:12px;margin:10px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:16px;padding:12px 24px 24px;max-width:1480px;margin:0 auto;align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.05)}
.frame{position:relative;aspect-ratio:16/9;background:#0e0e10;display:flex;flex-direction:column;justify-content:center;align-items:center;text-align:center;padding:0;overflow:hidden}
.frame video{display:block;width:100%;height:100%;object-fit:contain;background:#0e0e10}
.frame.failure,.frame.missing,.frame.pending{padding:14px 16px;gap:4px;overflow:auto}
.frame.failure{background:var(--bad-bg);color:var(--bad)}
.frame.missing,.frame.pending{background:var(--wait-bg);color:var(--wait)}
.frame p,.frame blockquote{margin:0;position:relative}
.frame .backdrop{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;opacity:.22}
.frame .class{font-weight:700;font-size:17px}
.frame .code,.frame .file{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.frame .words{color:var(--ink);font-size:14px;max-width:34em;overflow-wrap:anywhere;white-space:pre-wrap}
.frame .words::before{content:'\201C'}.frame .words::after{content:'\201D'}
.frame .advice{font-size:12px;color:var(--muted)}
.body{padding:12px 14px 12px}
.headline{display:flex;align-items:center;gap:8px;justify-content:space-between}
.name{font-size:16px;margin:0;overflow-wrap:anywhere}
.badge{flex:none;font-size:12px;font-weight:600;border-radius:999px;padding:2px 9px}
.badge.saved{background:var(--ok-bg);color:var(--ok)}.badge.failed{background:var(--bad-bg);color:var(--bad)}.badge.unsaved{background:var(--wait-bg);color:var(--wait)}
.prompt{margin:8px 0 10px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:9.5em;overflow:auto}
.prompt .unknown{color:var(--muted);font-style:italic}
.meta{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:6px 10px;margin:0}
.meta dt{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.meta dd{margin:0;font-size:13px;font-variant-numeric:tabular-nums;overflow-wrap:break-word}
.task-id{margin:10px 0 0;color:var(--muted);font:11px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.empty{color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 24px 24px}
@media (max-width:720px){header{padding:14px 14px 4px}.stat{padding:7px 10px}.stat dt{font-size:11px;letter-spacing:.02em}.totals{grid-template-columns:repeat(3,minmax(0,1fr))}.stat dd{font-size:18px}.cards{padding:10px 14px 20px;gap:12px;grid-template-columns:minmax(0,1fr)}h1{font-size:20px}}
";
    }
}
