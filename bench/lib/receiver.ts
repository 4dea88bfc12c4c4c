/**
 * A webhook receiver on 127.0.0.1 that answers 204 at once and notes when each delivery
 * arrived (wall clock, sub-millisecond), which is where the webhook latency figure ends.
 */
import { createServer } from "node:http";

export interface Delivery {
  /** `webhook-id`: `evt_<session id>_<sequence>`. */
  webhookId: string;
  /**
   * Epoch milliseconds (fractional) when Node handed over the request: its head has been read
   * and parsed, which on loopback is the same socket read as the request's first byte.
   */
  firstByteAt: number;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  close: () => Promise<void>;
}

const wallClock = () => performance.timeOrigin + performance.now();

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const firstByteAt = wallClock();
    // A delivery cut off mid-request (its runtime stopped) is the sender's to retry, not ours.
    request.on("error", () => response.destroy());
    request.resume();
    request.on("end", () => {
      const webhookId = String(request.headers["webhook-id"] ?? "");
      deliveries.push({ webhookId, firstByteAt });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    deliveries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
