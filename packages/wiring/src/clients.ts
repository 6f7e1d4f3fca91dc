import {
  cancelOrderRequest,
  completeUploadRequest,
  confirmOrderRequest,
  createOrderRequest,
  createOrderResponse,
  listOrdersQuery,
  orderList,
  orderResponse,
  replaceModelRequest,
  uploadStatusResponse,
  usageView,
} from '@facet/contracts/api';
import {
  createWebhookResponse,
  registerWebhookRequest,
  rotateWebhookSecretResponse,
  webhookDeliveryListQuery,
  webhookDeliveryListResponse,
  webhookDeliveryResponse,
  webhookListResponse,
  webhookResponse,
} from '@facet/contracts/webhooks';
import { orderFileParams, orderParams, webhookDeliveryParams, webhookParams } from './params.ts';
import { route } from './types.ts';

/** The Clients API (`/v1`): B2B companies with an API key (usage plan per company). */
export const clientsRoutes = [
  route({
    method: 'POST',
    path: '/v1/orders',
    audience: 'clients',
    fn: 'CreateOrder',
    entry: 'lambdas/clients/create-order.ts',
    body: createOrderRequest,
    idempotent: true,
    doc: {
      summary: 'Create an order and get upload URLs for its model',
      description:
        'Declares the model file (name and size) and returns presigned multipart part URLs. PUT each part to its ' +
        'URL, keep the ETag response headers, then call completeUrl. Formats: STL (binary or ASCII), OBJ, 3MF.',
      tag: 'Orders',
      success: { status: 201, description: 'The order, awaiting its model', schema: createOrderResponse },
      problems: ['validation', 'bad_request', 'unsupported_media_type', 'idempotency_mismatch', 'conflict'],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/orders/{orderId}',
    audience: 'clients',
    fn: 'GetOrder',
    entry: 'lambdas/clients/get-order.ts',
    params: orderParams,
    doc: {
      summary: 'Get an order: status, progress, history, metrics, quote and download links',
      tag: 'Orders',
      success: { status: 200, description: 'The order', schema: orderResponse },
      problems: ['not_found'],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/orders/{orderId}/files/{fileId}/complete',
    audience: 'clients',
    fn: 'CompleteUpload',
    entry: 'lambdas/clients/complete-upload.ts',
    params: orderFileParams,
    body: completeUploadRequest,
    idempotent: true,
    doc: {
      summary: 'Complete the model upload and queue the calculation',
      description:
        'Send the ETag of every part. Storage is checked first: each part must be stored with the ETag sent and ' +
        'the size of the plan (every part `partSize` bytes, the last one the rest of the declared size); ' +
        'otherwise the answer is 400 with the part that differs, and nothing is queued.',
      tag: 'Orders',
      success: { status: 202, description: 'The order, queued for calculation', schema: orderResponse },
      problems: [
        'validation',
        'bad_request',
        'unsupported_media_type',
        'not_found',
        'conflict',
        'upload_incomplete',
        'idempotency_mismatch',
      ],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/orders',
    audience: 'clients',
    fn: 'ListOrders',
    entry: 'lambdas/clients/list-orders.ts',
    query: listOrdersQuery,
    doc: {
      summary: 'List orders, newest first',
      description:
        'Filter by status and creation time; follow nextCursor for the next page. Cursors are sealed: they only ' +
        'work for the same company, key space and filters.',
      tag: 'Orders',
      success: { status: 200, description: 'A page of orders', schema: orderList },
      problems: ['validation'],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/orders/{orderId}/cancel',
    audience: 'clients',
    fn: 'CancelOrder',
    entry: 'lambdas/clients/cancel-order.ts',
    params: orderParams,
    body: cancelOrderRequest,
    bodyOptional: true,
    idempotent: true,
    doc: {
      summary: 'Cancel an order before production',
      description: 'Cancelling a cancelled order answers the order again.',
      tag: 'Orders',
      success: { status: 200, description: 'The cancelled order', schema: orderResponse },
      problems: [
        'validation',
        'bad_request',
        'unsupported_media_type',
        'not_found',
        'conflict',
        'idempotency_mismatch',
      ],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/orders/{orderId}/confirm',
    audience: 'clients',
    fn: 'ConfirmOrder',
    entry: 'lambdas/clients/confirm-order.ts',
    params: orderParams,
    body: confirmOrderRequest,
    bodyOptional: true,
    idempotent: true,
    doc: {
      summary: 'Confirm the quote',
      description:
        'A quote whose metal-price lock ended is priced again. If the total moved (or differs from ' +
        'expectedTotal), nothing is confirmed: the answer is 409 quote-changed with `previousQuote`, `quote` and ' +
        'the `changes` per line; confirm again with the new expectedTotal. A rejected model that was priced can ' +
        'be confirmed with manufactureAnyway: true.',
      tag: 'Orders',
      success: { status: 200, description: 'The confirmed order', schema: orderResponse },
      problems: [
        'validation',
        'bad_request',
        'unsupported_media_type',
        'not_found',
        'conflict',
        'quote_changed',
        'idempotency_mismatch',
      ],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/orders/{orderId}/files/{fileId}',
    audience: 'clients',
    fn: 'GetUpload',
    entry: 'lambdas/clients/get-upload.ts',
    params: orderFileParams,
    doc: {
      summary: 'Resume an interrupted upload',
      description:
        'Lists the parts storage already has (with their ETags) and gives fresh URLs for every part: upload the ' +
        'missing ones, then complete with all ETags.',
      tag: 'Orders',
      success: { status: 200, description: 'Where the upload stands', schema: uploadStatusResponse },
      problems: ['not_found', 'conflict'],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/orders/{orderId}/files',
    audience: 'clients',
    fn: 'ReplaceModel',
    entry: 'lambdas/clients/replace-model.ts',
    params: orderParams,
    body: replaceModelRequest,
    idempotent: true,
    doc: {
      summary: 'Upload a new model for the order',
      description:
        'Allowed while the order is quoted, rejected or failed (before it is confirmed): the order goes back to ' +
        'awaiting_upload with new part URLs; upload and complete as for a new order. Emits order.model-replaced.',
      tag: 'Orders',
      success: { status: 201, description: 'The order, awaiting the new model', schema: createOrderResponse },
      problems: [
        'validation',
        'bad_request',
        'unsupported_media_type',
        'not_found',
        'conflict',
        'idempotency_mismatch',
      ],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/usage',
    audience: 'clients',
    fn: 'GetUsage',
    entry: 'lambdas/clients/get-usage.ts',
    doc: {
      summary: "This key's usage plan and today's use",
      description:
        'Every key has a rate (requests per second, with a burst) and a daily quota. Above either the answer is ' +
        '429 rate-limited with a Retry-After header in seconds.',
      tag: 'Usage',
      success: { status: 200, description: 'The plan and the use of the current UTC day', schema: usageView },
      problems: [],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks',
    audience: 'clients',
    fn: 'RegisterWebhook',
    entry: 'lambdas/clients/webhooks-register.ts',
    body: registerWebhookRequest,
    idempotent: true,
    doc: {
      summary: 'Register a webhook endpoint',
      description:
        'Deliveries are POSTed as application/json and signed per Standard Webhooks: headers `webhook-id`, ' +
        '`webhook-timestamp`, `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`). The secret ' +
        'is shown once. Failed deliveries are retried with backoff.',
      tag: 'Webhooks',
      success: { status: 201, description: 'The endpoint and its signing secret', schema: createWebhookResponse },
      problems: ['validation', 'bad_request', 'unsupported_media_type', 'conflict', 'idempotency_mismatch'],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks',
    audience: 'clients',
    fn: 'ListWebhooks',
    entry: 'lambdas/clients/webhooks-list.ts',
    doc: {
      summary: 'List webhook endpoints',
      tag: 'Webhooks',
      success: { status: 200, description: 'The endpoints', schema: webhookListResponse },
      problems: [],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/{webhookId}',
    audience: 'clients',
    fn: 'GetWebhook',
    entry: 'lambdas/clients/webhooks-get.ts',
    params: webhookParams,
    doc: {
      summary: 'Get a webhook endpoint',
      tag: 'Webhooks',
      success: { status: 200, description: 'The endpoint', schema: webhookResponse },
      problems: ['not_found'],
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/webhooks/{webhookId}',
    audience: 'clients',
    fn: 'DeleteWebhook',
    entry: 'lambdas/clients/webhooks-delete.ts',
    params: webhookParams,
    doc: {
      summary: 'Delete a webhook endpoint',
      tag: 'Webhooks',
      success: { status: 204, description: 'Deleted; nothing more is delivered to it' },
      problems: ['not_found', 'bad_request'],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/rotate-secret',
    audience: 'clients',
    fn: 'RotateWebhookSecret',
    entry: 'lambdas/clients/webhooks-rotate-secret.ts',
    params: webhookParams,
    idempotent: true,
    doc: {
      summary: 'Rotate the signing secret',
      description: 'Takes no body. For 24 hours deliveries carry signatures with both the new and the previous secret.',
      tag: 'Webhooks',
      success: { status: 200, description: 'The endpoint with its new secret', schema: rotateWebhookSecretResponse },
      problems: ['not_found', 'bad_request', 'idempotency_mismatch'],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/{webhookId}/deliveries',
    audience: 'clients',
    fn: 'ListWebhookDeliveries',
    entry: 'lambdas/clients/webhooks-list-deliveries.ts',
    params: webhookParams,
    query: webhookDeliveryListQuery,
    doc: {
      summary: 'List deliveries to an endpoint, with their status',
      tag: 'Webhooks',
      success: { status: 200, description: 'Deliveries, newest first', schema: webhookDeliveryListResponse },
      problems: ['validation', 'not_found'],
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay',
    audience: 'clients',
    fn: 'ReplayWebhookDelivery',
    entry: 'lambdas/clients/webhooks-replay-delivery.ts',
    params: webhookDeliveryParams,
    idempotent: true,
    doc: {
      summary: 'Deliver an event again',
      description: 'Takes no body.',
      tag: 'Webhooks',
      success: { status: 202, description: 'The delivery, queued again', schema: webhookDeliveryResponse },
      problems: ['not_found', 'conflict', 'bad_request', 'idempotency_mismatch'],
    },
  }),
] as const;
