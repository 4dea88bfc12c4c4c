/**
 * What a StableMint session keeps of its request beside the core's stored model: the session's
 * `dialect.data`, parsed with this schema whenever the dialect reads it (stored data is input).
 */
import * as z from "zod";
import { UserKyc } from "./body.js";

export const StablemintData = z.object({
  flow: z.enum(["hosted", "embedded"]),
  userId: z.string(),
  userEmail: z.string(),
  userCountryCode: z.string(),
  websiteReference: z.string().nullable(),
  customFields: z.record(z.string(), z.unknown()).nullable(),
  /** Kept for the provider's checks; never in any view, page or notification. */
  userKyc: UserKyc.nullable(),
  successUrl: z.string().nullable(),
  supportUrl: z.string().nullable(),
  exitUrl: z.string().nullable(),
  errorUrl: z.string().nullable(),
  /** The UUID an embedded session is opened by (the widget's `sessionId`). */
  sessionId: z.string().optional(),
});
export type StablemintData = z.infer<typeof StablemintData>;

/** The dialect's name in `details.dialect`. */
export const STABLEMINT = "stablemint";
