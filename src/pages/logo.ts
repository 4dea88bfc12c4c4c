/**
 * The merchant's logo, fetched by the Worker and served from our own origin, so the payer's
 * browser loads no third-party asset (and tells no logo host that it is paying). Only an image,
 * only a small one, only from an address a redirect URL could have (https, or http on localhost).
 */
import { RedirectUrl } from "../schemas.js";
import { BASE_HEADERS } from "./document.js";

const MAX_LOGO_BYTES = 256 * 1024;
const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|svg\+xml|avif)$/;

export async function logoResponse(logoUrl: string | null): Promise<Response | null> {
  if (logoUrl === null || !RedirectUrl.safeParse(logoUrl).success) return null;
  let upstream: Response;
  try {
    upstream = await fetch(logoUrl, { headers: { accept: "image/*" }, redirect: "follow" });
  } catch {
    return null;
  }
  const type = (upstream.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (!upstream.ok || type === undefined || !IMAGE_TYPES.test(type)) {
    await upstream.body?.cancel();
    return null;
  }
  const bytes = await upstream.arrayBuffer();
  if (bytes.byteLength > MAX_LOGO_BYTES) return null;
  return new Response(bytes, {
    headers: {
      ...BASE_HEADERS,
      "content-type": type,
      // An SVG opened on its own runs nothing and loads nothing.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      "cross-origin-resource-policy": "same-origin",
    },
  });
}
