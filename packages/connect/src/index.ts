export { apiRoot } from "./base-url.js";
export {
  createConnect,
  type ApiVersionIn,
  type ApiVersionOf,
  type Connect,
  type Connected,
  type ConnectedEra,
  type ConnectOptions,
  type EraModule,
  type EraSource,
  type EraSources,
} from "./connect.js";
export { connect } from "./eras.js";
