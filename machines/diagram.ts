/**
 * A Mermaid state diagram drawn from a machine's own definition, never by hand, so the picture
 * in the docs cannot drift from the code (a test compares them).
 */
import type { AnyStateMachine, AnyStateNode } from "xstate";

function nodeName(node: AnyStateNode): string {
  return node.path.join("_");
}

function guardName(guard: unknown): string {
  return typeof guard === "string" ? ` [${guard}]` : "";
}

/**
 * Edges out of `node`, one line per (target, guard) with the events that take it, so the many
 * events sharing a rule (say, everything after `expiresAt` expires first) read as one arrow.
 */
function edges(node: AnyStateNode, source: string): string[] {
  const grouped = new Map<string, string[]>();
  for (const [eventType, transitions] of node.transitions) {
    for (const transition of transitions) {
      const targets = transition.target?.length ? transition.target : [node];
      for (const target of targets) {
        const key = `${source} --> ${nodeName(target)}:|${guardName(transition.guard)}`;
        grouped.set(key, [...(grouped.get(key) ?? []), eventType]);
      }
    }
  }
  return [...grouped].map(([key, events]) => {
    const [arrow, guard] = key.split("|");
    return `${arrow} ${events.join(", ")}${guard}`;
  });
}

function drawNode(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  const id = nodeName(node);
  if (children.length > 0) {
    lines.push(`${indent}state ${id} {`);
    const initial = node.initial?.target[0];
    if (initial) lines.push(`${indent}  [*] --> ${nodeName(initial)}`);
    for (const child of children) drawNode(child, `${indent}  `, lines);
    lines.push(`${indent}}`);
  } else if (node.tags.includes("closed")) {
    lines.push(`${indent}${id} --> [*]`);
  }
  for (const edge of edges(node, id)) lines.push(`${indent}${edge}`);
}

/**
 * The machine's states and transitions as a Mermaid `stateDiagram-v2`. Transitions defined on
 * the root (taken in any state that does not handle the event itself) are listed in a note.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ["stateDiagram-v2"];
  const root = machine.root;
  const initial = root.initial?.target[0];
  if (initial) lines.push(`  [*] --> ${nodeName(initial)}`);
  for (const child of Object.values(root.states) as AnyStateNode[]) drawNode(child, "  ", lines);
  const anyState = edges(root, "any").map((edge) => edge.replace("any --> : ", ""));
  if (anyState.length > 0) {
    lines.push(
      "  note right of open",
      "    In any state:",
      ...anyState.map((e) => `    ${e}`),
      "  end note",
    );
  }
  return `${lines.join("\n")}\n`;
}
