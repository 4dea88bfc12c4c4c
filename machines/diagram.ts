/**
 * A Mermaid state diagram drawn from a machine's own definition, never by hand, so the picture
 * in the docs cannot drift from the code (a test compares them).
 */
import type { AnyStateMachine, AnyStateNode } from "xstate";

function nodeName(node: AnyStateNode): string {
  return node.path.join("_") || "root";
}

function guardName(guard: unknown): string | undefined {
  if (typeof guard === "string") return guard;
  if (guard !== null && typeof guard === "object" && "type" in guard) {
    return String((guard as { type: unknown }).type);
  }
  return undefined;
}

function drawNode(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  const id = nodeName(node);
  if (children.length > 0) {
    lines.push(`${indent}state ${id} {`);
    if (node.initial?.target[0])
      lines.push(`${indent}  [*] --> ${nodeName(node.initial.target[0])}`);
    for (const child of children) drawNode(child, `${indent}  `, lines);
    lines.push(`${indent}}`);
  }
  if (node.type === "final") lines.push(`${indent}${id} --> [*]`);
  for (const [eventType, transitions] of node.transitions) {
    for (const transition of transitions) {
      const targets = transition.target ?? [];
      const guard = guardName(transition.guard);
      const label = guard === undefined ? eventType : `${eventType} [${guard}]`;
      for (const target of targets.length > 0 ? targets : [node]) {
        lines.push(`${indent}${id} --> ${nodeName(target)}: ${label}`);
      }
    }
  }
}

/**
 * The machine's states and transitions as a Mermaid `stateDiagram-v2`. Transitions on the root
 * (handled in every state) are drawn as self-loops on the root.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ["stateDiagram-v2"];
  const root = machine.root;
  if (root.initial?.target[0]) lines.push(`  [*] --> ${nodeName(root.initial.target[0])}`);
  for (const child of Object.values(root.states) as AnyStateNode[]) drawNode(child, "  ", lines);
  for (const [eventType, transitions] of root.transitions) {
    for (const transition of transitions) {
      const guard = guardName(transition.guard);
      lines.push(
        `  note right of ${nodeName(root.initial?.target[0] ?? root)}: any state, ${eventType}${guard ? ` [${guard}]` : ""}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
