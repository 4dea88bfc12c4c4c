/**
 * A machine's pure steps, as XState's `initialTransition` / `transition` take them, minus their
 * overhead. Those two build a throwaway actor on every call, and an actor's constructor computes
 * the machine's initial snapshot: for the checkout machine that was more than half of a
 * transition's time. A machine that spawns and invokes nothing (these are pure: effects are data
 * in the context) can take every step in one inert scope, built on first use and kept.
 *
 * @example
 * ```ts
 * const checkout = pureSteps(checkoutSessionMachine);
 * let snapshot = checkout.initial(input);
 * snapshot = checkout.next(snapshot, { type: "PAYER_OPENED", at: 1000 });
 * ```
 */
import {
  type AnyActorLogic,
  type AnyActorScope,
  createActor,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from "xstate";

export interface PureSteps<TLogic extends AnyActorLogic> {
  initial(input: InputFrom<TLogic>): SnapshotFrom<TLogic>;
  next(snapshot: SnapshotFrom<TLogic>, event: EventFromLogic<TLogic>): SnapshotFrom<TLogic>;
}

export function pureSteps<TLogic extends AnyActorLogic>(machine: TLogic): PureSteps<TLogic> {
  let scope: AnyActorScope | undefined;
  const inert = () => {
    if (scope === undefined) {
      const self = createActor(machine);
      // What XState's own inert scope holds: no clock, no logger, actions collected and dropped.
      scope = {
        self,
        system: self.system,
        id: "",
        sessionId: "",
        logger: () => {},
        defer: () => {},
        emit: () => {},
        stopChild: () => {},
        actionExecutor: () => {},
      };
    }
    return scope;
  };
  return {
    initial: (input) => machine.getInitialSnapshot(inert(), input),
    next: (snapshot, event) => machine.transition(snapshot, event, inert()),
  };
}
