// The end of the server chain: what no layer serves is a 404 Status, as kube-apiserver answers it.
import type { KubeMiddleware } from '../server/context.js';
import { failureStatus } from '../endpoints/status.js';
import { writeStatus } from '../endpoints/write-status.js';

export const NOT_FOUND_MESSAGE = 'the server could not find the requested resource';

export const notFoundHandler: KubeMiddleware = (ctx) => {
  // Unrouted requests are not counted in the request metrics (as kube), keeping made-up paths out of labels.
  ctx.state.unrouted = true;
  writeStatus(ctx, failureStatus(404, 'NotFound', NOT_FOUND_MESSAGE, {}));
};
