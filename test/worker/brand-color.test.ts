/**
 * `readableBrandColor`: vectors for the WCAG contrast ratio and for each of its three choices,
 * a property check over random colours, and the stylesheet route that carries it to the pages.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  brandStylesheet,
  brandStylesheetPath,
  contrastRatio,
  readableBrandColor,
} from "../../src/pages/brand-color.js";
import { call } from "./api.js";

describe("contrastRatio", () => {
  it.each([
    ["#000000", "#ffffff", 21],
    ["#ffffff", "#ffffff", 1],
    // The well-known AA boundary for grey text on white: #777 just fails, #767676 passes.
    ["#777777", "#ffffff", 4.48],
    ["#767676", "#ffffff", 4.54],
    ["#ffff00", "#000000", 19.56],
    ["#1a56db", "#ffffff", 6.18],
  ])("%s on %s is %d:1", (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
    expect(contrastRatio(b, a)).toBeCloseTo(ratio, 2);
  });
});

describe("readableBrandColor", () => {
  it.each([
    // 1. White text already reads: the colour as given.
    [
      "#1a56db",
      {
        background: "#1a56db",
        text: "#ffffff",
        hover: "#174cc1",
        accent: "#1a56db",
        link: "#1a56db",
      },
    ],
    [
      "#000000",
      {
        background: "#000000",
        text: "#ffffff",
        hover: "#000000",
        accent: "#000000",
        link: "#000000",
      },
    ],
    [
      "#0A7D38",
      {
        background: "#0a7d38",
        text: "#ffffff",
        hover: "#096e31",
        accent: "#0a7d38",
        link: "#0a7d38",
      },
    ],
    // 2. A light colour: the colour as given, black text (never yellow with white text).
    [
      "#ffff00",
      {
        background: "#ffff00",
        text: "#000000",
        hover: "#e0e000",
        accent: "#999900",
        link: "#757500",
      },
    ],
    [
      "#ffffff",
      {
        background: "#ffffff",
        text: "#000000",
        hover: "#e0e0e0",
        accent: "#949494",
        link: "#707070",
      },
    ],
    [
      "#ff8800",
      {
        background: "#ff8800",
        text: "#000000",
        hover: "#e07800",
        accent: "#e07800",
        link: "#ad5c00",
      },
    ],
    // 3. A mid tone: darkened in 1% steps until white text reaches 4.5:1.
    [
      "#777777",
      {
        background: "#767676",
        text: "#ffffff",
        hover: "#686868",
        accent: "#777777",
        link: "#717171",
      },
    ],
    [
      "#ff0000",
      {
        background: "#ed0000",
        text: "#ffffff",
        hover: "#d10000",
        accent: "#ff0000",
        link: "#e30000",
      },
    ],
    [
      "#22aa55",
      {
        background: "#1b8844",
        text: "#ffffff",
        hover: "#18783c",
        accent: "#22aa55",
        link: "#1a8141",
      },
    ],
  ])("%s → %j", (hex, colors) => {
    expect(readableBrandColor(hex)).toEqual(colors);
  });

  it("always gives AA text on the button and on links, 3:1 accents on white, and keeps a readable colour", () => {
    const hex = fc
      .integer({ min: 0, max: 0xffffff })
      .map((n) => `#${n.toString(16).padStart(6, "0")}`);
    fc.assert(
      fc.property(hex, (color) => {
        const c = readableBrandColor(color);
        expect(contrastRatio(c.background, c.text)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(c.hover, c.text)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(c.accent, "#ffffff")).toBeGreaterThanOrEqual(3);
        // Links on the page's background (--bg), and so on the white panel.
        expect(contrastRatio(c.link, "#f4f6fa")).toBeGreaterThanOrEqual(4.5);
        if (contrastRatio(color, "#ffffff") >= 4.5) expect(c).toMatchObject({ background: color });
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not #rrggbb", () => {
    expect(() => readableBrandColor("red")).toThrow(RangeError);
    expect(() => readableBrandColor("#fff")).toThrow(RangeError);
    expect(brandStylesheetPath("#fff;}")).toBeNull();
    expect(brandStylesheetPath(null)).toBeNull();
    expect(brandStylesheetPath("#ABCDEF")).toBe("/assets/brand/abcdef.css");
  });
});

describe("GET /assets/brand/:rrggbb.css", () => {
  it("answers the custom properties for the colour", async () => {
    const css = await call("GET", "/assets/brand/1a56db.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("x-content-type-options")).toBe("nosniff");
    expect(css.json).toBe(brandStylesheet("#1a56db"));
    expect(css.json).toBe(
      ":root { --brand: #1a56db; --brand-dark: #174cc1; --brand-ink: #ffffff; --accent: #1a56db; --link: #1a56db; --ring: rgba(26, 86, 219, 0.35); }\n",
    );
  });

  it.each(["ABCDEF.css", "abcde.css", "abcdef", "abcdef.css.map", "..%2Fx.css"])(
    "answers %s with 404",
    async (file) => {
      expect((await call("GET", `/assets/brand/${file}`)).status).toBe(404);
    },
  );
});
