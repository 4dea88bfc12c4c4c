/**
 * HTML with escaping by default: `html` is a tagged template whose interpolations are escaped
 * unless they are already `Html` (the result of another `html` call), so a page is built from
 * pieces without any chance of a merchant's or payer's text becoming markup.
 *
 * @example
 * html`<p>${"<b>Tea & cake</b>"}</p>`.value; // "<p>&lt;b&gt;Tea &amp; cake&lt;/b&gt;</p>"
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Markup that is safe to insert as is. Only `html` and `raw` make one. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A value an `html` template accepts: text (escaped), markup, nothing, or a list of those. */
export type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  if (part === null || part === undefined || part === false) return "";
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  parts.forEach((part, i) => {
    out += render(part) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** Trusted constant markup (inline SVG icons written in this repository), never input. */
export const raw = (markup: string) => new Html(markup);
