/**
 * Every field rule of the StableMint bodies: each violation is a 422 `validation_failed` problem
 * naming the field in `errors[]`, several at once when there are several, and never a 5xx.
 */
import { describe, expect, it } from "vitest";
import { COUNTRY_CODES, countryName } from "../../src/countries.js";
import { call } from "./api.js";
import {
  embeddedBody,
  type Flow,
  hostedBody,
  SHOP,
  signedHeaders,
  stablemint,
} from "./stablemint-api.js";

type Body = Record<string, unknown>;

async function errorsOf(flow: Flow, body: Body) {
  const answer = await stablemint(flow, body);
  expect(answer.status, JSON.stringify(answer.json)).toBe(422);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  expect(answer.json.code).toBe("validation_failed");
  return answer.json.errors as { field: string; message: string }[];
}

const without = (body: Body, field: string) => {
  const copy = { ...body };
  delete copy[field];
  return copy;
};

const FULL_KYC = {
  fullName: "Ada Lovelace",
  citizenshipCountryCode: "GB",
  residenceAddress: "12 St James's Square, London SW1Y 4JH",
  dateOfBirth: "1965-12-10",
  placeOfBirth: "London",
  gender: "female",
  mobilePhone: "+44 20 7946 0018",
  personalIdentificationNumber: "QQ123456C",
};

describe("required fields", () => {
  const hosted = [
    "userId",
    "userEmail",
    "userCountryCode",
    "currency",
    "amount",
    "successUrl",
    "supportUrl",
    "exitUrl",
    "errorUrl",
  ];

  it.each(hosted)("hosted: %s", async (field) => {
    expect(await errorsOf("hosted", without(hostedBody(), field))).toEqual([
      { field, message: "Required." },
    ]);
  });

  it.each(["userId", "userEmail", "userCountryCode", "currency"])("embedded: %s", async (field) => {
    expect(await errorsOf("embedded", without(embeddedBody(), field))).toEqual([
      { field, message: "Required." },
    ]);
  });

  it("an empty hosted body names all nine at once", async () => {
    const errors = await errorsOf("hosted", {});
    expect(errors.map((e) => e.field).sort()).toEqual([...hosted].sort());
  });

  it("a valid body with every optional field is accepted", async () => {
    const body = hostedBody({
      idempotencyKey: `order-${crypto.randomUUID()}`,
      websiteReference: "order-1234",
      userKyc: FULL_KYC,
      customFields: { campaign: "spring", basket: { items: 3, tags: ["a", "b"] }, vip: true },
    });
    const created = await stablemint("hosted", body);
    expect(created.status, JSON.stringify(created.json)).toBe(200);
  });

  it("optional fields may be null, meaning absent", async () => {
    const body = embeddedBody({
      idempotencyKey: null,
      websiteReference: null,
      userKyc: null,
      customFields: null,
    });
    expect((await stablemint("embedded", body)).status).toBe(200);
  });
});

describe("field rules", () => {
  it.each<[string, Body, string, string]>([
    ["a blank userId", { userId: "   " }, "userId", "Must not be blank."],
    ["a userId over 128 characters", { userId: "u".repeat(129) }, "userId", ""],
    ["a numeric userId", { userId: 42 }, "userId", ""],
    ["a malformed email", { userEmail: "ada@" }, "userEmail", "Must be an email address."],
    ["an unassigned country", { userCountryCode: "XX" }, "userCountryCode", "ISO 3166-1"],
    ["a user-assigned country (XK)", { userCountryCode: "XK" }, "userCountryCode", "ISO 3166-1"],
    ["an alpha-3 country", { userCountryCode: "DEU" }, "userCountryCode", "ISO 3166-1"],
    ["an unknown currency", { currency: "XYZ" }, "currency", "ISO 4217"],
    ["a currency name", { currency: "EURO" }, "currency", "ISO 4217"],
    ["an amount under 0.1", { amount: 0.09 }, "amount", "between 0.1 and 10"],
    ["an amount over 10", { amount: 10.01 }, "amount", "between 0.1 and 10"],
    ["a zero amount", { amount: 0 }, "amount", "between 0.1 and 10"],
    ["a negative amount", { amount: -1 }, "amount", "positive amount"],
    ["an amount in words", { amount: "five" }, "amount", "positive amount"],
    ["a boolean amount", { amount: true }, "amount", ""],
    ["more decimals than EUR has", { amount: 1.005 }, "amount", "at most 2 decimals"],
    [
      "decimals in a currency without any",
      { amount: 5.5, currency: "JPY" },
      "amount",
      "JPY amounts have at most 0 decimals",
    ],
    ["a javascript: URL", { successUrl: "javascript:alert(1)" }, "successUrl", "http(s) URL"],
    ["plain http off localhost", { exitUrl: "http://shop.example/exit" }, "exitUrl", "https"],
    ["not a URL", { errorUrl: "error-page" }, "errorUrl", "http(s) URL"],
    ["a URL with a space", { errorUrl: "https://shop.example/a b" }, "errorUrl", "spaces"],
    [
      "a support URL with credentials",
      { supportUrl: "https://a:b@shop.example/" },
      "supportUrl",
      "password",
    ],
    ["an idempotency key with a space", { idempotencyKey: "order 1" }, "idempotencyKey", ""],
    ["an empty idempotency key", { idempotencyKey: "" }, "idempotencyKey", ""],
    ["an idempotency key over 255", { idempotencyKey: "k".repeat(256) }, "idempotencyKey", ""],
    ["a blank websiteReference", { websiteReference: " " }, "websiteReference", "blank"],
    ["a long websiteReference", { websiteReference: "r".repeat(256) }, "websiteReference", ""],
    ["userKyc that is not an object", { userKyc: "Ada" }, "userKyc", ""],
    ["customFields as an array", { customFields: ["a"] }, "customFields", ""],
    ["customFields as a string", { customFields: "a=b" }, "customFields", ""],
    [
      "customFields over 4 KiB",
      { customFields: { blob: "x".repeat(5000) } },
      "customFields",
      "at most 4096 bytes",
    ],
    ["a field the API does not have", { userName: "ada" }, "userName", "Not a field"],
  ])("%s", async (_, change, field, message) => {
    const errors = await errorsOf("hosted", hostedBody(change));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(field);
    expect(errors[0]?.message).toContain(message);
  });

  it.each<[string, Body, string, string]>([
    ["an impossible date", { dateOfBirth: "1990-02-30" }, "userKyc.dateOfBirth", "real date"],
    ["an unpadded date", { dateOfBirth: "1990-1-1" }, "userKyc.dateOfBirth", "YYYY-MM-DD"],
    ["a date and time", { dateOfBirth: "1990-01-01T00:00:00Z" }, "userKyc.dateOfBirth", ""],
    ["a birth in the future", { dateOfBirth: "2999-01-01" }, "userKyc.dateOfBirth", "past"],
    ["a birth before 1900", { dateOfBirth: "1899-12-31" }, "userKyc.dateOfBirth", "past"],
    [
      "an unassigned citizenship",
      { citizenshipCountryCode: "EU" },
      "userKyc.citizenshipCountryCode",
      "ISO 3166-1",
    ],
    ["a phone in words", { mobilePhone: "call me" }, "userKyc.mobilePhone", "phone number"],
    ["a blank full name", { fullName: "" }, "userKyc.fullName", "blank"],
    ["a numeric gender", { gender: 1 }, "userKyc.gender", ""],
    [
      "a long identification number",
      { personalIdentificationNumber: "9".repeat(65) },
      "userKyc.personalIdentificationNumber",
      "",
    ],
    ["a KYC field the API does not have", { ssn: "123" }, "userKyc.ssn", "Not a field"],
  ])("userKyc: %s", async (_, change, field, message) => {
    const errors = await errorsOf(
      "embedded",
      embeddedBody({ userKyc: { ...FULL_KYC, ...change } }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(field);
    expect(errors[0]?.message).toContain(message);
  });

  it("accepts the range's ends, decimal strings, and codes in lower case", async () => {
    for (const change of [
      { amount: 0.1 },
      { amount: 10 },
      { amount: "7.25" },
      { amount: "10.000" },
      { amount: 9, currency: "JPY" },
      { userCountryCode: "de", currency: "eur" },
      { supportUrl: "https://help.example/contact" },
    ]) {
      const created = await stablemint("hosted", hostedBody(change));
      expect(created.status, `${JSON.stringify(change)} ${JSON.stringify(created.json)}`).toBe(200);
    }
  });

  it("the embedded flow takes no redirect URLs", async () => {
    const errors = await errorsOf("embedded", embeddedBody({ successUrl: `${SHOP}/ok` }));
    expect(errors).toEqual([{ field: "successUrl", message: "Not a field of this request." }]);
  });

  it("names every violation of one body together", async () => {
    const errors = await errorsOf(
      "hosted",
      hostedBody({
        userEmail: "nope",
        userCountryCode: "ZZ",
        amount: 11,
        exitUrl: "ftp://shop.example",
        userKyc: { dateOfBirth: "yesterday" },
        extra: 1,
      }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(
      ["amount", "exitUrl", "extra", "userCountryCode", "userEmail", "userKyc.dateOfBirth"].sort(),
    );
  });
});

describe("the body itself", () => {
  it("must be JSON (400), sent as JSON (415), and an object (422)", async () => {
    const headers = signedHeaders({});
    const broken = await call("POST", "/session/hosted", "{not json", headers);
    expect([broken.status, broken.json.code]).toEqual([400, "invalid_json"]);
    const form = await call("POST", "/session/hosted", "userId=u", {
      ...headers,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect([form.status, form.json.code]).toEqual([415, "unsupported_media_type"]);
    const list = await call("POST", "/session/hosted", [], headers);
    expect([list.status, list.json.errors[0].field]).toEqual([422, "body"]);
  });

  it("an embedded session may leave the amount out (the payer chooses it), a hosted one may not", async () => {
    for (const body of [without(embeddedBody(), "amount"), embeddedBody({ amount: null })]) {
      expect((await stablemint("embedded", body)).status).toBe(200);
    }
    const hosted = await stablemint("hosted", without(hostedBody(), "amount"));
    expect(hosted.status).toBe(422);
    expect(hosted.json.errors).toEqual([{ field: "amount", message: "Required." }]);
  });
});

describe("ISO 3166-1 alpha-2", () => {
  it("holds the 249 officially assigned codes, each named by Intl.DisplayNames in workerd", () => {
    expect(COUNTRY_CODES.size).toBe(249);
    for (const code of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(countryName(code)).not.toBe(code);
    }
    for (const reserved of ["XK", "EU", "UK", "ZZ", "AA", "QO"]) {
      expect(COUNTRY_CODES.has(reserved)).toBe(false);
    }
    expect(countryName("DE")).toBe("Germany");
  });
});
