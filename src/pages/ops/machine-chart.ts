/**
 * The checkout-session machine drawn from its own definition (as machines/diagram.ts draws the
 * Mermaid picture in docs/machine.md), server-side, as plain HTML: one card per state in the
 * order the machine defines them, each with the transitions out of it (events, guard, target),
 * the session's current state lit and the states it passed through marked. No script: each
 * card's transitions fold with `<details>`.
 */
import type { AnyStateNode } from "xstate";
import { checkoutSessionMachine } from "../../../machines/index.js";
import { type Html, html } from "../html.js";

interface Edge {
  events: string[];
  target: string;
  guard: string | null;
}

interface ChartState {
  /** Dotted path, e.g. `completed.paid`. */
  id: string;
  closed: boolean;
  edges: Edge[];
  children: ChartState[];
}

const pathOf = (node: AnyStateNode) => node.path.join(".");

function guardOf(guard: unknown): string | null {
  if (typeof guard === "string") return guard;
  if (typeof guard === "object" && guard !== null && "type" in guard) {
    return typeof guard.type === "string" ? guard.type : null;
  }
  return null;
}

/** Transitions out of a node, grouped by (target, guard) so shared rules read as one line. */
function edgesOf(node: AnyStateNode, self: string): Edge[] {
  const grouped = new Map<string, Edge>();
  for (const [event, transitions] of node.transitions) {
    for (const transition of transitions) {
      const guard = guardOf(transition.guard);
      const targets = transition.target?.length ? transition.target.map(pathOf) : [self];
      for (const target of targets) {
        const key = `${target}|${guard ?? ""}`;
        const edge = grouped.get(key) ?? { events: [], target, guard };
        edge.events.push(event);
        grouped.set(key, edge);
      }
    }
  }
  return [...grouped.values()];
}

function chartOf(node: AnyStateNode): ChartState {
  const id = pathOf(node);
  return {
    id,
    closed: node.tags.includes("closed"),
    edges: edgesOf(node, id),
    children: (Object.values(node.states) as AnyStateNode[]).map(chartOf),
  };
}

let chart: { states: ChartState[]; anyState: Edge[] } | undefined;

/** The machine's states and the transitions every state takes, read once per isolate. */
function machineChart() {
  if (chart === undefined) {
    const root = checkoutSessionMachine.root;
    chart = {
      states: (Object.values(root.states) as AnyStateNode[]).map(chartOf),
      anyState: edgesOf(root, "(stays)"),
    };
  }
  return chart;
}

function edgeList(edges: Edge[], from: string): Html {
  return html`<ul class="edges">${edges.map(
    (edge) =>
      html`<li><span class="edge-events">${edge.events.join(", ")}</span>${
        edge.guard === null ? "" : html` <span class="edge-guard">[${edge.guard}]</span>`
      } → <span class="edge-target">${edge.target === from ? "stays" : edge.target}</span></li>`,
  )}</ul>`;
}

function stateCard(state: ChartState, current: string, visited: ReadonlySet<string>): Html {
  const isCurrent = state.id === current;
  const contains = current.startsWith(`${state.id}.`);
  const wasVisited = visited.has(state.id) || contains;
  const classes = [
    "state",
    isCurrent || contains ? "state-current" : "",
    wasVisited && !isCurrent && !contains ? "state-visited" : "",
    state.closed ? "state-closed" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const marker = isCurrent
    ? html`<span class="state-mark">current state</span>`
    : contains
      ? ""
      : wasVisited
        ? html`<span class="state-mark state-mark-visited">visited</span>`
        : "";
  const edges =
    state.edges.length === 0 && state.children.length > 0
      ? ""
      : state.edges.length === 0
        ? html`<p class="muted small">${state.closed ? "Closed: nothing moves it again." : "No transitions of its own."}</p>`
        : html`<details${isCurrent ? html` open` : ""}><summary>${state.edges.length} transition${state.edges.length === 1 ? "" : "s"}</summary>${edgeList(state.edges, state.id)}</details>`;
  return html`<li class="${classes}"${isCurrent ? html` aria-current="step"` : ""}>
<div class="state-head"><span class="state-name">${state.id}</span>${marker}</div>
${edges}
${state.children.length === 0 ? "" : html`<ol class="substates">${state.children.map((child) => stateCard(child, current, visited))}</ol>`}
</li>`;
}

/**
 * The chart with `current` (a dotted state path such as `completed.paid`) lit.
 *
 * @example
 * renderMachineChart("processing", new Set(["open"])); // <section class="machine">…
 */
export function renderMachineChart(current: string, visited: ReadonlySet<string>): Html {
  const { states, anyState } = machineChart();
  return html`<ol class="machine" aria-label="Checkout session state machine">${states.map((state) => stateCard(state, current, visited))}</ol>
<details class="any-state"><summary>Taken in any state that does not handle the event itself</summary>${edgeList(anyState, "(stays)")}</details>`;
}
