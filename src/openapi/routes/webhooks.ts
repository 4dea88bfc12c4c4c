/** src/routes/webhook-endpoints.ts and src/routes/events.ts as OpenAPI. */
import {
  CreateWebhookEndpoint,
  ListEvents,
  RedeliverEvent,
  RotateWebhookSecret,
} from "../../schemas.js";
import type { Operation } from "../operation.js";
import { describeFields } from "../registry.js";
import {
  EndpointAnswer,
  EndpointDeleted,
  EndpointList,
  EndpointSecretAnswer,
  EventAnswer,
  EventList,
  RedeliveredAnswer,
} from "../resources.responses.js";
import { SAMPLE } from "./samples.js";

describeFields(CreateWebhookEndpoint, {
  url: "The receiver: https (http only for localhost).",
  events: "The event types to receive; every type when left out.",
});
describeFields(RotateWebhookSecret, {
  overlap_seconds:
    "How long the old secret keeps signing beside the new one (0 to 7 days): each delivery carries both signatures meanwhile.",
});
describeFields(RedeliverEvent, {
  endpoint_id:
    "Send to this endpoint alone (its schedule starts afresh); left out: every endpoint subscribed now.",
});
describeFields(ListEvents, {
  checkout_session_id: "Only this session's events.",
  type: "Only events of this type.",
  delivery_status: "Only events whose delivery stands so.",
  limit: "Page size.",
  cursor: "`next_cursor` of the previous page.",
});

const endpointId = {
  name: "id",
  description: "The endpoint id, `we_…`.",
  example: SAMPLE.endpointId,
};
const eventId = { name: "id", description: "The event id, `evt_…`.", example: SAMPLE.eventId };
const tag = "Webhook endpoints" as const;

export const webhookOperations: Operation[] = [
  {
    id: "createWebhookEndpoint",
    method: "post",
    path: "/v1/webhook-endpoints",
    tag,
    summary: "Register a webhook endpoint",
    description:
      "Events are POSTed to `url`, signed per Standard Webhooks with the `secret` answered here (and only here).",
    access: "secretKey",
    body: {
      schema: CreateWebhookEndpoint,
      id: "CreateWebhookEndpointRequest",
      example: { url: "https://example.com/hooks", events: ["checkout_session.completed"] },
    },
    replies: [
      {
        status: 201,
        description: "The endpoint with its signing secret.",
        schema: EndpointSecretAnswer,
      },
    ],
    errors: ["too_many_endpoints"],
  },
  {
    id: "listWebhookEndpoints",
    method: "get",
    path: "/v1/webhook-endpoints",
    tag,
    summary: "List webhook endpoints",
    description: "Every endpoint of the merchant, disabled ones first.",
    access: "secretKey",
    replies: [{ status: 200, description: "The endpoints.", schema: EndpointList }],
    errors: [],
  },
  {
    id: "retrieveWebhookEndpoint",
    method: "get",
    path: "/v1/webhook-endpoints/{id}",
    tag,
    summary: "Retrieve a webhook endpoint",
    description: "One endpoint, with its status and why it was disabled.",
    access: "secretKey",
    pathParams: [endpointId],
    replies: [{ status: 200, description: "The endpoint.", schema: EndpointAnswer }],
    errors: ["not_found"],
  },
  {
    id: "deleteWebhookEndpoint",
    method: "delete",
    path: "/v1/webhook-endpoints/{id}",
    tag,
    summary: "Delete a webhook endpoint",
    description: "It is sent nothing more, including events that await it.",
    access: "secretKey",
    pathParams: [endpointId],
    replies: [{ status: 200, description: "Deleted.", schema: EndpointDeleted }],
    errors: ["not_found"],
  },
  {
    id: "rotateWebhookSecret",
    method: "post",
    path: "/v1/webhook-endpoints/{id}/rotate-secret",
    tag,
    summary: "Rotate an endpoint's signing secret",
    description: "A new secret, answered once; the old one keeps signing for `overlap_seconds`.",
    access: "secretKey",
    pathParams: [endpointId],
    body: {
      schema: RotateWebhookSecret,
      id: "RotateWebhookSecretRequest",
      optional: true,
      example: { overlap_seconds: 3600 },
    },
    replies: [
      {
        status: 200,
        description: "The endpoint with its new secret.",
        schema: EndpointSecretAnswer,
      },
    ],
    errors: ["not_found"],
  },
  {
    id: "enableWebhookEndpoint",
    method: "post",
    path: "/v1/webhook-endpoints/{id}/enable",
    tag,
    summary: "Enable a disabled endpoint",
    description:
      "After a 410 Gone or a delivery that ran out of retries disabled it. Events redelivered from now on reach it.",
    access: "secretKey",
    pathParams: [endpointId],
    replies: [{ status: 200, description: "The endpoint.", schema: EndpointAnswer }],
    errors: ["not_found"],
  },
  {
    id: "listEvents",
    method: "get",
    path: "/v1/events",
    tag: "Events",
    summary: "List events",
    description: "Every webhook event of the merchant, newest first, with its delivery.",
    access: "secretKey",
    query: ListEvents,
    replies: [{ status: 200, description: "A page of events.", schema: EventList }],
    errors: ["invalid_cursor"],
  },
  {
    id: "retrieveEvent",
    method: "get",
    path: "/v1/events/{id}",
    tag: "Events",
    summary: "Retrieve an event",
    description: "One event with its body's `data`, as it was sent.",
    access: "secretKey",
    pathParams: [eventId],
    replies: [{ status: 200, description: "The event.", schema: EventAnswer }],
    errors: ["not_found"],
  },
  {
    id: "redeliverEvent",
    method: "post",
    path: "/v1/events/{id}/redeliver",
    tag: "Events",
    summary: "Redeliver an event",
    description:
      "Sends the event again now, to every endpoint subscribed now, or to `endpoint_id` alone. The body may be left out.",
    access: "secretKey",
    pathParams: [eventId],
    body: {
      schema: RedeliverEvent,
      id: "RedeliverEventRequest",
      optional: true,
      example: { endpoint_id: SAMPLE.endpointId },
    },
    replies: [{ status: 202, description: "Redelivery scheduled.", schema: RedeliveredAnswer }],
    errors: ["not_found", "endpoint_disabled"],
  },
];
