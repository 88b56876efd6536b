export { slackSignature } from '../signature';
export { type ClickOptions, signedClick } from './click';
export {
  type FakeFault,
  type FakeMessage,
  type FakeSlack,
  type FakeSlackOptions,
  startFakeSlack,
} from './fake-slack';
