import type { z } from 'zod';

export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res = unknown, Method extends string = string> {
  request: Req;
  method: Method;
  /** Phantom: carries the response type only. */
  response?: Res;
}

/** `channel<Response>()('serviceMethod', requestSchema)` */
export const channel =
  <Res>() =>
  <Req extends z.ZodType, Method extends string>(method: Method, request: Req): ChannelSpec<Req, Res, Method> => ({
    request,
    method,
  });
