// @ts-check
/*
 * Card numbers, read the same way by the payer's page and by the server: the brand from the
 * number's first digits (its issuer identification number, ISO/IEC 7812-1), the lengths that
 * brand issues, the Luhn check digit, and the security code's length. One file, so the page
 * and the server can never disagree: static/checkout.js imports it in the browser as it is
 * written (`/assets/card.js`, an ES module under `script-src 'self'`), and the Worker bundles it
 * (src/core/confirm-request.ts). Plain ES2020, no dependencies; typed through JSDoc, which the
 * project's tsc checks (`allowJs`, `checkJs`).
 *
 * Only brands whose ranges are public and stable are named; any other number (Maestro, UnionPay,
 * Diners, Mir…) is `unknown` and held to what every card obeys (12 to 19 digits, Luhn, a 3 or 4
 * digit code), so a real card is never refused for a brand we do not list.
 */

/** @typedef {"visa" | "mastercard" | "amex" | "discover" | "jcb" | "troy" | "unknown"} CardBrand */

/**
 * @typedef {object} BrandRule
 * @property {Exclude<CardBrand, "unknown">} brand
 * @property {string} name How the brand writes itself (a name, the same in every language).
 * @property {ReadonlyArray<readonly [string, string]>} ranges First digits, lowest and highest
 *   (inclusive, both of one length).
 * @property {readonly number[]} lengths The number's lengths, in digits.
 * @property {number} cvc The security code's length.
 * @property {readonly number[]} groups How the number is grouped as the card prints it.
 */

const FOURS = [4, 4, 4, 4, 3];

/** @type {readonly BrandRule[]} */
const BRANDS = [
  { brand: "visa", name: "Visa", ranges: [["4", "4"]], lengths: [13, 16, 19], cvc: 3, groups: FOURS },
  {
    brand: "mastercard",
    name: "Mastercard",
    // 2221–2720: the 2-series Mastercard added in 2017.
    ranges: [["51", "55"], ["2221", "2720"]],
    lengths: [16],
    cvc: 3,
    groups: FOURS,
  },
  {
    brand: "amex",
    name: "American Express",
    ranges: [["34", "34"], ["37", "37"]],
    lengths: [15],
    cvc: 4,
    groups: [4, 6, 5],
  },
  {
    brand: "discover",
    name: "Discover",
    ranges: [["6011", "6011"], ["644", "649"], ["65", "65"]],
    lengths: [16, 17, 18, 19],
    cvc: 3,
    groups: FOURS,
  },
  { brand: "jcb", name: "JCB", ranges: [["3528", "3589"]], lengths: [16, 17, 18, 19], cvc: 3, groups: FOURS },
  // Türkiye's domestic scheme (BKM): 9792xx.
  { brand: "troy", name: "Troy", ranges: [["9792", "9792"]], lengths: [16], cvc: 3, groups: FOURS },
];

const ANY_LENGTH = [12, 13, 14, 15, 16, 17, 18, 19];
const ANY_CVC = [3, 4];

/**
 * The digits of a card number as a payer types it: spaces and dashes dropped, nothing else.
 * @param {string} value
 * @returns {string}
 * @example digitsOf("4242 4242-4242 4242") // "4242424242424242"
 */
export function digitsOf(value) {
  return value.replace(/[\s-]/g, "");
}

/**
 * @param {string} digits
 * @returns {BrandRule | undefined}
 */
function ruleOf(digits) {
  return BRANDS.find((rule) =>
    rule.ranges.some(([low, high]) => {
      const head = digits.slice(0, low.length);
      // Equal-length digit strings compare as their numbers do.
      return head.length === low.length && head >= low && head <= high;
    }),
  );
}

/**
 * The brand of a card number, or of its first digits as they are typed: known as soon as the
 * digits that decide it are there (`4` is Visa, `37` American Express, `2221` Mastercard), and
 * never changed by the digits that follow.
 * @param {string} digits
 * @returns {CardBrand}
 * @example cardBrand("3782") // "amex"
 */
export function cardBrand(digits) {
  return /^\d+$/.test(digits) ? (ruleOf(digits)?.brand ?? "unknown") : "unknown";
}

/**
 * How a brand writes its name ("American Express"); empty for `unknown`.
 * @param {string} brand
 * @returns {string}
 */
export function brandName(brand) {
  return BRANDS.find((rule) => rule.brand === brand)?.name ?? "";
}

/**
 * The lengths a number of this brand may have, in digits.
 * @param {CardBrand} brand
 * @returns {readonly number[]}
 */
export function numberLengths(brand) {
  return BRANDS.find((rule) => rule.brand === brand)?.lengths ?? ANY_LENGTH;
}

/**
 * The lengths a security code (CVC, CVV, CID) of this brand may have: 4 for American Express,
 * 3 for the others, 3 or 4 for a brand we do not know.
 * @param {CardBrand} brand
 * @returns {readonly number[]}
 */
export function cvcLengths(brand) {
  const rule = BRANDS.find((known) => known.brand === brand);
  return rule === undefined ? ANY_CVC : [rule.cvc];
}

/**
 * Whether the digits end in their Luhn check digit (ISO/IEC 7812-1, Annex B).
 * @param {string} digits
 * @returns {boolean}
 * @example luhnValid("4242424242424242") // true
 */
export function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * What is wrong with a card number (digits only, as `digitsOf` gives them), or null:
 * `digits` (something other than 12 to 19 digits), `length` (a length its brand does not
 * issue), `checksum` (its Luhn check digit is wrong).
 * @param {string} digits
 * @returns {null | "digits" | "length" | "checksum"}
 */
export function cardNumberProblem(digits) {
  if (!/^\d{12,19}$/.test(digits)) return "digits";
  if (!numberLengths(cardBrand(digits)).includes(digits.length)) return "length";
  return luhnValid(digits) ? null : "checksum";
}

/**
 * A number as it is typed, grouped as its brand prints it and cut at its brand's longest length:
 * `3782 822463 10005`, `4242 4242 4242 4242`.
 * @param {string} value
 * @returns {string}
 */
export function formatCardNumber(value) {
  const digits = value.replace(/\D/g, "");
  const rule = ruleOf(digits);
  const lengths = rule?.lengths ?? ANY_LENGTH;
  const kept = digits.slice(0, Math.max(...lengths));
  const groups = rule?.groups ?? FOURS;
  const parts = [];
  let at = 0;
  for (let i = 0; at < kept.length; i++) {
    const size = groups[Math.min(i, groups.length - 1)] ?? 4;
    parts.push(kept.slice(at, at + size));
    at += size;
  }
  return parts.join(" ");
}
