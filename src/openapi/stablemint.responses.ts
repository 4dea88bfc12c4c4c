/**
 * The StableMint dialect's answers, in that API's shapes and types (`stablemintCreated` in
 * src/dialects/stablemint/views.ts): Unix seconds, integer ids, camelCase.
 */
import * as z from "zod";
import { component } from "./registry.js";

export const HostedSessionAnswer = component(
  "StablemintHostedSession",
  z.object({
    url: z.string().describe("Send the payer here: our hosted page, with the payer's token."),
    expiresAt: z.number().int().describe("Unix seconds."),
    reference: z
      .string()
      .describe("The checkout session id (`cs_…`): the checkout API reads it too."),
  }),
);

export const EmbeddedSessionAnswer = component(
  "StablemintEmbeddedSession",
  z.object({
    sessionId: z
      .uuid()
      .describe(
        "A random v4 UUID: the payer's capability. `EdgeCheckout.mount(el, { sessionId })` opens it.",
      ),
    expiresAt: z.number().int().describe("Unix seconds."),
    allowedPaymentMethods: z.array(
      z.object({
        paymentMethod: z.number().int().describe("`1` card, `2` bank transfer."),
        countryCodes: z
          .array(z.object({ code: z.string(), name: z.string() }))
          .optional()
          .describe("Bank transfer: the countries it has banks in."),
      }),
    ),
    savedBanks: z
      .array(
        z.object({
          country: z.string(),
          logo: z.string().describe("The bank's logo URL."),
          bankName: z.string(),
          bankId: z.number().int(),
          lastUsed: z.number().int().describe("Unix seconds."),
          validated: z.boolean().describe("Always true: only a successful payment saves a bank."),
        }),
      )
      .describe("The banks this `userId` paid with before, most recent first (empty if none)."),
    reference: z.string().describe("The checkout session id (`cs_…`)."),
  }),
);
