/**
 * static/card.js, the card rules the payer's page and the server share: brands from their first
 * digits (as typed and whole), each brand's lengths and security code, and the Luhn check,
 * tested against an independent Luhn (check digit computed, not verified) and the published
 * test numbers of each brand. The sandbox's test cards (README, src/providers/sandbox.ts) must
 * all be valid, or the service would refuse its own examples.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  brandName,
  cardBrand,
  cardNumberProblem,
  cvcLengths,
  digitsOf,
  formatCardNumber,
  luhnValid,
  numberLengths,
} from "../../static/card.js";
import { CARDS } from "../support/cards.js";

/** The Luhn check digit that completes `payload`, computed the textbook way (ISO/IEC 7812-1). */
function checkDigit(payload: string): string {
  const sum = [...payload].reverse().reduce((total, char, i) => {
    const d = Number(char) * (i % 2 === 0 ? 2 : 1);
    return total + Math.floor(d / 10) + (d % 10);
  }, 0);
  return String((10 - (sum % 10)) % 10);
}

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

/** Every sandbox card README lists, the slow one too (test/support/cards.ts leaves it out). */
const SANDBOX = [...Object.values(CARDS), "4000000000000200"];

/** Published test numbers (the brands' own and the big processors'), one brand each. */
const KNOWN: [string, string, string][] = [
  ["visa", "Visa", "4242424242424242"],
  ["visa", "Visa", "4012888888881881"],
  ["mastercard", "Mastercard", "5555555555554444"],
  ["mastercard", "Mastercard", "2223003122003222"],
  ["amex", "American Express", "378282246310005"],
  ["amex", "American Express", "371449635398431"],
  ["discover", "Discover", "6011111111111117"],
  ["discover", "Discover", "6011000990139424"],
  ["jcb", "JCB", "3566002020360505"],
  ["troy", "Troy", "9792030394440796"],
];

describe("the sandbox's test cards", () => {
  it.each(SANDBOX)("%s is a valid Visa number", (number) => {
    expect(luhnValid(number)).toBe(true);
    expect(cardNumberProblem(number)).toBeNull();
    expect(cardBrand(number)).toBe("visa");
  });
});

describe("brands", () => {
  it.each(KNOWN)("%s: %s's test number %s is valid", (brand, name, number) => {
    expect(cardBrand(number)).toBe(brand);
    expect(brandName(brand)).toBe(name);
    expect(cardNumberProblem(number)).toBeNull();
  });

  it("are decided at the edges of their ranges, and nowhere else", () => {
    const edges: [string, string][] = [
      ["4", "visa"],
      ["50", "unknown"],
      ["51", "mastercard"],
      ["55", "mastercard"],
      ["56", "unknown"],
      ["2220", "unknown"],
      ["2221", "mastercard"],
      ["2720", "mastercard"],
      ["2721", "unknown"],
      ["33", "unknown"],
      ["34", "amex"],
      ["35", "unknown"],
      ["36", "unknown"],
      ["37", "amex"],
      ["3527", "unknown"],
      ["3528", "jcb"],
      ["3589", "jcb"],
      ["3590", "unknown"],
      ["6010", "unknown"],
      ["6011", "discover"],
      ["643", "unknown"],
      ["644", "discover"],
      ["649", "discover"],
      ["65", "discover"],
      ["66", "unknown"],
      ["9791", "unknown"],
      ["9792", "troy"],
      ["9793", "unknown"],
      ["", "unknown"],
      ["4x", "unknown"],
    ];
    expect(edges.map(([prefix]) => [prefix, cardBrand(prefix)])).toEqual(edges);
  });

  it("known from the first digits typed never change as more are typed", () => {
    fc.assert(
      fc.property(digits(1, 8), digits(0, 12), (head, tail) => {
        const brand = cardBrand(head);
        if (brand !== "unknown") expect(cardBrand(head + tail)).toBe(brand);
      }),
      { numRuns: 2000 },
    );
  });

  it("set the security code: 4 digits for American Express, 3 for the others, 3 or 4 unknown", () => {
    expect(cvcLengths("amex")).toEqual([4]);
    for (const brand of ["visa", "mastercard", "discover", "jcb", "troy"] as const) {
      expect(cvcLengths(brand)).toEqual([3]);
    }
    expect(cvcLengths("unknown")).toEqual([3, 4]);
    expect(brandName("unknown")).toBe("");
  });

  it("set the number's length", () => {
    expect(numberLengths("amex")).toEqual([15]);
    expect(numberLengths("visa")).toEqual([13, 16, 19]);
    expect(cardNumberProblem("4222222222222")).toBeNull(); // a 13-digit Visa
    // Luhn-valid, but a length the brand does not issue.
    const amex16 = `341111111111111${checkDigit("341111111111111")}`;
    expect([luhnValid(amex16), cardNumberProblem(amex16)]).toEqual([true, "length"]);
    const visa15 = `42424242424242${checkDigit("42424242424242")}`;
    expect([luhnValid(visa15), cardNumberProblem(visa15)]).toEqual([true, "length"]);
  });
});

describe("the Luhn check", () => {
  it("takes a number ending in its check digit, and no other last digit", () => {
    fc.assert(
      fc.property(digits(11, 18), (payload) => {
        const check = checkDigit(payload);
        for (const last of "0123456789") expect(luhnValid(payload + last)).toBe(last === check);
      }),
    );
  });

  it("catches every single mistyped digit", () => {
    fc.assert(
      fc.property(
        digits(11, 18),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (payload, at, shift) => {
          const valid = payload + checkDigit(payload);
          const i = at % valid.length;
          const typo = `${valid.slice(0, i)}${(Number(valid[i]) + shift) % 10}${valid.slice(i + 1)}`;
          expect(luhnValid(typo)).toBe(false);
        },
      ),
    );
  });

  it("catches two neighbours swapped, except 09 and 90 (Luhn's one blind spot)", () => {
    fc.assert(
      fc.property(digits(11, 18), fc.nat(), (payload, at) => {
        const valid = payload + checkDigit(payload);
        const i = at % (valid.length - 1);
        const [a, b] = [valid[i], valid[i + 1]];
        fc.pre(a !== b && `${a}${b}` !== "09" && `${a}${b}` !== "90");
        const swapped = `${valid.slice(0, i)}${b}${a}${valid.slice(i + 2)}`;
        expect(luhnValid(swapped)).toBe(false);
      }),
    );
  });

  it("refuses what is not 12 to 19 digits before it counts", () => {
    expect(cardNumberProblem("42424242424")).toBe("digits");
    expect(cardNumberProblem("42424242424242424242")).toBe("digits");
    expect(cardNumberProblem("4242 4242 4242 4242")).toBe("digits");
    expect(cardNumberProblem("4242424242424241")).toBe("checksum");
  });
});

describe("the number as typed", () => {
  it("drops spaces and dashes only", () => {
    expect(digitsOf(" 4242 4242-4242\t4242 ")).toBe("4242424242424242");
    expect(digitsOf("4242.4242")).toBe("4242.4242");
  });

  it("is grouped as the card prints it and cut at its brand's longest length", () => {
    expect(formatCardNumber("378282246310005")).toBe("3782 822463 10005");
    expect(formatCardNumber("3782822463100059")).toBe("3782 822463 10005");
    expect(formatCardNumber("4242-4242424242424")).toBe("4242 4242 4242 4242 4");
    expect(formatCardNumber("55555555555544449")).toBe("5555 5555 5555 4444");
    expect(formatCardNumber("42424242424242424242")).toBe("4242 4242 4242 4242 424");
    expect(formatCardNumber("12")).toBe("12");
    expect(formatCardNumber("")).toBe("");
  });

  it("keeps every digit it does not cut, in order", () => {
    fc.assert(
      fc.property(digits(0, 25), (typed) => {
        const kept = formatCardNumber(typed).replace(/ /g, "");
        expect(typed.startsWith(kept)).toBe(true);
        expect(kept.length).toBe(
          Math.min(typed.length, Math.max(...numberLengths(cardBrand(typed)))),
        );
      }),
    );
  });
});
