export {
  createSlackActionsHandler,
  type SlackActionRequest,
  type SlackActionResponse,
  type SlackActionsHandlerOptions,
  type SlackUser,
} from './actions-handler';
export {
  ALERT_EVENT_TYPE,
  alertMessage,
  type Block,
  digestMessage,
  escapeMrkdwn,
  REVIEW_ACTIONS,
} from './blocks';
export type { DigestOptions } from './digest';
export { toSlackError } from './errors';
export { type SlackFromEnv, slackFromEnv } from './from-env';
export {
  MAX_SIGNATURE_AGE_MS,
  type SignatureCheck,
  slackSignature,
  verifySlackSignature,
} from './signature';
export { createSlackAlerts, type SlackAlertSink, type SlackAlertsOptions } from './slack-alerts';
