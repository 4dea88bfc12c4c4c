/**
 * `npm run shop`: the example shop on http://127.0.0.1:8790, beside the service `npm start` runs.
 * Plain Node 22 with its built-in TypeScript type stripping, no framework, no build step of its
 * own (`edge-checkout/client` is this package's own export, built into dist/client).
 *
 *   SHOP_PORT                  8790
 *   SHOP_URL                   how browsers and the service reach the shop (http://127.0.0.1:<port>)
 *   EDGE_CHECKOUT_URL          http://127.0.0.1:8787
 *   EDGE_CHECKOUT_SECRET_KEY   sk_test_sandbox (the sandbox merchant `npm start` seeds)
 */
import { EdgeCheckout } from "edge-checkout/client";
import { startShop } from "./shop.ts";

const serviceUrl = process.env.EDGE_CHECKOUT_URL ?? "http://127.0.0.1:8787";
const secretKey = process.env.EDGE_CHECKOUT_SECRET_KEY ?? "sk_test_sandbox";
const port = Number(process.env.SHOP_PORT ?? 8790);

try {
  const shop = await startShop({
    client: new EdgeCheckout({ secretKey, baseUrl: serviceUrl }),
    serviceUrl,
    port,
    publicUrl: process.env.SHOP_URL,
  });
  console.log(
    `[shop] ready on ${shop.origin} (service ${serviceUrl}, webhooks ${shop.webhookEndpointId})`,
  );
  const stop = () => {
    shop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  console.error(
    `[shop] could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
