/**
 * The Worker's router type, shared by the route modules: handlers receive the request (with its
 * `requestId`) and the Worker's `env`, validate, call one object method and return data.
 */
import type { IRequest, RouterType } from "itty-router";

export interface AppRequest extends IRequest {
  /** The caller's `request-id` header if it sent a sane one, else a fresh one; echoed back. */
  requestId: string;
}

export type AppRouter = RouterType<AppRequest, [Env, ExecutionContext]>;

/** A route module adds its routes to the router. */
export type RouteModule = (router: AppRouter) => void;
