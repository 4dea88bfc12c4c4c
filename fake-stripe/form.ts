/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket notation for
 * nesting (`payment_method_data[card][number]=…`, `metadata[charge_id]=…`) and indexes for
 * arrays (`payment_method_types[0]=card`), every value a string. Stripe's own clients write it
 * so (the stripe package's `stringifyRequestData`); this reads it back into a plain tree for zod.
 */

export type FormTree = { [key: string]: FormValue };
export type FormValue = string | FormValue[] | FormTree;

/** `a[b][0]` → `["a", "b", "0"]`; null when the name is not bracket notation. */
function pathOf(name: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (match === null) return null;
  const [, head = "", brackets = ""] = match;
  return [head, ...[...brackets.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "")];
}

/** Objects whose keys are exactly 0…n-1 are the arrays the encoding flattened. */
function arraysOf(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const children = Object.fromEntries(keys.map((key) => [key, arraysOf(value[key] as FormValue)]));
  const indexed = keys.length > 0 && keys.every((key, i) => key === String(i));
  return indexed ? keys.map((key) => children[key] as FormValue) : children;
}

/**
 * The parameters of a form body, or null when two names contradict each other (`a=1&a[b]=2`),
 * which Stripe refuses as an invalid request too.
 *
 * @example
 * parseForm("amount=1050&metadata[charge_id]=pay_1_ch1");
 * // { amount: "1050", metadata: { charge_id: "pay_1_ch1" } }
 */
export function parseForm(body: string): FormTree | null {
  // A null prototype, so a name like `__proto__[x]` is a key like any other.
  const root: FormTree = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const path = pathOf(name);
    if (path === null) return null;
    let node: FormTree = root;
    for (const [i, rawKey] of path.entries()) {
      const key = rawKey === "" ? String(Object.keys(node).length) : rawKey;
      if (i === path.length - 1) {
        if (key in node) return null;
        node[key] = value;
        break;
      }
      const next = node[key] ?? Object.create(null);
      if (typeof next === "string" || Array.isArray(next)) return null;
      node[key] = next;
      node = next;
    }
  }
  return arraysOf(root) as FormTree;
}
