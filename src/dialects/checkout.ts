/**
 * The checkout API's dialect as the session core sees it (src/core/dialect.ts): its create answer is
 * 201 `{ checkout_session }`, its view has nothing of another dialect (`stablemint: null`), its
 * notifications nothing beyond the core's, and it keeps no projection of its own.
 */
import type { Dialect } from "../core/dialect.js";
import { sessionView } from "../core/views.js";

export const checkoutDialect: Dialect = {
  createdStatus: 201,
  created: (snapshot, details, token) => ({
    checkout_session: sessionView(snapshot, details, checkoutDialect, token),
  }),
  viewFields: () => ({ stablemint: null }),
  notificationFields: () => ({}),
  projections: () => [],
};
