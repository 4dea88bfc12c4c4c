/** The sandbox's test cards (README, src/providers/sandbox.ts), for every suite that pays. */
export const CARDS = {
  success: "4242424242424242",
  declined: "4000000000000002",
  challenge: "4000000000003220",
  fallback: "4000000000000119",
  silent: "4000000000000077",
} as const;
