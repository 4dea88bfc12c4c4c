/** Starts one webhook receiver (a real HTTP server) for the worker tests; they find it by inject. */
import type { TestProject } from "vitest/node";
import { startReceiver } from "../support/webhook-receiver.js";

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  project.provide("receiverUrl", receiver.url);
  return receiver.close;
}
