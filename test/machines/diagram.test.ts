import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkoutSessionMachine, toMermaid } from "../../machines/index.js";

const DOC = new URL("../../docs/machine.md", import.meta.url);

function renderDoc(): string {
  return [
    "# The checkout-session machine",
    "",
    "Generated from `machines/checkout-session.machine.ts` by `npm run diagram`; do not edit by hand.",
    "A test fails when this picture no longer matches the machine.",
    "",
    "Guards are shown in brackets. Events listed on the right are handled in every state that does",
    "not handle them itself, closed states included (webhook delivery, late provider answers).",
    "Closed states (`completed`, `expired`, `cancelled`, `failed`) take no lifecycle event.",
    "",
    "```mermaid",
    toMermaid(checkoutSessionMachine).trimEnd(),
    "```",
    "",
  ].join("\n");
}

describe("the state diagram in docs/machine.md", () => {
  it("is drawn from the machine's definition and up to date", () => {
    if (process.env.UPDATE_DIAGRAM === "1") writeFileSync(DOC, renderDoc());
    expect(readFileSync(DOC, "utf8")).toBe(renderDoc());
  });

  it("shows every state and every event the machine handles", () => {
    const diagram = toMermaid(checkoutSessionMachine);
    for (const state of ["open", "processing", "requires_action", "completed_paid", "expired"]) {
      expect(diagram).toContain(state);
    }
    for (const event of checkoutSessionMachine.events) expect(diagram).toContain(event);
  });
});
