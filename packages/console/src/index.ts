export { type BasicAuthOptions, basicAuth, parseConsoleUsers } from './basic-auth';
export { type ConsoleHandler, createConsole } from './console';
export { type LambdaHttpEvent, type LambdaHttpResult, toLambdaHandler } from './lambda';
export { type NodeHandlerOptions, toNodeHandler } from './node';
export type { AdminLinkOrder, Authorize, ConsoleOptions, ConsoleUser } from './options';
export { type OverviewData, RANGES, type RangeKey, TARGETS } from './overview-data';
export { CONTENT_SECURITY_POLICY, CSRF_COOKIE, CSRF_FIELD } from './security';
