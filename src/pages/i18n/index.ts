/**
 * Every catalogue of the payer pages, by language: what test/machines/i18n.test.ts checks and
 * writes to static/i18n/<language>.json, which the Worker reads (src/pages/messages.ts). Not
 * imported by the Worker, so no catalogue is in its bundle.
 */
import type { PayerLanguage } from "../../schemas.js";
import { de } from "./de.js";
import { type Catalogue, en } from "./en.js";
import { es } from "./es.js";
import { fr } from "./fr.js";
import { tr } from "./tr.js";

export const CATALOGUES: Readonly<Record<PayerLanguage, Catalogue>> = { en, tr, de, fr, es };
