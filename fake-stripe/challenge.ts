/**
 * The issuer's 3-D Secure page that a PaymentIntent's `next_action.redirect_to_url.url` points
 * at (`/3ds/:id`), as Stripe's test page offers it: approve or fail the authentication. The POST
 * records the decision and sends the payer back to the confirmation's `return_url`, with
 * `payment_intent` and `redirect_status` added as Stripe adds them.
 */
import * as z from "zod";
import type { PaymentIntent } from "./api.js";
import type { FakeStripeBooks } from "./books.js";
import { parseForm } from "./form.js";

const Decision = z.object({ decision: z.enum(["approve", "fail"]) });

const page = (status: number, body: string) =>
  new Response(`<!doctype html><meta charset="utf-8"><title>3D Secure test page</title>${body}`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
  });

function challengeHtml(intent: PaymentIntent) {
  const amount = `${(intent.amount / 100).toFixed(2)} ${intent.currency.toUpperCase()}`;
  return `<h1>3D Secure test payment</h1>
<p>Authenticate the payment of ${amount}?</p>
<form method="post"><button name="decision" value="approve">Complete authentication</button></form>
<form method="post"><button name="decision" value="fail">Fail authentication</button></form>`;
}

export async function challengeRoute(
  request: Request,
  books: DurableObjectStub<FakeStripeBooks>,
  id: string,
): Promise<Response> {
  // Only ids the fake makes reach the page, so nothing else is ever written into it.
  if (!/^pi_[0-9A-Za-z]+$/.test(id)) return page(404, "<p>No such payment.</p>");
  if (request.method === "GET") {
    const intent = await books.challenge(id);
    return intent === null
      ? page(404, "<p>Nothing to authenticate.</p>")
      : page(200, challengeHtml(intent));
  }
  if (request.method !== "POST") return page(405, "<p>GET or POST.</p>");
  const body = new TextDecoder().decode(await request.arrayBuffer());
  const decision = Decision.safeParse(parseForm(body));
  if (!decision.success) return page(400, "<p>decision: approve or fail.</p>");
  const decided = await books.decide(id, decision.data.decision);
  if (decided === null) return page(409, "<p>This payment is not waiting for authentication.</p>");
  const back = new URL(decided.returnUrl);
  back.searchParams.set("payment_intent", id);
  back.searchParams.set("redirect_status", decided.passed ? "succeeded" : "failed");
  return new Response(null, { status: 303, headers: { location: back.href } });
}
