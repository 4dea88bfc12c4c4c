/**
 * `GET /assets/brand/<rrggbb>.css`: the custom properties that put a merchant's brand colour,
 * made readable (src/pages/brand-color.ts), on the payer's pages. A stylesheet of our own origin
 * rather than inline style, so the pages' CSP keeps `style-src 'self'`. It depends on the colour
 * alone, so it needs no session and says nothing about one.
 */
import type { RouteModule } from "../app.js";
import { notFound } from "../errors.js";
import { brandStylesheet } from "../pages/brand-color.js";
import { BASE_HEADERS } from "../pages/document.js";

export const brandAssetRoutes: RouteModule = (router) => {
  router.get("/assets/brand/:file", (request) => {
    const hex = /^([0-9a-f]{6})\.css$/.exec(request.params.file ?? "")?.[1];
    if (hex === undefined) throw notFound("stylesheet");
    return new Response(brandStylesheet(`#${hex}`), {
      headers: {
        ...BASE_HEADERS,
        "content-type": "text/css; charset=utf-8",
        "cross-origin-resource-policy": "same-origin",
      },
    });
  });
};
