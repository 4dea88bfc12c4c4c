/** What bench/machines/lifecycle.ts prints, read back by run.ts. */
import { z } from "zod";

const PerCase = z.object({
  checkout: z.number(),
  bare: z.number(),
  checkoutWarm: z.number(),
  bareWarm: z.number(),
  checkoutNoZodRestore: z.number(),
  checkoutTransitionsOnly: z.number(),
});

export const MachinesResult = z.object({
  events: z.number(),
  eventTypes: z.array(z.string()),
  persists: z.number(),
  restores: z.number(),
  envelopeBytes: z.number(),
  rounds: z.number(),
  nsPerLifecycle: z.object({
    checkout: z.array(z.number()),
    bare: z.array(z.number()),
    checkoutWarm: z.array(z.number()),
    bareWarm: z.array(z.number()),
    checkoutNoZodRestore: z.array(z.number()),
    checkoutTransitionsOnly: z.array(z.number()),
  }),
  lifecyclesPerSecond: PerCase,
});
export type MachinesResult = z.infer<typeof MachinesResult>;
