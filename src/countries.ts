/**
 * ISO 3166-1 alpha-2: the 249 officially assigned country codes, for validation (StableMint's
 * country codes, addresses) and the payer page's country list. No Intl API enumerates them
 * (`Intl.DisplayNames` names reserved and user-assigned codes too, e.g. `XK`, `EU`), so the list
 * is written out; `Intl.DisplayNames` only gives the names, so no translation table ships.
 */
const CODES =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR " +
  "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ " +
  "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW " +
  "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY " +
  "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV " +
  "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
  "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG " +
  "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

export const COUNTRY_CODES: ReadonlySet<string> = new Set(CODES.split(" "));

/** @example isCountryCode("DE") === true; isCountryCode("XK") === false */
export const isCountryCode = (code: string) => COUNTRY_CODES.has(code);

const englishNames = new Intl.DisplayNames(["en"], { type: "region" });

/** @example countryName("GB") === "United Kingdom" */
export function countryName(code: string): string {
  return englishNames.of(code) ?? code;
}

const byLocale = new Map<string, { code: string; name: string }[]>();

/** Every country as `{ code, name }`, named and sorted for `locale`. */
export function countries(locale: string): { code: string; name: string }[] {
  const known = byLocale.get(locale);
  if (known !== undefined) return known;
  const names = new Intl.DisplayNames([locale, "en"], { type: "region" });
  const list = [...COUNTRY_CODES]
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  byLocale.set(locale, list);
  return list;
}
