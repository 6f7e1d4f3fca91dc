import { z } from 'zod';

/** Path parameters: our ids are URL-safe; anything else names no resource (the bundle answers 404). */
const id = (description: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .meta({ description });

export const orderIdParam = id('The order id (`ord_…`)');
export const fileIdParam = id('The file id (`file_…`)');
export const webhookIdParam = id('The webhook id (`whk_…`)');
export const deliveryIdParam = id('The delivery id');
export const tenantIdParam = id('The company id (`ten_…`)');
export const keyIdParam = id('The API key id (`key_…`)');

export const orderParams = z.strictObject({ orderId: orderIdParam });
export const orderFileParams = z.strictObject({ orderId: orderIdParam, fileId: fileIdParam });
export const webhookParams = z.strictObject({ webhookId: webhookIdParam });
export const webhookDeliveryParams = z.strictObject({ webhookId: webhookIdParam, deliveryId: deliveryIdParam });
