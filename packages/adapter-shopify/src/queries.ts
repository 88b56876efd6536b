/** The GraphQL documents the store adapter sends (Admin API 2025-07 names). */

const MONEY = 'shopMoney { amount currencyCode }';

/** Order fields the normalizer needs (mapped to the REST payload shape by `graphqlOrderToPayload`). */
export const ORDER_FIELDS = `
  id legacyResourceId name email phone createdAt updatedAt cancelledAt cancelReason
  displayFinancialStatus currencyCode tags note clientIp
  customAttributes { key value }
  currentSubtotalPriceSet { ${MONEY} } currentTotalPriceSet { ${MONEY} }
  currentTotalTaxSet { ${MONEY} } currentTotalDiscountsSet { ${MONEY} }
  totalShippingPriceSet { ${MONEY} }
  customer { id legacyResourceId email phone tags numberOfOrders }
  shippingAddress { name firstName lastName company address1 address2 city provinceCode zip countryCodeV2 phone latitude longitude }
  shippingLine { title code }
  lineItems(first: 250) { nodes { id sku title name quantity currentQuantity requiresShipping
    originalUnitPriceSet { ${MONEY} } customAttributes { key value } } }
`;

export const ORDER_QUERY = `query FulfilOrder($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

export const ORDERS_QUERY = `query FulfilOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ${ORDER_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const FULFILLMENT_ORDERS_QUERY = `query FulfilFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 50) { id trackingInfo { number company } }
    fulfillmentOrders(first: 20) { nodes {
      id status
      assignedLocation { location { id } }
      fulfillmentHolds { id handle reason }
      lineItems(first: 250) { nodes { id remainingQuantity lineItem { id } } }
    } }
  }
}`;

export const TAGS_ADD = `mutation FulfilTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
}`;

export const FULFILLMENT_ORDER_HOLD = `mutation FulfilHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
    fulfillmentHold { id handle }
    fulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;

export const FULFILLMENT_ORDER_RELEASE_HOLD = `mutation FulfilReleaseHold($id: ID!, $holdIds: [ID!]) {
  fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
    fulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;

export const FULFILLMENT_CREATE = `mutation FulfilFulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id status }
    userErrors { field message }
  }
}`;

export const FULFILLMENT_ORDER_MOVE = `mutation FulfilMove($id: ID!, $newLocationId: ID!) {
  fulfillmentOrderMove(id: $id, newLocationId: $newLocationId) {
    movedFulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;

export const FULFILLMENT_ORDER_QUERY = `query FulfilFulfillmentOrder($id: ID!) {
  fulfillmentOrder(id: $id) {
    id status
    order { id }
    assignedLocation { location { id } }
    fulfillmentHolds { id handle reason heldByRequestingApp }
  }
}`;

export const ORDER_NOTE_QUERY = `query FulfilOrderNote($id: ID!, $namespace: String!, $key: String!) {
  order(id: $id) { id metafield(namespace: $namespace, key: $key) { value compareDigest } }
}`;

export const METAFIELDS_SET = `mutation FulfilMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id compareDigest }
    userErrors { field message code }
  }
}`;
