export {
  type FakeFault,
  type FakeItem,
  type FakeOrder,
  type FakeRequest,
  type FakeShipment,
  type FakeShipStation,
  type FakeShipStationOptions,
  type FaultTarget,
  startFakeShipStation,
} from './fake-shipstation';
