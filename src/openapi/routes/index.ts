/**
 * The route registry of the OpenAPI description: every route the Worker serves, one file per
 * route module of src/routes/. Adding a route? Add it here too (test/worker/openapi.test.ts
 * names any route of the router that is missing), then `npm run openapi` to regenerate
 * static/openapi.json and static/docs/index.html.
 */
import type { Operation } from "../operation.js";
import { assetOperations } from "./assets.js";
import { checkoutSessionOperations } from "./checkout-sessions.js";
import { merchantOperations } from "./merchant.js";
import { opsOperations } from "./ops.js";
import { pageOperations } from "./pages.js";
import { paymentOperations } from "./payments.js";
import { stablemintOperations } from "./stablemint.js";
import { tokenApiOperations } from "./token-api.js";
import { webhookOperations } from "./webhooks.js";

export const OPERATIONS: readonly Operation[] = [
  ...checkoutSessionOperations,
  ...tokenApiOperations,
  ...paymentOperations,
  ...webhookOperations,
  ...merchantOperations,
  ...stablemintOperations,
  ...pageOperations,
  ...assetOperations,
  ...opsOperations,
];
