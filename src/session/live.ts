/**
 * Live state: the payer's pages follow their session over WebSockets that the session's object
 * holds through the hibernation API (`ctx.acceptWebSocket`), so an idle socket costs nothing and
 * the object may be evicted while its sockets stay open; it wakes for a message or a transition.
 *
 * After each persisted transition every socket gets what the page renders, the same payload as
 * `/pay/<id>/session` (src/pages/checkout-state.ts), with the journal's sequence number:
 * `{ "seq": 7, "state": { checkout_session, html, notice, redirect_url } }`. A client that
 * (re)connects with `?after=<seq>`, or sends `{ "after": <seq> }`, gets the current state at
 * once if it is newer. Once the session is closed the final state goes out and the sockets are
 * closed with 1000.
 */
import * as z from "zod";
import { isClosed } from "../../machines/index.js";
import { publicView } from "../core/views.js";
import { checkoutState } from "../pages/checkout-state.js";
import type { Mode } from "../pages/checkout-view.js";
import type { StoredSession } from "./store.js";

/** The subprotocol a page offers (and the answer names): `edge-checkout`. */
export const LIVE_PROTOCOL = "edge-checkout";

/** What a socket remembers across hibernation: how its page renders. */
const Attachment = z.object({ mode: z.enum(["hosted", "embedded"]), language: z.string() });
type Attachment = z.infer<typeof Attachment>;

/** The one message a page may send: the last sequence number it has seen. */
const Resume = z.object({ after: z.number().int().nonnegative() });

export interface LiveUpgrade {
  mode: Mode;
  /** The page's `Accept-Language`, which picks the words of its markup (src/pages/messages.ts). */
  language: string;
  after: number;
  /** The page offered `edge-checkout`, so the answer must name it. */
  protocol: boolean;
}

/** How the Worker (src/routes/live.ts) hands a checked upgrade to the object: its query. */
const UpgradeQuery = z.object({
  mode: z.enum(["hosted", "embedded"]),
  after: z.coerce.number().int().nonnegative(),
  protocol: z.enum(["0", "1"]).transform((flag) => flag === "1"),
});

/** The request the Worker sends the object once it has checked the payer. */
export function liveUpgradeRequest(upgrade: LiveUpgrade, requestId: string): Request {
  const query = new URLSearchParams({
    mode: upgrade.mode,
    after: String(upgrade.after),
    protocol: upgrade.protocol ? "1" : "0",
  });
  return new Request(`https://session.live/?${query}`, {
    headers: { upgrade: "websocket", "accept-language": upgrade.language, "request-id": requestId },
  });
}

/** The upgrade as the object reads it, or null when it is not one the Worker made. */
export function liveUpgradeOf(request: Request): LiveUpgrade | null {
  if (request.headers.get("upgrade") !== "websocket") return null;
  const query = UpgradeQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return null;
  return { ...query.data, language: request.headers.get("accept-language") ?? "" };
}

type PublicView = ReturnType<typeof publicView>;

export class LiveSockets {
  /** The view last pushed: a step the payer cannot see (a webhook attempt) pushes nothing. */
  private lastPushed: string | undefined;
  /** Pushes go out one after another, so a socket sees sequence numbers in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: () => Env,
  ) {}

  /** Accepts a page's socket; the current state goes out at once if the page lacks it. */
  async accept(session: StoredSession, seq: number, upgrade: LiveUpgrade): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    const attachment: Attachment = { mode: upgrade.mode, language: upgrade.language };
    this.ctx.acceptWebSocket(server, [upgrade.mode]);
    server.serializeAttachment(attachment);
    await this.catchUp(server, session, seq, upgrade.after);
    return new Response(null, {
      status: 101,
      webSocket: client,
      headers: upgrade.protocol ? { "sec-websocket-protocol": LIVE_PROTOCOL } : {},
    });
  }

  /** A page's message: `{ "after": <seq> }`; anything else ends the socket (1008). */
  async message(ws: WebSocket, text: string | ArrayBuffer, session: StoredSession, seq: number) {
    let resume: z.infer<typeof Resume> | undefined;
    try {
      resume = typeof text === "string" ? Resume.parse(JSON.parse(text)) : undefined;
    } catch {
      resume = undefined;
    }
    if (resume === undefined) ws.close(1008, "expected {after}");
    else await this.catchUp(ws, session, seq, resume.after);
  }

  /**
   * The session changed and the change is stored: every socket gets the new state. Called
   * right after the transaction, so `seq` and the view are this step's, whatever comes next.
   */
  changed(session: StoredSession, seq: () => number): void {
    const sockets = this.ctx.getWebSockets();
    if (sockets.length === 0) return;
    const view = publicView(session.snapshot, session.details);
    const key = JSON.stringify(view);
    if (key === this.lastPushed) return;
    this.lastPushed = key;
    const closed = isClosed(session.snapshot);
    const at = seq();
    const push = async () => {
      const rendered = new Map<string, Promise<string>>();
      for (const ws of sockets) {
        const attachment = attachmentOf(ws);
        const group = `${attachment.mode} ${attachment.language}`;
        let message = rendered.get(group);
        if (message === undefined) {
          message = this.render(view, at, attachment);
          rendered.set(group, message);
        }
        send(ws, await message, closed);
      }
    };
    this.queue = this.queue.then(push).catch((error: unknown) => {
      console.error(JSON.stringify({ live: view.id, error: String(error) }));
    });
    this.ctx.waitUntil(this.queue);
  }

  private async catchUp(ws: WebSocket, session: StoredSession, seq: number, after: number) {
    const closed = isClosed(session.snapshot);
    if (seq <= after && !closed) return;
    const view = publicView(session.snapshot, session.details);
    send(ws, await this.render(view, seq, attachmentOf(ws)), closed);
  }

  private async render(view: PublicView, seq: number, attachment: Attachment): Promise<string> {
    // The words of the page are chosen from the socket's own request, as the page's were.
    const request = new Request("https://live.invalid/", {
      headers: { "accept-language": attachment.language },
    });
    const state = await checkoutState(view, request, this.env(), attachment.mode);
    return JSON.stringify({ seq, state });
  }
}

function attachmentOf(ws: WebSocket): Attachment {
  return Attachment.parse(ws.deserializeAttachment());
}

/** Sends; after a closed session's final state the socket is done (a socket gone is no error). */
function send(ws: WebSocket, message: string, closed: boolean): void {
  try {
    ws.send(message);
    if (closed) ws.close(1000, "session closed");
  } catch {
    // The page went away meanwhile: its close handler has it.
  }
}
