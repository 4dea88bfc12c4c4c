/**
 * The dialects a session may be created through, by the name its details keep, and how stored
 * details are read (including what sessions stored before they named their dialect kept).
 */

import { SessionDetails } from "../core/details.js";
import type { Dialect } from "../core/dialect.js";
import { checkoutDialect } from "./checkout.js";
import { STABLEMINT } from "./stablemint/details.js";
import { stablemintDialect, upgradeStoredDetails } from "./stablemint/dialect.js";

/** The session's dialect; a session that names none was made by the checkout API. */
export function dialectOf(details: SessionDetails): Dialect {
  return details.dialect?.name === STABLEMINT ? stablemintDialect : checkoutDialect;
}

/** Stored details (JSON) as the current model, parsed with zod. */
export function parseStoredDetails(json: string): SessionDetails {
  return SessionDetails.parse(upgradeStoredDetails(JSON.parse(json)));
}
