/**
 * The payer pages' stylesheet (`/assets/checkout.css`): system fonts, no images, no third-party
 * anything. Two columns from 880 px, one below; 44 px touch targets; a visible focus ring;
 * colours at WCAG AA contrast or better. A merchant's brand colour overrides `--brand`,
 * `--brand-dark`, `--brand-ink` (the text on `--brand`), `--accent` (borders and focus on white)
 * and `--ring` from `/assets/brand/<rrggbb>.css` (src/pages/brand-color.ts keeps them readable).
 */
export const CHECKOUT_CSS = `:root {
  --ink: #1a1f2e; --muted: #5b6479; --line: #dde1ea; --field: #b9c0cf; --bg: #f4f6fa;
  --brand: #1a56db; --brand-dark: #1646b5; --brand-ink: #fff; --accent: #1a56db;
  --ring: rgba(26, 86, 219, 0.35);
  --danger: #b42318; --danger-bg: #fef3f2; --danger-line: #fecdca;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); line-height: 1.45; -webkit-text-size-adjust: 100%;
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
.page-hosted, .page-message { background: var(--bg); min-height: 100vh; }
.page-embedded { background: transparent; }

.checkout { max-width: 980px; margin: 0 auto; padding: 32px 24px 24px; }
.checkout-embedded { max-width: none; padding: 2px; }
.exit-form { margin: 0 0 20px; }
.checkout-embedded .exit-form { margin: 0 0 8px; text-align: right; }
.exit { display: inline-block; color: var(--muted); background: none; border: 0; font: inherit; font-size: 14px;
  margin: 0; padding: 4px 0; cursor: pointer; text-decoration: none; }
.exit:hover { color: var(--ink); text-decoration: underline; }
.exit:disabled { cursor: progress; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 20px; }
@media (min-width: 880px) {
  .checkout-hosted .layout { grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr); gap: 56px; align-items: start; }
  .checkout-hosted .summary { position: sticky; top: 32px; padding-top: 8px; }
}

.merchant { display: flex; align-items: center; gap: 10px; font-weight: 600; font-size: 16px; }
.monogram { width: 32px; height: 32px; border-radius: 8px; background: var(--brand); color: var(--brand-ink);
  display: inline-flex; align-items: center; justify-content: center; font-weight: 700; font-size: 16px; }
.logo { width: 32px; height: 32px; border-radius: 8px; object-fit: contain; }
.total-label { margin: 20px 0 0; color: var(--muted); font-size: 15px; }
.total { margin: 2px 0 8px; font-size: 36px; font-weight: 700; letter-spacing: -0.02em; font-variant-numeric: tabular-nums; }
.checkout-embedded .total-label { margin-top: 12px; }
.checkout-embedded .total { font-size: 28px; }
.items { list-style: none; margin: 16px 0 0; padding: 0; border-top: 1px solid var(--line); }
.items li { display: grid; grid-template-columns: minmax(0, 1fr) auto; column-gap: 16px; padding: 12px 0; border-bottom: 1px solid var(--line); font-size: 15px; }
.item-name { font-weight: 500; overflow-wrap: anywhere; }
.item-qty { grid-row: 2; color: var(--muted); font-size: 13.5px; }
.item-qty:empty { display: none; }
.item-amount { grid-column: 2; grid-row: 1; font-variant-numeric: tabular-nums; }

.panel { background: #fff; border-radius: 14px; padding: 28px;
  box-shadow: 0 1px 3px rgba(16, 24, 40, 0.08), 0 10px 30px rgba(16, 24, 40, 0.07); }
.checkout-embedded .panel { box-shadow: none; border: 1px solid var(--line); padding: 20px; }

fieldset { border: 0; margin: 0 0 22px; padding: 0; min-width: 0; }
legend { font-weight: 600; font-size: 15.5px; padding: 0; margin: 0 0 12px; }
.field { margin: 0 0 14px; min-width: 0; }
label { display: block; font-size: 14px; font-weight: 500; color: #30374a; margin: 0 0 6px; }
.optional { color: var(--muted); font-weight: 400; }
.field-hint { margin: 6px 0 0; color: var(--muted); font-size: 13.5px; }
.total-open { font-size: 22px; color: var(--muted); }
input, select { display: block; width: 100%; min-height: 46px; margin: 0; padding: 10px 12px;
  font: inherit; font-size: 16px; color: var(--ink); background: #fff;
  border: 1px solid var(--field); border-radius: 8px; appearance: none; }
select { background-image: linear-gradient(45deg, transparent 50%, var(--muted) 50%), linear-gradient(135deg, var(--muted) 50%, transparent 50%);
  background-position: calc(100% - 18px) 50%, calc(100% - 13px) 50%; background-size: 5px 5px; background-repeat: no-repeat; padding-right: 36px; }
input::placeholder { color: #8a93a6; }
input:focus, select:focus { outline: none; border-color: var(--accent); box-shadow: 0 0 0 3px var(--ring); }
[aria-invalid="true"] { border-color: var(--danger); }
[aria-invalid="true"]:focus { box-shadow: 0 0 0 3px rgba(180, 35, 24, 0.25); }
.field-error { margin: 6px 0 0; color: var(--danger); font-size: 13.5px; }
.row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
.check { display: flex; align-items: center; gap: 10px; margin: 0 0 14px; }
.check input { width: 20px; height: 20px; min-height: 0; padding: 0; appearance: auto; accent-color: var(--accent); }
.check label { margin: 0; font-weight: 400; font-size: 15px; }
.check input:focus { box-shadow: 0 0 0 3px var(--ring); }

.method-options { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
.method, .bank { position: relative; }
.method input, .bank input { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; min-height: 0; }
.method label, .bank label { display: flex; align-items: center; gap: 12px; min-height: 48px; margin: 0;
  padding: 10px 14px; border: 1px solid var(--field); border-radius: 8px; cursor: pointer; font-size: 15px; }
.method label { justify-content: center; }
.method input:checked + label, .bank input:checked + label { border-color: var(--accent); background: #f5f8ff; box-shadow: inset 0 0 0 1px var(--accent); }
.method input:focus-visible + label, .bank input:focus-visible + label { outline: 3px solid var(--ring); outline-offset: 1px; }
.bank { margin: 0 0 8px; }
.bank img { border-radius: 6px; flex: none; }
.bank-country { margin: 0 0 8px; color: var(--muted); font-size: 13px; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
.bank-group + .bank-group { margin-top: 14px; }
.banks [aria-invalid="true"] + label { border-color: var(--danger); }

.notice { margin: 0 0 20px; padding: 12px 14px; border-radius: 8px; font-size: 14.5px; }
.notice-error { background: var(--danger-bg); border: 1px solid var(--danger-line); color: #7a271a; }
.notice:focus { outline: 3px solid var(--ring); }
.attempts { white-space: nowrap; }

.pay-button, .button { display: inline-flex; align-items: center; justify-content: center; gap: 10px;
  min-height: 48px; padding: 12px 22px; border: 0; border-radius: 8px;
  font: inherit; font-size: 16.5px; font-weight: 600; color: var(--brand-ink); background: var(--brand);
  text-decoration: none; cursor: pointer; }
.pay-button { width: 100%; margin-top: 4px; }
.pay-button:hover, .button:hover { background: var(--brand-dark); }
.pay-button:focus-visible, .button:focus-visible, .exit:focus-visible { outline: 3px solid var(--ring); outline-offset: 2px; }
.pay-button:disabled { cursor: progress; background: var(--brand-dark); }
.spinner { display: none; width: 18px; height: 18px; border-radius: 50%;
  border: 2px solid color-mix(in srgb, currentColor 45%, transparent); border-top-color: currentColor;
  animation: spin 0.8s linear infinite; }
.pay-button[aria-busy="true"] .spinner { display: inline-block; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation-duration: 2.4s; } }

.outcome { text-align: center; padding: 16px 0 8px; }
.outcome h1 { margin: 16px 0 8px; font-size: 22px; line-height: 1.3; }
.outcome h1:focus { outline: none; }
.outcome p { margin: 0 0 22px; color: #3b4455; }
.challenge { display: block; width: 100%; height: 440px; border: 1px solid var(--line); border-radius: 8px; }

.trust { margin: 24px 0 0; color: var(--muted); font-size: 13px; text-align: center; }
.trust span, .nowrap { white-space: nowrap; }
.trust svg { vertical-align: -2px; }
.checkout-embedded .trust { margin-top: 12px; }
.loading { color: var(--muted); text-align: center; padding: 40px 0; }
.interstitial { max-width: 32rem; margin: 0 auto; padding: 64px 24px; text-align: center; }
.interstitial h1 { font-size: 22px; margin: 0 0 12px; }
.page-challenge-returned .interstitial { padding: 40px 16px; color: var(--muted); }

@media (max-width: 479px) {
  .checkout-hosted { padding: 16px 14px; }
  .checkout-hosted .panel { padding: 20px 16px; border-radius: 12px; }
  .total { font-size: 30px; }
}
`;
