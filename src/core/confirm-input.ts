/**
 * What a payer's confirm must carry, and the CONFIRM event it becomes. The words for every
 * refusal the payer can meet (the machine's guards decide the same, without words), and the
 * card kept apart from the event: it travels only in the call's memory, to the provider.
 */
import type { CheckoutEvent, PaymentMethodSummary } from "../../machines/index.js";
import { cardBrand } from "../../static/card.js";
import type { ConfirmCheckoutSession } from "./confirm-request.js";
import {
  type PayerFields,
  payerFieldsOf,
  type SessionDetails,
  type StoredSession,
} from "./details.js";
import { fail, type Result } from "./result.js";
import { cardCountry, routeFor } from "./routing.js";

/** A card as the payer sent it: it reaches a provider only in memory, for the call. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

type ConfirmEvent = Extract<CheckoutEvent, { type: "CONFIRM" }>;

/** Why this confirm cannot be taken by this (open) session, or null. */
export function confirmProblem(
  session: StoredSession,
  params: ConfirmCheckoutSession,
): Result<never> | null {
  const amountRefused = amountProblem(session, params.amount);
  if (amountRefused !== null) return amountRefused;
  const missing = session.details.customFields
    .filter((field) => !field.optional && !params.custom_fields?.[field.key]?.trim())
    .map((field) => field.key);
  if (missing.length > 0) {
    return fail(
      422,
      "custom_field_required",
      `Required custom fields missing: ${missing.join(", ")}.`,
    );
  }
  const unanswered = missingPayerFields(payerFieldsOf(session.details), params.payer);
  if (unanswered.length > 0) {
    return fail(
      422,
      "payer_field_required",
      `Required payer details missing: ${unanswered.map((f) => `payer.${f}`).join(", ")}.`,
    );
  }
  return notOffered(session.details.paymentMethods, params.payment_method);
}

/**
 * The CONFIRM event (brand and last4, never the number) and the card for the provider. The brand
 * is the one the payer's page showed (static/card.js decides both).
 */
export function confirmEvent(
  params: ConfirmCheckoutSession,
  at: number,
  session?: Pick<StoredSession, "snapshot" | "details">,
): { event: ConfirmEvent; card: CardDetails | undefined } {
  const method = params.payment_method;
  const route = session === undefined ? null : confirmRoute(params, session);
  const summary: PaymentMethodSummary =
    method.type === "card"
      ? { type: "card", brand: cardBrand(method.card.number), last4: method.card.number.slice(-4) }
      : { type: "bank_transfer", bankId: method.bank_id };
  const payer = params.payer;
  const event: ConfirmEvent = {
    type: "CONFIRM",
    at,
    paymentMethod: summary,
    ...(params.amount !== undefined && { amount: params.amount }),
    ...(params.custom_fields && { customFieldValues: params.custom_fields }),
    ...(route !== null && { route }),
    ...(payer && {
      payer: {
        name: payer.name,
        email: payer.email,
        phone: payer.phone,
        billingAddress: payer.billing_address && toAddress(payer.billing_address),
        shippingAddress: payer.shipping_address && toAddress(payer.shipping_address),
        shippingSameAsBilling: payer.shipping_same_as_billing,
      },
    }),
  };
  const card =
    method.type === "card"
      ? {
          number: method.card.number,
          expMonth: method.card.exp_month,
          expYear: method.card.exp_year,
          cvc: method.card.cvc,
        }
      : undefined;
  return { event, card };
}

/** The route the merchant's rules give this confirm (src/core/routing.ts); null: the default. */
function confirmRoute(
  params: ConfirmCheckoutSession,
  session: Pick<StoredSession, "snapshot" | "details">,
) {
  const rules = session.details.routingRules ?? [];
  if (rules.length === 0) return null;
  const { context } = session.snapshot;
  const method = params.payment_method;
  const card = method.type === "card" ? method.card.number : null;
  return routeFor(rules, {
    currency: context.currency,
    amount: context.amount ?? params.amount ?? 0,
    method: method.type,
    brand: card === null ? null : cardBrand(card),
    country: card === null ? null : cardCountry(card),
  });
}

function toAddress(
  address: NonNullable<NonNullable<ConfirmCheckoutSession["payer"]>["billing_address"]>,
) {
  const { postal_code: postalCode, ...rest } = address;
  return { ...rest, postalCode };
}

/**
 * Why the confirm's `amount` cannot be taken, or null: a session without an amount needs one
 * (within its limits), and a session with one takes only that one.
 * The machine's guard says the same; these are the words for the payer.
 */
function amountProblem(session: StoredSession, amount: number | undefined): Result<never> | null {
  const fixed = session.snapshot.context.amount;
  if (fixed !== null) {
    return amount === undefined || amount === fixed
      ? null
      : fail(
          422,
          "amount_not_allowed",
          `This checkout session's amount is ${fixed} (minor units) and cannot be changed.`,
        );
  }
  if (amount === undefined) {
    return fail(
      422,
      "amount_required",
      "Send `amount` (minor units): the payer chooses the amount of this checkout session.",
    );
  }
  const limits = session.details.amountLimits;
  if (limits !== undefined && (amount < limits.min || amount > limits.max)) {
    return fail(
      422,
      "amount_out_of_range",
      `\`amount\` must be from ${limits.min} to ${limits.max} (minor units).`,
    );
  }
  return null;
}

/** Why a session that offers only some methods refuses this one; null when it takes it. */
function notOffered(
  offered: SessionDetails["paymentMethods"],
  method: ConfirmCheckoutSession["payment_method"],
): Result<never> | null {
  if (offered === undefined) return null;
  if (method.type === "card") {
    return offered.card
      ? null
      : fail(422, "payment_method_not_offered", "This checkout does not take cards.");
  }
  if (offered.banks.some((bank) => bank.id === method.bank_id)) return null;
  return offered.banks.length === 0
    ? fail(422, "payment_method_not_offered", "This checkout does not take bank transfers.")
    : fail(
        422,
        "bank_not_offered",
        "payment_method.bank_id is not one of the banks this checkout offers.",
      );
}

/** The payer details the merchant asked to require that the confirm leaves out. */
function missingPayerFields(fields: PayerFields, payer: ConfirmCheckoutSession["payer"]): string[] {
  const given = {
    name: payer?.name,
    email: payer?.email,
    phone: payer?.phone,
    billing_address: payer?.billing_address,
    shipping_address:
      payer?.shipping_same_as_billing === true ? payer.billing_address : payer?.shipping_address,
  };
  return (Object.keys(given) as Array<keyof typeof given>).filter(
    (field) => fields[field] === "required" && given[field] === undefined,
  );
}
