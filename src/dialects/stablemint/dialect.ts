/**
 * The StableMint dialect as the session core sees it (src/core/dialect.ts): its create answers
 * (200, that API's shapes), the `stablemint` part of the merchant's view, the top-level fields of
 * its notifications, and the banks its users paid with, remembered in D1 for their next session.
 */

import * as z from "zod";
import type { SessionDetails } from "../../core/details.js";
import type { Dialect } from "../../core/dialect.js";
import { bankSave } from "../../d1/saved-banks.js";
import { StablemintData } from "./details.js";
import { newlyPaidBanks } from "./saved-banks.js";
import { notificationFields, stablemintCreated, stablemintSessionView } from "./views.js";

const dataOf = (details: SessionDetails) => StablemintData.parse(details.dialect?.data);

export const stablemintDialect: Dialect = {
  createdStatus: 200,
  created: (snapshot, details, token) =>
    stablemintCreated(snapshot, details, dataOf(details), token),
  viewFields: (details) => ({ stablemint: stablemintSessionView(dataOf(details)) }),
  notificationFields: (snapshot, details) => notificationFields(snapshot, dataOf(details)),
  projections(db, before, snapshot, details) {
    const { userId } = dataOf(details);
    const { merchantId } = snapshot.context;
    // The bank is remembered for the user's next StableMint session (`savedBanks`).
    return newlyPaidBanks(before, snapshot).map(({ bankId, at }) =>
      bankSave(db, { merchantId, userId, bankId, at }),
    );
  },
};

/** What such a session kept: StableMint's data, with the URLs and limits now kept by the core. */
const LegacyDetails = z.looseObject({
  errorUrl: z.string().nullable().optional(),
  supportUrl: z.string().nullable().optional(),
  amountLimits: z.unknown().optional(),
});

/**
 * Details stored before sessions named their dialect kept StableMint's under `stablemint`, with
 * the error and support URLs and the payer's amount limits inside: read them as they are now.
 */
export function upgradeStoredDetails(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || !("stablemint" in raw)) return raw;
  const { stablemint, ...rest } = raw;
  const legacy = LegacyDetails.safeParse(stablemint);
  if (!legacy.success) return rest;
  const { amountLimits, ...data } = legacy.data;
  return {
    ...rest,
    failureUrl: data.errorUrl ?? null,
    supportUrl: data.supportUrl ?? null,
    ...(amountLimits !== undefined && { amountLimits }),
    dialect: { name: "stablemint", data },
  };
}
