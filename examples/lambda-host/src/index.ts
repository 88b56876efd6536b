/**
 * The deployable entry: `http` (API Gateway HTTP API / Function URL) and
 * `scheduled` (EventBridge, e.g. every minute). Configuration comes from the
 * environment (see `config.ts`); the engine is built once per container.
 */
import { hostFromEnv } from './config';
import { createLambdaHost, type HttpEvent } from './host';

let parts: ReturnType<typeof hostFromEnv> | undefined;
const partsOnce = () => {
  parts ??= hostFromEnv();
  return parts;
};

const host = createLambdaHost({
  engine: async () => partsOnce().engine,
  get shopifySecrets() {
    return partsOnce().shopifySecrets;
  },
  get warehouses() {
    return partsOnce().warehouses;
  },
  get opsToken() {
    return partsOnce().opsToken;
  },
  get prometheus() {
    return partsOnce().prometheus;
  },
  get slackActions() {
    return partsOnce().slackActions;
  },
  get opsConsole() {
    return partsOnce().opsConsole;
  },
  ready: () => partsOnce().ready(),
});

/** The HTTP function. */
export const http = (event: HttpEvent) => host.http(event);
/** The scheduled function. */
export const scheduled = () => host.scheduled();

export { hostFromEnv } from './config';
export { createLambdaHost } from './host';
