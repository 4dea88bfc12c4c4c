/**
 * The files the pages load, as OpenAPI: src/routes/pages.ts's static assets (and this
 * reference), brand-assets.ts's stylesheets and stablemint.ts's bank logos.
 */
import type { Operation } from "../operation.js";

const asset = (id: string, path: string, summary: string, mediaType: string): Operation => ({
  id,
  method: "get",
  path,
  tag: "Assets",
  summary,
  description: `Served from static/ (Workers Static Assets) with our security headers.`,
  access: "public",
  replies: [{ status: 200, description: summary, mediaType }],
  errors: [],
});

export const assetOperations: Operation[] = [
  asset("checkoutScript", "/assets/checkout.js", "The payer pages' script", "text/javascript"),
  asset(
    "cardScript",
    "/assets/card.js",
    "The card rules (brand, lengths, Luhn, security code) the payer pages and the service share",
    "text/javascript",
  ),
  asset("checkoutStylesheet", "/assets/checkout.css", "The payer pages' stylesheet", "text/css"),
  asset("opsStylesheet", "/assets/ops.css", "The ops screen's stylesheet", "text/css"),
  {
    ...asset("widgetScript", "/widget.js", "The embedded checkout's loader", "text/javascript"),
    description:
      '`<script src="/widget.js">` on the merchant\'s page, then `EdgeCheckout.mount(el, { sessionId })`. Served to any origin.',
  },
  {
    id: "brandStylesheet",
    method: "get",
    path: "/assets/brand/{file}",
    tag: "Assets",
    summary: "A brand colour's stylesheet",
    description:
      "`<rrggbb>.css`: the custom properties that put a merchant's colour, made readable, on the pages.",
    access: "public",
    pathParams: [
      { name: "file", description: "`<rrggbb>.css`, lower-case hex.", example: "0a7d38.css" },
    ],
    replies: [{ status: 200, description: "The stylesheet.", mediaType: "text/css" }],
    errors: ["not_found"],
  },
  {
    id: "pageIcon",
    method: "get",
    path: "/assets/icons/{file}",
    tag: "Assets",
    summary: "An icon of the payer pages",
    description: "`lock`, `success`, `closed`, `failed` or `bank`, `.svg`.",
    access: "public",
    pathParams: [{ name: "file", description: "The icon's file name.", example: "success.svg" }],
    replies: [{ status: 200, description: "The icon.", mediaType: "image/svg+xml" }],
    errors: ["not_found"],
  },
  {
    id: "bankLogo",
    method: "get",
    path: "/banks/{bankId}/logo.svg",
    tag: "Assets",
    summary: "A bank's logo",
    description: "As `savedBanks[].logo` and the payer's view link it.",
    access: "public",
    pathParams: [
      {
        name: "bankId",
        description: "A bank's `bank_id`, e.g. `sandbox_de_1`.",
        example: "sandbox_de_1",
      },
    ],
    replies: [{ status: 200, description: "The logo.", mediaType: "image/svg+xml" }],
    errors: ["not_found"],
  },
  asset(
    "openApiDescription",
    "/openapi.json",
    "This API's OpenAPI 3.1 description",
    "application/json",
  ),
  asset("apiReference", "/docs", "This API reference", "text/html"),
  asset("apiReferenceStylesheet", "/docs/docs.css", "The API reference's stylesheet", "text/css"),
];
