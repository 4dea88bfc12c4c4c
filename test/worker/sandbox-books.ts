/** The sandbox PSP's own books (sandbox-psp/ledger.ts), read over its API as a test would. */
import { env } from "cloudflare:workers";
import * as z from "zod";
import { LedgerCharge } from "../../sandbox-psp/api.js";

/**
 * Every charge the sandbox made for a payment, at both of its accounts, oldest first: what the
 * provider did, whatever our side recorded.
 */
export async function sandboxBooks(paymentId: string) {
  const url = `https://sandbox-psp.internal/sandbox/charges?payment=${encodeURIComponent(paymentId)}`;
  const answer = await env.SANDBOX_PSP.fetch(url);
  return z.array(LedgerCharge).parse(await answer.json());
}
