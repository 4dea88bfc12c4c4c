export { SessionObject } from "./session-object.js";

export default {
  async fetch(): Promise<Response> {
    // Placeholder until the router lands: every path is unknown (RFC 9457 problem document).
    return Response.json(
      { type: "about:blank", title: "Not Found", status: 404 },
      { status: 404, headers: { "content-type": "application/problem+json" } },
    );
  },
} satisfies ExportedHandler<Env>;
