/** How many deliveries each trigger card shows; shared by the server page (initial data) and the polling hook. */
export const DELIVERY_LIMIT = 20;
