export {
  createMipRouter,
  type MipInfo,
  type MipRouter,
  MipRouterOptions,
  type MipRouterOptionsInput,
  type MipRoutingPlan,
  NAME,
} from './mip-router';
