/**
 * A merchant's brand colour made readable. The colour is stored as the merchant gave it; the
 * payer's pages use what `readableBrandColor` derives from it, so that the pay button's text
 * always reaches WCAG 2.2 AA contrast (SC 1.4.3: 4.5:1) and accents on the white panel reach the
 * non-text minimum (SC 1.4.11: 3:1). Contrast is the WCAG ratio of relative luminances
 * (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
 *
 * The choice, in order:
 * 1. white text reaches 4.5:1 on the colour: the colour as given, white text;
 * 2. black text reaches 7:1 (AAA) on it, i.e. a light colour such as yellow: the colour as
 *    given, black text, so the brand keeps its exact hue and lightness;
 * 3. otherwise (a mid tone that neither text colour reads well on): the colour darkened, in 1%
 *    steps towards black, until white text reaches 4.5:1.
 *
 * Text links in the brand colour are darkened the same way until they reach 4.5:1 on the page's
 * background (`--bg` in static/checkout.css), and so on the white panel too.
 */

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const WHITE = "#ffffff";
const BLACK = "#000000";
/** The payer pages' background, `--bg` in static/checkout.css: the lightest a link sits on but white. */
const PAGE_BACKGROUND = "#f4f6fa";

export interface BrandColors {
  /** The pay button's (and monogram's) background. */
  background: string;
  /** The text on `background`. */
  text: typeof WHITE | typeof BLACK;
  /** `background` on hover and while busy: 12% darker, still readable with `text`. */
  hover: string;
  /** Borders, focus and checked states on white: at least 3:1 against white. */
  accent: string;
  /** Text links on the page's background (and white): at least 4.5:1 against it. */
  link: string;
}

export const isHexColor = (value: string) => HEX_COLOR.test(value);

function channels(hex: string): [number, number, number] {
  if (!isHexColor(hex)) throw new RangeError(`Not a #rrggbb colour: ${hex}`);
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

const toHex = (rgb: readonly number[]) =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** WCAG relative luminance of a `#rrggbb` colour (sRGB). */
export function relativeLuminance(hex: string): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = channels(hex);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * The WCAG contrast ratio of two colours, from 1 to 21.
 *
 * @example
 * contrastRatio("#777777", "#ffffff"); // 4.48: just short of AA for text
 */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The colour with each channel scaled by `factor` (0..1): the same hue, darker. */
export function darken(hex: string, factor: number): string {
  return toHex(channels(hex).map((c) => c * factor));
}

/** The colour darkened in 1% steps until it reaches `ratio` against `against`. */
function darkenUntil(hex: string, against: string, ratio: number): string {
  for (let step = 0; step <= 100; step++) {
    const candidate = darken(hex, 1 - step / 100);
    if (contrastRatio(candidate, against) >= ratio) return candidate;
  }
  return BLACK;
}

/**
 * The colours the payer's pages use for a merchant's brand colour (see the module comment).
 *
 * @example
 * readableBrandColor("#1a56db"); // { background: "#1a56db", text: "#ffffff", … } (6.2:1)
 * readableBrandColor("#ffff00"); // { background: "#ffff00", text: "#000000", … } (19.6:1)
 * readableBrandColor("#777777"); // { background: "#767676", text: "#ffffff", … } (4.54:1)
 */
export function readableBrandColor(hex: string): BrandColors {
  const color = hex.toLowerCase();
  let background = color;
  let text: BrandColors["text"] = WHITE;
  if (contrastRatio(color, WHITE) < 4.5) {
    if (contrastRatio(color, BLACK) >= 7) text = BLACK;
    else background = darkenUntil(color, WHITE, 4.5);
  }
  return {
    background,
    text,
    hover: darken(background, 0.88),
    accent: darkenUntil(color, WHITE, 3),
    link: darkenUntil(color, PAGE_BACKGROUND, 4.5),
  };
}

/**
 * The stylesheet that brands the payer's pages: the custom properties of
 * static/checkout.css, set from `readableBrandColor`. Served from our origin as
 * `/assets/brand/<rrggbb>.css`, so the pages' CSP stays `style-src 'self'` (no inline style).
 */
export function brandStylesheet(hex: string): string {
  const colors = readableBrandColor(hex);
  const [r, g, b] = channels(colors.accent);
  return `:root { --brand: ${colors.background}; --brand-dark: ${colors.hover}; --brand-ink: ${colors.text}; --accent: ${colors.accent}; --link: ${colors.link}; --ring: rgba(${r}, ${g}, ${b}, 0.35); }\n`;
}

/** The path of the stylesheet for a brand colour, or null when there is none (our default). */
export function brandStylesheetPath(hex: string | null): string | null {
  return hex !== null && isHexColor(hex) ? `/assets/brand/${hex.slice(1).toLowerCase()}.css` : null;
}
