// Static stylesheet for the shadow root. Logical properties (inset-inline-end, margin-inline-*,
// text-align: start) make the whole layout mirror when the root gets dir="rtl".
export const STYLES = `
.sb-root{all:initial;display:block;--sb-a:var(--sb-accent,#2563eb);--sb-fg:#0f172a;--sb-muted:#64748b;--sb-line:#e2e8f0;--sb-bg:#fff;--sb-soft:#f1f5f9;--sb-err:#dc2626;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Vazirmatn",Tahoma,Arial,sans-serif;font-size:14px;line-height:1.45;color:var(--sb-fg);text-align:start}
.sb-root *,.sb-root *::before,.sb-root *::after{box-sizing:border-box}
.sb-root [hidden]{display:none!important}
.sb-root :focus{outline:none}
.sb-root :focus-visible{outline:2px solid var(--sb-a);outline-offset:2px}
.sb-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.sb-icon{width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
button{font:inherit;color:inherit;cursor:pointer;border:0;background:none;padding:0;margin:0}
input,textarea{font:inherit;color:inherit;margin:0}
.sb-launcher{position:fixed;inset-block-end:20px;inset-inline-end:20px;z-index:1;width:60px;height:60px;border-radius:50%;background:var(--sb-a);color:#fff;display:flex;align-items:center;justify-content:center;box-shadow:0 8px 24px rgba(15,23,42,.22),0 2px 6px rgba(15,23,42,.12);transition:transform .18s ease,box-shadow .18s ease}
.sb-launcher:hover{transform:translateY(-2px) scale(1.04);box-shadow:0 12px 28px rgba(15,23,42,.26)}
.sb-launcher:focus-visible{outline:3px solid #fff;box-shadow:0 0 0 6px var(--sb-a)}
.sb-launcher .sb-icon{width:28px;height:28px}
.sb-launcher .sb-i-close{display:none}
.sb-open .sb-launcher .sb-i-chat{display:none}
.sb-open .sb-launcher .sb-i-close{display:block}
.sb-badge{position:absolute;inset-block-start:-2px;inset-inline-end:-2px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#ef4444;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.sb-panel{position:fixed;inset-block-end:92px;inset-inline-end:20px;z-index:2;width:380px;height:min(620px,calc(100vh - 112px));display:flex;flex-direction:column;background:var(--sb-bg);border-radius:18px;overflow:hidden;box-shadow:0 24px 60px rgba(15,23,42,.24),0 4px 12px rgba(15,23,42,.1);animation:sb-in .2s ease-out}
@keyframes sb-in{from{opacity:0;transform:translateY(12px) scale(.98)}to{opacity:1;transform:none}}
.sb-header{display:flex;align-items:center;gap:12px;padding:16px;background:var(--sb-a);color:#fff;flex:none}
.sb-avatar{width:40px;height:40px;border-radius:50%;background:rgba(255,255,255,.2);display:flex;align-items:center;justify-content:center;flex:none}
.sb-heading{flex:1;min-width:0}
.sb-title{margin:0;font-size:16px;font-weight:650;line-height:1.3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sb-subtitle{margin:2px 0 0;font-size:12.5px;opacity:.88;display:flex;align-items:center;gap:6px}
.sb-dot{width:8px;height:8px;border-radius:50%;background:#4ade80;flex:none;box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.sb-offline .sb-dot{background:#fbbf24}
.sb-hbtn{width:36px;height:36px;border-radius:10px;display:flex;align-items:center;justify-content:center;color:#fff;flex:none;transition:background .15s}
.sb-hbtn:hover,.sb-hbtn[aria-expanded="true"]{background:rgba(255,255,255,.18)}
.sb-hbtn:focus-visible{outline:2px solid #fff;outline-offset:0}
.sb-hbtn .sb-icon{width:20px;height:20px}
.sb-status{flex:none;padding:8px 16px;font-size:12.5px;background:#fffbeb;color:#92400e;border-bottom:1px solid #fde68a;display:flex;align-items:center;gap:8px}
.sb-status::before{content:"";width:12px;height:12px;border-radius:50%;border:2px solid currentColor;border-inline-end-color:transparent;animation:sb-spin 1s linear infinite;flex:none}
@keyframes sb-spin{to{transform:rotate(360deg)}}
.sb-body{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px;background:#f8fafc;display:flex;flex-direction:column;gap:10px}
.sb-greeting{align-self:flex-start;max-width:85%;padding:10px 14px;border-radius:18px;border-end-start-radius:6px;background:var(--sb-bg);border:1px solid var(--sb-line);color:var(--sb-fg)}
.sb-log{display:flex;flex-direction:column;gap:10px}
.sb-row{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}
.sb-row.sb-in{align-items:flex-end}
.sb-bubble{max-width:82%;padding:9px 14px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;text-align:start;background:var(--sb-bg);border:1px solid var(--sb-line);border-end-start-radius:6px}
.sb-in .sb-bubble{background:var(--sb-a);color:#fff;border-color:transparent;border-end-start-radius:18px;border-end-end-radius:6px}
.sb-in.sb-pending .sb-bubble{opacity:.7}
.sb-in.sb-failed .sb-bubble{background:#fee2e2;color:#7f1d1d;border-color:#fecaca}
.sb-meta{margin:3px 6px 0;font-size:11.5px;color:var(--sb-muted);display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.sb-error{color:var(--sb-err)}
.sb-retry{color:var(--sb-a);font-weight:600;text-decoration:underline;font-size:11.5px;border-radius:4px}
.sb-typing{flex:none;display:flex;align-items:center;gap:8px;padding:6px 16px 8px;font-size:12.5px;color:var(--sb-muted);background:#f8fafc}
.sb-dots{display:inline-flex;gap:3px;padding:8px 10px;border-radius:14px;background:var(--sb-bg);border:1px solid var(--sb-line)}
.sb-dots i{width:6px;height:6px;border-radius:50%;background:var(--sb-muted);animation:sb-bounce 1.2s infinite ease-in-out}
.sb-dots i:nth-child(2){animation-delay:.15s}.sb-dots i:nth-child(3){animation-delay:.3s}
@keyframes sb-bounce{0%,60%,100%{transform:none;opacity:.5}30%{transform:translateY(-4px);opacity:1}}
.sb-contact{flex:none;padding:12px 16px;border-top:1px solid var(--sb-line);background:var(--sb-bg);display:grid;gap:8px}
.sb-contact p{margin:0;font-size:13px;color:var(--sb-muted)}
.sb-contact .sb-ok{color:#15803d;font-weight:600}
.sb-contact .sb-error{font-size:12.5px}
.sb-field{display:grid;gap:3px;font-size:12px;font-weight:600;color:var(--sb-muted)}
.sb-field input{width:100%;padding:8px 10px;border:1px solid var(--sb-line);border-radius:10px;background:var(--sb-bg);font-size:14px;font-weight:400;color:var(--sb-fg)}
.sb-field input:focus-visible{outline:2px solid var(--sb-a);outline-offset:0;border-color:transparent}
.sb-field input[aria-invalid="true"]{border-color:var(--sb-err)}
.sb-cbtn{justify-self:start;padding:8px 16px;border-radius:10px;background:var(--sb-a);color:#fff;font-weight:600}
.sb-cbtn:disabled{opacity:.6;cursor:default}
.sb-composer{flex:none;display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--sb-line);background:var(--sb-bg)}
.sb-input{flex:1;min-height:42px;max-height:140px;resize:none;padding:10px 14px;border:1px solid var(--sb-line);border-radius:21px;background:var(--sb-soft);font-size:14px;line-height:1.45;text-align:start;overflow-y:auto}
.sb-input:focus-visible{outline:2px solid var(--sb-a);outline-offset:0;background:var(--sb-bg);border-color:transparent}
.sb-send{width:42px;height:42px;border-radius:50%;background:var(--sb-a);color:#fff;display:flex;align-items:center;justify-content:center;flex:none;transition:opacity .15s,transform .15s}
.sb-send.sb-empty{opacity:.45;cursor:default}
.sb-send:not(.sb-empty):hover{transform:scale(1.06)}
.sb-send .sb-icon{width:20px;height:20px}
[dir="rtl"] .sb-send .sb-icon{transform:scaleX(-1)}
.sb-count{font-size:11px;color:var(--sb-muted);padding:0 16px 4px;text-align:end;background:var(--sb-bg)}
.sb-count.sb-over{color:var(--sb-err)}
.sb-footer{flex:none;text-align:center;font-size:11px;color:#94a3b8;padding:0 0 8px;background:var(--sb-bg)}
@media (max-width:480px){
.sb-panel{inset:0;width:100%;height:100%;border-radius:0;animation:none}
.sb-open .sb-launcher{display:none}
.sb-input{font-size:16px}
}
@media (prefers-reduced-motion:reduce){.sb-root *{animation:none!important;transition:none!important}}
.sb-replies{display:flex;flex-wrap:wrap;gap:6px;margin-block-start:8px}
.sb-reply{padding:6px 12px;border-radius:16px;border:1px solid var(--sb-a);color:var(--sb-a);background:var(--sb-bg);font-size:13px;line-height:1.3}
.sb-reply:hover{background:var(--sb-a);color:#fff}
`;
